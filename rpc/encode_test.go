package rpc

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

// sameJSON fails unless got is valid JSON equal in meaning to want.
func sameJSON(t *testing.T, got, want []byte) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%.200s: not JSON: %v", got, err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("\n got %.400s\nwant %.400s", got, want)
	}
}

// TestStatusesRequestAgrees: the getSignatureStatuses body is the one the
// generic path writes for base58 strings.
func TestStatusesRequestAgrees(t *testing.T) {
	edge := []solana.Signature{{}, {0, 0, 1}, {255}}
	for i := range edge[2] {
		edge[2][i] = 255
	}
	for _, sigs := range [][]solana.Signature{nil, {}, edge, testSignatures(1, 3), testSignatures(256, 4)} {
		for _, history := range []bool{false, true} {
			strs := make([]string, len(sigs))
			for i, s := range sigs {
				strs[i] = s.String()
			}
			params := []any{strs}
			if history {
				params = append(params, map[string]any{"searchTransactionHistory": true})
			}
			want, err := appendRequest(nil, 42, "getSignatureStatuses", params)
			if err != nil {
				t.Fatal(err)
			}
			got := appendStatusesRequest([]byte("junk")[:0], 42, sigs, history)
			sameJSON(t, got, want)
			if string(got) != string(want) {
				t.Fatalf("\n got %.200s\nwant %.200s", got, want)
			}
		}
	}
}

// TestSendParamsAgree: sendTransaction's params, written by appendValue or
// by encoding/json, mean what the map SendTransaction used to build means.
func TestSendParamsAgree(t *testing.T) {
	three := uint64(3)
	wire := testWires(1, 5)[0]
	for _, w := range [][]byte{nil, {}, {1}, {1, 2}, wire} {
		for _, opt := range []SendOptions{{}, {SkipPreflight: true}, {PreflightCommitment: Processed, MaxRetries: &three}, {PreflightCommitment: `q"<&>é`}} {
			cfg := map[string]any{"encoding": "base64", "skipPreflight": opt.SkipPreflight}
			if opt.PreflightCommitment != "" {
				cfg["preflightCommitment"] = opt.PreflightCommitment
			}
			if opt.MaxRetries != nil {
				cfg["maxRetries"] = *opt.MaxRetries
			}
			want, err := json.Marshal(request{JSONRPC: "2.0", ID: 9, Method: "sendTransaction", Params: []any{base64.StdEncoding.EncodeToString(w), cfg}})
			if err != nil {
				t.Fatal(err)
			}
			got, err := appendRequest(nil, 9, "sendTransaction", sendParams(w, opt))
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, got, want)
			if string(got) != string(want) {
				t.Fatalf("\n got %s\nwant %s", got, want)
			}
			viaJSON, err := json.Marshal(request{JSONRPC: "2.0", ID: 9, Method: "sendTransaction", Params: sendParams(w, opt)})
			if err != nil || string(viaJSON) != string(want) {
				t.Fatalf("encoding/json writes %s, %v; want %s", viaJSON, err, want)
			}
		}
	}
}

// TestSendBatchBody: a batch of Batch.SendTransaction calls is the body of
// the same calls added with base64 strings, as the load generator adds them.
func TestSendBatchBody(t *testing.T) {
	c := newClient(t, "http://127.0.0.1:1")
	wires := testWires(64, 6)
	cfg := map[string]any{"encoding": "base64", "skipPreflight": true}
	byWire, byString := c.NewBatch(), c.NewBatch()
	out := make([]string, len(wires))
	for i, w := range wires {
		byWire.SendTransaction(w, SendOptions{SkipPreflight: true}, &out[i])
		byString.Add("sendTransaction", []any{base64.StdEncoding.EncodeToString(w), cfg}, &out[i])
	}
	got, err := byWire.encode(nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	want, err := byString.encode(nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, got, want)
	if string(got) != string(want) {
		t.Fatal("bodies differ")
	}
	var reqs []request
	if err := json.Unmarshal(got, &reqs); err != nil || len(reqs) != 64 || reqs[0].ID != 100 || reqs[63].ID != 163 {
		t.Fatalf("%d requests, ids %v, %v", len(reqs), reqs[0].ID, err)
	}
}

// TestHotCallsAgainstServer: statuses of many signatures and a batch of
// sends go through the devnet's server, concurrently, with pooled bodies.
func TestHotCallsAgainstServer(t *testing.T) {
	f := rpcservertest.NewFake()
	payer := solana.KeypairFromSeed([32]byte{8})
	f.Accounts[payer.Pubkey()] = rpcserver.Account{Lamports: 5_000_000}
	sigs := testSignatures(256, 7)
	one := uint64(1)
	for i := 0; i < len(sigs); i += 3 {
		f.Statuses[sigs[i]] = &rpcserver.SignatureStatus{Slot: uint64(i), Confirmations: &one, ConfirmationStatus: rpcserver.Confirmed}
	}
	url, _ := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	c := newClient(t, url)
	ctx := testCtx(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 5 {
				sts, err := c.GetSignatureStatuses(ctx, sigs, false)
				if err != nil || len(sts) != len(sigs) {
					t.Errorf("GetSignatureStatuses: %d statuses, %v", len(sts), err)
					return
				}
				for i, st := range sts {
					if (i%3 == 0) != (st != nil) || st != nil && (st.Slot != uint64(i) || *st.Confirmations != 1 || st.ConfirmationStatus != Confirmed || st.Failed()) {
						t.Errorf("status %d: %+v", i, st)
						return
					}
				}
			}
		})
	}
	wg.Go(func() {
		b := c.NewBatch()
		var txs []solana.Transaction
		out := make([]string, 8)
		for i := range out {
			tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), solana.Pubkey{5}, uint64(10+i))}, f.Blockhash, payer)
			if err != nil {
				t.Error(err)
				return
			}
			txs = append(txs, tx)
			b.SendTransaction(tx.Marshal(), SendOptions{SkipPreflight: true}, &out[i])
		}
		if err := b.Do(ctx); err != nil {
			t.Error(err)
			return
		}
		for i, tx := range txs {
			if b.calls[i].Err != nil || out[i] != tx.ID().String() {
				t.Errorf("send %d: %q, %v; want %s", i, out[i], b.calls[i].Err, tx.ID())
			}
		}
	})
	wg.Wait()
}

// TestBatchSendTransactionFallsBack: a node that answers only a batch's
// first call gets the others as single requests, wire params and all.
func TestBatchSendTransactionFallsBack(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var raw json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&raw); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		mu.Lock()
		bodies = append(bodies, string(raw))
		mu.Unlock()
		var req struct {
			ID     json.RawMessage
			Params []json.RawMessage
		}
		if strings.HasPrefix(string(raw), "[") {
			var reqs []json.RawMessage
			json.Unmarshal(raw, &reqs)
			raw = reqs[0]
		}
		json.Unmarshal(raw, &req)
		var wire string
		json.Unmarshal(req.Params[0], &wire)
		b, _ := base64.StdEncoding.DecodeString(wire)
		sig := solana.Signature{b[0]}
		w.Write([]byte(`{"jsonrpc":"2.0","result":"` + sig.String() + `","id":` + string(req.ID) + `}`))
	}))
	defer hs.Close()
	c := newClient(t, hs.URL)
	b := c.NewBatch()
	out := make([]string, 3)
	for i := range out {
		b.SendTransaction([]byte{byte(i + 1), 9, 9}, SendOptions{}, &out[i])
	}
	if err := b.Do(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := range out {
		if want := (solana.Signature{byte(i + 1)}).String(); out[i] != want || b.calls[i].Err != nil {
			t.Errorf("call %d: %q, %v; want %q", i, out[i], b.calls[i].Err, want)
		}
	}
	if len(bodies) != 3 || c.BatchSupported() {
		t.Errorf("%d requests, batch supported %v; want 1 batch and 2 singles", len(bodies), c.BatchSupported())
	}
}
