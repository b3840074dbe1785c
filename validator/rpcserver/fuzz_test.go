package rpcserver

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

// FuzzDecodeRequest feeds arbitrary bodies to the request decoder and
// dispatcher: no panic, and every body gets well-formed JSON-RPC replies or,
// when it holds only notifications, nothing.
func FuzzDecodeRequest(f *testing.F) {
	for _, seed := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"getSlot"}`,
		`{"jsonrpc":"2.0","id":"x","method":"getBalance","params":["11111111111111111111111111111111",{"commitment":"processed"}]}`,
		`[{"jsonrpc":"2.0","id":1,"method":"getSlot"},{"jsonrpc":"2.0","method":"getSlot"}]`,
		`[]`, `{}`, `null`, `[1,2]`, `{"jsonrpc":"2.0","id":9223372036854775807,"method":"getBlock","params":[98,{"encoding":"base64"}]}`,
		`{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"encoding":"base64"}]}`,
		`{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[["1"]]}`,
		`{"jsonrpc":"2.0","id":1,"method":"getLeaderSchedule","params":[{"identity":"x"}]}`,
	} {
		f.Add([]byte(seed))
	}
	s, err := New(newFake(), DefaultConfig())
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		reply := s.handleBody(context.Background(), body)
		if reply == nil {
			trimmed := bytes.TrimSpace(body)
			if !json.Valid(trimmed) || (trimmed[0] != '{' && trimmed[0] != '[') {
				t.Fatalf("no reply to %q", body)
			}
			return
		}
		var elems []json.RawMessage
		if reply[0] == '[' {
			if err := json.Unmarshal(reply, &elems); err != nil || len(elems) == 0 {
				t.Fatalf("batch reply %s: %v", reply, err)
			}
		} else {
			elems = []json.RawMessage{reply}
		}
		for _, e := range elems {
			var env envelope
			d := json.NewDecoder(bytes.NewReader(e))
			d.DisallowUnknownFields()
			if err := d.Decode(&env); err != nil || env.JSONRPC != "2.0" || (env.Error == nil) == (env.Result == nil) || env.ID == nil {
				t.Fatalf("reply %s to %q: %v", e, body, err)
			}
		}
	})
}
