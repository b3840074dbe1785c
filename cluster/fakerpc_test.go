package cluster

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// fakeRPC is a minimal JSON-RPC node for tests of the pollers and the
// supervisor (not of any validator): slots advance with the wall clock from
// start, every slot holds txPerSlot transactions, and the leader schedule
// gives this identity the first four slots of every 32-slot epoch.
type fakeRPC struct {
	identity  string
	peers     []string
	start     time.Time
	slot      time.Duration
	txPerSlot uint64
	noBatch   bool          // answer only the first element of a batch, as slonana does
	hang      chan struct{} // when not nil, every request blocks until it is closed
	liveForks int           // served on /metrics when > 0; otherwise /metrics is JSON-RPC too
	fork      string        // when set, tips are "<fork>-<slot>" and isBlockhashValid knows only its own fork
	forkMu    sync.Mutex    // guards fork once serving
	requests  atomic.Int64
	scrapes   atomic.Int64
}

func (f *fakeRPC) currentSlot() uint64 { return uint64(time.Since(f.start) / f.slot) }

// forkName is the fork the node is on now; setFork moves it to another.
func (f *fakeRPC) forkName() string {
	f.forkMu.Lock()
	defer f.forkMu.Unlock()
	return f.fork
}

func (f *fakeRPC) setFork(fork string) {
	f.forkMu.Lock()
	defer f.forkMu.Unlock()
	f.fork = fork
}

type fakeReq struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params []any           `json:"params"`
}

func (f *fakeRPC) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.requests.Add(1)
	if f.hang != nil {
		select {
		case <-f.hang:
		case <-r.Context().Done():
			return
		}
	}
	if r.URL.Path == "/metrics" {
		f.scrapes.Add(1)
		if f.liveForks > 0 {
			fmt.Fprintf(w, "# HELP slonui_validator_live_forks Live fork tips.\n# TYPE slonui_validator_live_forks gauge\nslonui_validator_live_forks_other 9\nslonui_validator_live_forks %d\n", f.liveForks)
			return
		}
	}
	var raw json.RawMessage
	if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if len(raw) > 0 && raw[0] == '[' {
		var reqs []fakeReq
		_ = json.Unmarshal(raw, &reqs)
		if f.noBatch && len(reqs) > 0 {
			_ = json.NewEncoder(w).Encode(f.answer(reqs[0]))
			return
		}
		out := make([]map[string]any, 0, len(reqs))
		for _, q := range reqs {
			out = append(out, f.answer(q))
		}
		_ = json.NewEncoder(w).Encode(out)
		return
	}
	var q fakeReq
	_ = json.Unmarshal(raw, &q)
	_ = json.NewEncoder(w).Encode(f.answer(q))
}

func (f *fakeRPC) answer(q fakeReq) map[string]any {
	s := f.currentSlot()
	fork := f.forkName()
	commit := ""
	if len(q.Params) > 0 {
		if m, ok := q.Params[len(q.Params)-1].(map[string]any); ok {
			commit, _ = m["commitment"].(string)
		}
	}
	var res any
	switch q.Method {
	case "getSlot":
		switch commit {
		case "processed":
			res = s
		case "confirmed":
			res = sub(s, 2)
		default:
			res = sub(s, 32)
		}
	case "getTransactionCount":
		res = s * f.txPerSlot
	case "getIdentity":
		res = map[string]string{"identity": f.identity}
	case "getClusterNodes":
		nodes := []map[string]any{{"pubkey": f.identity}}
		for _, p := range f.peers {
			nodes = append(nodes, map[string]any{"pubkey": p})
		}
		res = nodes
	case "getVoteAccounts":
		res = map[string]any{
			"current":    []map[string]any{{"nodePubkey": f.identity, "lastVote": sub(s, 1)}},
			"delinquent": []map[string]any{},
		}
	case "getEpochInfo":
		res = map[string]any{"absoluteSlot": s, "epoch": s / 32, "slotIndex": s % 32, "slotsInEpoch": 32}
	case "getLeaderSchedule":
		res = map[string][]uint64{f.identity: {0, 1, 2, 3}}
	case "getLatestBlockhash":
		if fork == "" {
			return map[string]any{"jsonrpc": "2.0", "id": q.ID, "error": map[string]any{"code": -32601, "message": "Method not found"}}
		}
		res = map[string]any{"context": map[string]any{"slot": s}, "value": map[string]any{"blockhash": fmt.Sprintf("%s-%d", fork, s), "lastValidBlockHeight": s + 150}}
	case "isBlockhashValid":
		if fork == "" {
			return map[string]any{"jsonrpc": "2.0", "id": q.ID, "error": map[string]any{"code": -32601, "message": "Method not found"}}
		}
		h, _ := q.Params[0].(string)
		res = map[string]any{"context": map[string]any{"slot": s}, "value": strings.HasPrefix(h, fork+"-")}
	default:
		return map[string]any{"jsonrpc": "2.0", "id": q.ID, "error": map[string]any{"code": -32601, "message": "Method not found"}}
	}
	return map[string]any{"jsonrpc": "2.0", "id": q.ID, "result": res}
}

func sub(a, b uint64) uint64 {
	if a < b {
		return 0
	}
	return a - b
}
