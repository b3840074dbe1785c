package rpc

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"slonui/solana"
)

// statusesReply is a getSignatureStatuses reply of n statuses in the
// shapes a node answers: unknown (null), processed, confirmed with a
// count, finalized, and failed with an instruction error.
func statusesReply(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	var sb strings.Builder
	fmt.Fprintf(&sb, `{"jsonrpc":"2.0","result":{"context":{"slot":%d,"apiVersion":"2.1.0"},"value":[`, 1000+r.IntN(1000))
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		slot := 900 + r.IntN(100)
		switch r.IntN(8) {
		case 0:
			sb.WriteString("null")
		case 1:
			fmt.Fprintf(&sb, `{"slot":%d,"confirmations":0,"err":null,"status":{"Ok":null},"confirmationStatus":"processed"}`, slot)
		case 2:
			fmt.Fprintf(&sb, `{"slot":%d,"confirmations":null,"err":null,"status":{"Ok":null},"confirmationStatus":"finalized"}`, slot)
		case 3:
			fmt.Fprintf(&sb, `{"slot":%d,"confirmations":%d,"err":{"InstructionError":[0,{"Custom":1}]},"status":{"Err":{"InstructionError":[0,{"Custom":1}]}},"confirmationStatus":"confirmed"}`, slot, 1+r.IntN(31))
		default:
			fmt.Fprintf(&sb, `{"slot":%d,"confirmations":%d,"err":null,"status":{"Ok":null},"confirmationStatus":"confirmed"}`, slot, 1+r.IntN(31))
		}
	}
	fmt.Fprintf(&sb, `]},"id":%d}`, 1+r.IntN(1<<20))
	return []byte(sb.String())
}

// testSignatures returns n random signatures.
func testSignatures(n int, seed uint64) []solana.Signature {
	r := rand.New(rand.NewPCG(seed, 2))
	sigs := make([]solana.Signature, n)
	for i := range sigs {
		for j := range sigs[i] {
			sigs[i][j] = byte(r.Uint32())
		}
	}
	return sigs
}

// testWires returns n wire transactions of a transfer's size.
func testWires(n int, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, 3))
	wires := make([][]byte, n)
	for i := range wires {
		w := make([]byte, 215)
		for j := range w {
			w[j] = byte(r.Uint32())
		}
		wires[i] = w
	}
	return wires
}

// BenchmarkGetSignatureStatusesDecode: one reply of 256 statuses, from
// the body to the statuses, as GetSignatureStatuses reads it.
func BenchmarkGetSignatureStatusesDecode(b *testing.B) {
	raw := statusesReply(256, 1)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var r reply
		if err := scanReply(raw, &r); err != nil {
			b.Fatal(err)
		}
		out := statusesOut{n: 256}
		if err := r.into(&out); err != nil {
			b.Fatal(err)
		}
		if len(out.cv.Value) != 256 {
			b.Fatal(len(out.cv.Value))
		}
	}
}

// BenchmarkSendBatchEncode: a batch of 64 sendTransaction calls, from the
// wire bytes to the request body: queued as base64 strings, as the load
// generator queues them, or with Batch.SendTransaction.
func BenchmarkSendBatchEncode(b *testing.B) {
	c, err := New("http://127.0.0.1:1", DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	wires := testWires(64, 1)
	cfg := map[string]any{"encoding": "base64", "skipPreflight": true}
	out := make([]string, len(wires))
	run := func(b *testing.B, queue func(*Batch)) {
		b.ReportAllocs()
		for b.Loop() {
			batch := c.NewBatch()
			queue(batch)
			bp := c.getBody()
			body, err := batch.encode((*bp)[:0], 1)
			if err != nil {
				b.Fatal(err)
			}
			c.putBody(bp, body)
		}
	}
	b.Run("strings", func(b *testing.B) {
		run(b, func(batch *Batch) {
			for i, w := range wires {
				batch.Add("sendTransaction", []any{base64.StdEncoding.EncodeToString(w), cfg}, &out[i])
			}
		})
	})
	b.Run("wire", func(b *testing.B) {
		run(b, func(batch *Batch) {
			for i, w := range wires {
				batch.SendTransaction(w, SendOptions{SkipPreflight: true}, &out[i])
			}
		})
	})
}

// BenchmarkGetSignatureStatusesEncode: the request for 256 signatures.
func BenchmarkGetSignatureStatusesEncode(b *testing.B) {
	c, err := New("http://127.0.0.1:1", DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	sigs := testSignatures(256, 1)
	b.ReportAllocs()
	for b.Loop() {
		bp := c.getBody()
		body := appendStatusesRequest((*bp)[:0], 7, sigs, false)
		c.putBody(bp, body)
	}
}
