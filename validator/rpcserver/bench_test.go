package rpcserver

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"slonui/solana"
)

// BenchmarkHandleGetSlot: decode, dispatch and encode in process.
func BenchmarkHandleGetSlot(b *testing.B) {
	s, err := New(newFake(), DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"jsonrpc":"2.0","id":1,"method":"getSlot","params":[{"commitment":"processed"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if s.handleBody(context.Background(), body) == nil {
			b.Fatal("no reply")
		}
	}
}

func benchHTTP(b *testing.B, body []byte) {
	f := newFake()
	s, err := New(f, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	hs := newBenchServer(b, s)
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := hc.Post(hs, "application/json", bytes.NewReader(body))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// BenchmarkHTTPGetSlot: getSlot requests/s over loopback HTTP.
func BenchmarkHTTPGetSlot(b *testing.B) {
	benchHTTP(b, []byte(`{"jsonrpc":"2.0","id":1,"method":"getSlot"}`))
}

// BenchmarkHTTPSendTransaction: sendTransaction with preflight (decode,
// sanitize, ed25519 verify, simulate on the fake) over loopback HTTP.
func BenchmarkHTTPSendTransaction(b *testing.B) {
	f := newFake()
	payer := solana.KeypairFromSeed([32]byte{7})
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), solana.Pubkey{5}, 10)}, f.blockhash, payer)
	if err != nil {
		b.Fatal(err)
	}
	benchHTTP(b, []byte(`{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["`+
		base64.StdEncoding.EncodeToString(tx.Marshal())+`",{"encoding":"base64"}]}`))
}

// benchBodies are the two request shapes the load generator sends at high
// rates: a batch of 64 sendTransaction (base64, skipPreflight) and one
// getSignatureStatuses of 256 signatures, half of them known to the fake
// (some failed), the rest null.
func benchBodies(b *testing.B) (*Server, map[string][]byte) {
	f := newFake()
	payer := solana.KeypairFromSeed([32]byte{7})
	var batch, sigs []string
	for i := range 256 {
		tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), solana.Pubkey{5}, uint64(i+1))}, f.blockhash, payer)
		if err != nil {
			b.Fatal(err)
		}
		if i < 64 {
			batch = append(batch, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"sendTransaction","params":["%s",{"encoding":"base64","skipPreflight":true}]}`,
				i+1, base64.StdEncoding.EncodeToString(tx.Marshal())))
		}
		sigs = append(sigs, `"`+tx.ID().String()+`"`)
		switch {
		case i%2 == 1:
		case i%16 == 0:
			f.setStatus(tx.ID(), &SignatureStatus{Slot: 120, Err: map[string]any{"InstructionError": []any{0, map[string]any{"Custom": 1}}}, ConfirmationStatus: Confirmed})
		default:
			conf := uint64(3)
			f.setStatus(tx.ID(), &SignatureStatus{Slot: 127, Confirmations: &conf, ConfirmationStatus: Processed})
		}
	}
	s, err := New(f, DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	return s, map[string][]byte{
		"sendTransaction-batch64": []byte("[" + strings.Join(batch, ",") + "]"),
		"getSignatureStatuses-256": []byte(`{"jsonrpc":"2.0","id":7,"method":"getSignatureStatuses","params":[[` +
			strings.Join(sigs, ",") + `],{"searchTransactionHistory":true}]}`),
	}
}

// BenchmarkHandleBody: decode, dispatch and encode of the load generator's
// hot requests, in process.
func BenchmarkHandleBody(b *testing.B) {
	s, bodies := benchBodies(b)
	for _, name := range []string{"sendTransaction-batch64", "getSignatureStatuses-256"} {
		body := bodies[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if r := s.handleBody(context.Background(), body); len(r) == 0 || bytes.Contains(r, []byte(`"error"`)) {
					b.Fatalf("reply %.200s", r)
				}
			}
		})
	}
}

// BenchmarkParseRequests: reading the hot bodies into requests and their
// params elements, one pass against encoding/json (the reference decoder).
func BenchmarkParseRequests(b *testing.B) {
	_, bodies := benchBodies(b)
	for _, name := range []string{"sendTransaction-batch64", "getSignatureStatuses-256"} {
		body := bodies[name]
		for _, dec := range []struct {
			name  string
			parse func([]byte) ([]request, bool, bool)
		}{{"one-pass", parseRequests}, {"encoding-json", refParse}} {
			b.Run(name+"/"+dec.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					reqs, _, ok := dec.parse(body)
					for i := range reqs {
						if _, err := reqs[i].positional(); err != nil || !ok {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
