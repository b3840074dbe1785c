package rpcserver

import (
	"encoding/json"
	"testing"
)

// refStatuses is getSignatureStatuses' result as it was built before it
// wrote itself: withContext over []*statusJSON, for json.Marshal.
func refStatuses(apiVersion string, slot uint64, n int, found []*SignatureStatus) any {
	out := make([]*statusJSON, n)
	for i := range out {
		if i >= len(found) || found[i] == nil {
			continue
		}
		st := found[i]
		cs := string(st.ConfirmationStatus)
		out[i] = &statusJSON{Slot: st.Slot, Confirmations: st.Confirmations, Err: st.Err,
			Status: statusField(st.Err), ConfirmationStatus: &cs}
	}
	return contextValue(apiVersion, slot, out)
}

// TestSignatureStatusesBytes: the reply written directly is byte for byte
// the one encoding/json wrote, with null entries and err objects.
func TestSignatureStatusesBytes(t *testing.T) {
	two, most := uint64(2), ^uint64(0)
	ok := &SignatureStatus{Slot: 127, Confirmations: &two, ConfirmationStatus: Processed}
	rooted := &SignatureStatus{Slot: 99, ConfirmationStatus: Finalized}
	unit := &SignatureStatus{Slot: 5, Confirmations: &most, Err: "BlockhashNotFound", ConfirmationStatus: Confirmed}
	custom := &SignatureStatus{Slot: 6, Err: map[string]any{"InstructionError": []any{0, map[string]any{"Custom": 1}}}, ConfirmationStatus: Confirmed}
	odd := &SignatureStatus{Slot: 7, Err: map[string]any{"b<&>": "é\u2028\x01", "a": []uint64{1, 2}}, ConfirmationStatus: "odd\"<status>"}
	typedNil := &SignatureStatus{Slot: 8, Err: map[string]any(nil), ConfirmationStatus: Processed}
	cases := []struct {
		name       string
		apiVersion string
		n          int
		found      []*SignatureStatus
	}{
		{"none", "2.2.0", 0, nil},
		{"all null", "2.2.0", 3, nil},
		{"found shorter than asked", "2.2.0", 4, []*SignatureStatus{ok, nil}},
		{"mixed", "2.2.0", 6, []*SignatureStatus{ok, nil, rooted, unit, nil, custom}},
		{"odd errors", "", 3, []*SignatureStatus{odd, typedNil, unit}},
		{"no api version", "", 2, []*SignatureStatus{nil, custom}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want, err := json.Marshal(refStatuses(c.apiVersion, 130, c.n, c.found))
			if err != nil {
				t.Fatal(err)
			}
			r := signatureStatuses{apiVersion: c.apiVersion, slot: 130, n: c.n, found: c.found}
			got, ok := r.appendJSON([]byte("prefix:"))
			if !ok || string(got) != "prefix:"+string(want) {
				t.Fatalf("appendJSON = %s, %v\n  want prefix:%s", got, ok, want)
			}
			viaMarshal, err := json.Marshal(r)
			if err != nil || string(viaMarshal) != string(want) {
				t.Fatalf("MarshalJSON = %s, %v\n  want %s", viaMarshal, err, want)
			}
			reply := encodeResponse(nil, json.RawMessage(`"x"`), r, nil)
			if wantReply := refEncodeResponse(json.RawMessage(`"x"`), refStatuses(c.apiVersion, 130, c.n, c.found), nil); string(reply) != string(wantReply) {
				t.Fatalf("reply %s\n want %s", reply, wantReply)
			}
		})
	}
}

// TestSignatureStatusesUnencodable: an err json.Marshal cannot encode
// makes the reply an internal error, as it did through encoding/json.
func TestSignatureStatusesUnencodable(t *testing.T) {
	r := signatureStatuses{slot: 1, n: 1, found: []*SignatureStatus{{Err: make(chan int)}}}
	got := encodeResponse(nil, json.RawMessage("1"), r, nil)
	want := refEncodeResponse(json.RawMessage("1"), refStatuses("", 1, 1, r.found), nil)
	if string(got) != string(want) || string(got) != `{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error"},"id":1}` {
		t.Fatalf("reply %s\n want %s", got, want)
	}
}

// TestSendTransactionReplyBytes: the signature reply written directly is
// the bytes json.Marshal wrote, and so are replies with strings it escapes.
func TestSendTransactionReplyBytes(t *testing.T) {
	for _, v := range []string{"5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW", "", "a\"b", `<&>`, "é", "\xff", "\u2028", "\x7f", "\x00"} {
		for _, id := range []string{"1", `"a"`, "null", "123456789012345678901234567890"} {
			got := encodeResponse(nil, json.RawMessage(id), v, nil)
			if want := refEncodeResponse(json.RawMessage(id), v, nil); string(got) != string(want) {
				t.Errorf("reply %s\n want %s", got, want)
			}
		}
	}
}
