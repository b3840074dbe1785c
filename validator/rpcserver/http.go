package rpcserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Handler is the HTTP handler of the RPC port: JSON-RPC on POST /, and
// GET /health, /metrics, /api/v1/metrics, /api/v1/tower_state.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /health", s.serveHealth)
	mux.HandleFunc("GET /api/v1/metrics", s.serveSummary)
	mux.HandleFunc("GET /api/v1/tower_state", s.serveTower)
	if s.cfg.Gatherer != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(s.cfg.Gatherer, promhttp.HandlerOpts{}))
	} else {
		mux.HandleFunc("GET /metrics", http.NotFound)
	}
	mux.HandleFunc("POST /", s.serveRPC)
	return cors(mux)
}

// cors adds Agave's CORS headers and answers preflight requests.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		if r.Method == http.MethodOptions {
			h.Set("Access-Control-Allow-Methods", "POST, GET, OPTIONS")
			allow := r.Header.Get("Access-Control-Request-Headers")
			if allow == "" {
				allow = "Content-Type"
			}
			h.Set("Access-Control-Allow-Headers", allow)
			h.Set("Access-Control-Max-Age", "86400")
			w.WriteHeader(http.StatusOK)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) serveRPC(w http.ResponseWriter, r *http.Request) {
	limit := s.cfg.MaxBodyBytes
	body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write(encodeResponse(nil, rawNull, nil, &Error{Code: CodeParseError, Message: "Parse error", Data: err.Error()}))
		return
	}
	if int64(len(body)) > limit {
		w.WriteHeader(http.StatusRequestEntityTooLarge)
		_, _ = w.Write(encodeResponse(nil, rawNull, nil, &Error{Code: CodeInvalidRequest,
			Message: fmt.Sprintf("Request body too large: more than %d bytes (max %d)", limit, limit)}))
		return
	}
	reply := s.handleBody(r.Context(), body)
	if reply == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	_, _ = w.Write(append(reply, '\n'))
}

func (s *Server) serveHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	switch s.b.Health().Status {
	case HealthOK:
		_, _ = io.WriteString(w, "ok")
	case HealthBehind:
		_, _ = io.WriteString(w, "behind")
	default:
		_, _ = io.WriteString(w, "unknown")
	}
}

// serveSummary writes the JSON summary the seed guide greps, one key per
// line with vote_count last, so `grep vote_count | cut -d' ' -f2` prints
// the bare number.
func (s *Server) serveSummary(w http.ResponseWriter, _ *http.Request) {
	st := s.b.Stats()
	processed := s.b.Bank(Processed)
	fields := []struct {
		k string
		v any
	}{
		{"current_slot", processed.Slot()},
		{"confirmed_slot", s.b.Bank(Confirmed).Slot()},
		{"root_slot", s.b.Bank(Finalized).Slot()},
		{"block_height", processed.BlockHeight()},
		{"transaction_count", processed.TransactionCount()},
		{"transactions_processed", st.TransactionsProcessed},
		{"votes_received", st.VotesReceived},
		{"peers_connected", st.PeersConnected},
		{"live_forks", st.LiveForks},
		{"skipped_slots", st.SkippedSlots},
		{"uptime_seconds", st.UptimeSeconds},
		{"identity", s.b.Identity().String()},
		{"vote_count", st.VotesCast},
	}
	var buf bytes.Buffer
	buf.WriteString("{\n")
	for i, f := range fields {
		v, _ := json.Marshal(f.v)
		fmt.Fprintf(&buf, "%q: %s", f.k, v)
		if i < len(fields)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("}\n")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) serveTower(w http.ResponseWriter, _ *http.Request) {
	t := s.b.Tower()
	type voteJSON struct {
		Slot              uint64 `json:"slot"`
		ConfirmationCount uint32 `json:"confirmation_count"`
		Lockout           uint64 `json:"lockout"`
	}
	votes := make([]voteJSON, len(t.Votes))
	for i, v := range t.Votes {
		votes[i] = voteJSON{v.Slot, v.ConfirmationCount, lockout(v.ConfirmationCount)}
	}
	out := struct {
		Identity string     `json:"identity"`
		Root     *uint64    `json:"root"`
		LastVote *uint64    `json:"last_vote"`
		Depth    int        `json:"depth"`
		Votes    []voteJSON `json:"votes"`
	}{s.b.Identity().String(), t.Root, t.LastVote, len(t.Votes), votes}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	b, _ := json.MarshalIndent(out, "", "  ")
	_, _ = w.Write(append(b, '\n'))
}

// lockout is 2^confirmations (Tower BFT), saturating.
func lockout(conf uint32) uint64 {
	if conf >= 64 {
		return ^uint64(0)
	}
	return uint64(1) << conf
}
