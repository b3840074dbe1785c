package rpcserver

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
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
