package netfault

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// maxBody bounds an admin request body.
const maxBody = 64 << 10

// ErrNotLoopback is returned by ListenLoopback for any other address.
var ErrNotLoopback = errors.New("netfault: admin address must be loopback")

// ListenLoopback listens on TCP addr ("127.0.0.1:9000", "localhost:0",
// "[::1]:0"), refusing any address that is not loopback, including the
// wildcard addresses.
func ListenLoopback(addr string) (net.Listener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("netfault: admin listen %q: %w", addr, err)
	}
	if host == "" {
		return nil, fmt.Errorf("netfault: admin listen %q: %w", addr, ErrNotLoopback)
	}
	tcp, err := net.ResolveTCPAddr("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("netfault: admin listen %q: %w", addr, err)
	}
	if !tcp.IP.IsLoopback() {
		return nil, fmt.Errorf("netfault: admin listen %q: %w", addr, ErrNotLoopback)
	}
	ln, err := net.ListenTCP("tcp", tcp)
	if err != nil {
		return nil, fmt.Errorf("netfault: admin listen %q: %w", addr, err)
	}
	return ln, nil
}

// ServeAdmin serves h on ln until ctx is done, then shuts the server down
// (1 s grace) and returns nil; any other serve error is returned.
func ServeAdmin(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("netfault: admin serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = srv.Shutdown(sctx)
	<-errc
	return nil
}

// PartitionRequest is the body of POST /faults/partition.
type PartitionRequest struct {
	Peers []string `json:"peers"`
	// Direction is "both" (the default), "in" (drop what the peers send
	// here) or "out" (drop what this node sends them).
	Direction string `json:"direction,omitempty"`
}

// LossRequest is the body of POST /faults/loss.
type LossRequest struct {
	Fraction *float64 `json:"fraction"`
	Peers    []string `json:"peers,omitempty"`
}

// DelayRequest is the body of POST /faults/delay.
type DelayRequest struct {
	MS       *int     `json:"ms"`
	JitterMS int      `json:"jitter_ms,omitempty"`
	Peers    []string `json:"peers,omitempty"`
}

// errorBody is every error answer: {"error": "..."}.
type errorBody struct {
	Error string `json:"error"`
}

// AdminHandler returns the admin API over f. Every request must carry
// "Authorization: Bearer <token>" (compared in constant time), else 401.
//
//	GET  /faults            → Status
//	PUT  /faults            Rules (replaces every rule; all or nothing) → Status
//	POST /faults/partition  {"peers":["127.0.0.2","127.0.0.3:8001"],"direction":"both"} → Status
//	POST /faults/loss       {"fraction":0.05,"peers":[...]}            → Status
//	POST /faults/delay      {"ms":100,"jitter_ms":20,"peers":[...]}    → Status
//	POST /faults/heal       (no body)                                  → Status
//
// Bad bodies get 400 with a message naming the field; other methods 405.
func AdminHandler(f *Filter, token string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, f.Status())
	})
	mux.HandleFunc("POST /faults/partition", func(w http.ResponseWriter, r *http.Request) {
		var req PartitionRequest
		if !decodeBody(w, r, &req) {
			return
		}
		if req.Peers == nil {
			writeJSON(w, http.StatusBadRequest, errorBody{"peers: required"})
			return
		}
		switch req.Direction {
		case "", "both":
			answer(w)(f.Partition(req.Peers))
		case "in":
			answer(w)(f.PartitionDirected(req.Peers, Inbound))
		case "out":
			answer(w)(f.PartitionDirected(req.Peers, Outbound))
		default:
			writeJSON(w, http.StatusBadRequest, errorBody{fmt.Sprintf("direction: %q is not both, in or out", req.Direction)})
		}
	})
	mux.HandleFunc("PUT /faults", func(w http.ResponseWriter, r *http.Request) {
		var req Rules
		if !decodeBody(w, r, &req) {
			return
		}
		answer(w)(f.SetRules(req))
	})
	mux.HandleFunc("POST /faults/loss", func(w http.ResponseWriter, r *http.Request) {
		var req LossRequest
		if !decodeBody(w, r, &req) {
			return
		}
		if req.Fraction == nil {
			writeJSON(w, http.StatusBadRequest, errorBody{"fraction: required"})
			return
		}
		answer(w)(f.SetLoss(*req.Fraction, req.Peers))
	})
	mux.HandleFunc("POST /faults/delay", func(w http.ResponseWriter, r *http.Request) {
		var req DelayRequest
		if !decodeBody(w, r, &req) {
			return
		}
		if req.MS == nil {
			writeJSON(w, http.StatusBadRequest, errorBody{"ms: required"})
			return
		}
		maxMS := int(MaxDelay / time.Millisecond)
		if *req.MS < 0 || *req.MS > maxMS || req.JitterMS < 0 || req.JitterMS > maxMS {
			// Validate again below for the message; reject here before the
			// duration conversion can overflow.
			answer(w)(f.Status(), Rules{Delay: DelayRule{MS: *req.MS, JitterMS: req.JitterMS}}.Validate())
			return
		}
		answer(w)(f.SetDelay(time.Duration(*req.MS)*time.Millisecond, time.Duration(req.JitterMS)*time.Millisecond, req.Peers))
	})
	mux.HandleFunc("POST /faults/heal", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, f.Heal())
	})
	return requireToken(token, mux)
}

func answer(w http.ResponseWriter) func(Status, error) {
	return func(st Status, err error) {
		if err != nil {
			writeJSON(w, http.StatusBadRequest, errorBody{strings.ReplaceAll(err.Error(), "\n", "; ")})
			return
		}
		writeJSON(w, http.StatusOK, st)
	}
}

func requireToken(token string, next http.Handler) http.Handler {
	want := []byte("Bearer " + token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := []byte(r.Header.Get("Authorization"))
		if token == "" || subtle.ConstantTimeCompare(got, want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="slonui-admin"`)
			writeJSON(w, http.StatusUnauthorized, errorBody{"missing or wrong cluster token"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// decodeBody decodes one strict JSON object into v or answers 400.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeJSON(w, http.StatusBadRequest, errorBody{describeJSONError(err)})
		return false
	}
	if dec.More() {
		writeJSON(w, http.StatusBadRequest, errorBody{"body: trailing data after the JSON object"})
		return false
	}
	return true
}

func describeJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("%s: expected %s, got JSON %s", te.Field, te.Type, te.Value)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("body: invalid JSON at byte %d: %v", se.Offset, err)
	}
	if errors.Is(err, io.EOF) {
		return "body: empty, expected a JSON object"
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return strings.Trim(f, `"`) + ": unknown field"
	}
	return "body: " + msg
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}
