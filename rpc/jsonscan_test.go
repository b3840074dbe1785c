package rpc

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestScanAgreesWithEncodingJSON: for every shape the scanner reads, it
// gives what encoding/json gives (the same value, or an error when
// encoding/json fails).
func TestScanAgreesWithEncodingJSON(t *testing.T) {
	vote := `{"votePubkey":"V1","nodePubkey":"N1","activatedStake":5000,"epochVoteAccount":true,"commission":10,"lastVote":81,"rootSlot":50,"epochCredits":[[0,12,0],[1,30,12]]}`
	node := `{"pubkey":"P1","gossip":"127.0.0.1:8001","tpu":null,"tpuQuic":"127.0.0.1:8009","rpc":"127.0.0.1:8899","pubsub":null,"version":"0.1.0","featureSet":42,"shredVersion":null}`
	cases := []struct {
		name string
		raw  string
		new  func() any // a pointer to decode into
	}{
		{"uint", `130`, func() any { return new(uint64) }},
		{"uint zero", `0`, func() any { return new(uint64) }},
		{"uint max", `18446744073709551615`, func() any { return new(uint64) }},
		{"uint overflow", `18446744073709551616`, func() any { return new(uint64) }},
		{"uint negative", `-1`, func() any { return new(uint64) }},
		{"uint float", `1.5`, func() any { return new(uint64) }},
		{"uint exponent", `1e3`, func() any { return new(uint64) }},
		{"uint leading zero", `012`, func() any { return new(uint64) }},
		{"uint string", `"12"`, func() any { return new(uint64) }},
		{"uint null", `null`, func() any { return new(uint64) }},
		{"uint spaces", " 7 ", func() any { return new(uint64) }},
		{"bool true", `true`, func() any { return new(bool) }},
		{"bool false", `false`, func() any { return new(bool) }},
		{"bool bad", `tru`, func() any { return new(bool) }},
		{"bool number", `1`, func() any { return new(bool) }},
		{"string", `"ok"`, func() any { return new(string) }},
		{"string escaped", `"a\"b\\c\u00e9\n"`, func() any { return new(string) }},
		{"string utf8", `"héllo"`, func() any { return new(string) }},
		{"string number", `5`, func() any { return new(string) }},
		{"uints", `[1, 2 ,3]`, func() any { return new([]uint64) }},
		{"uints empty", `[]`, func() any { return new([]uint64) }},
		{"uints null", `null`, func() any { return new([]uint64) }},
		{"uints bad element", `[1,"x"]`, func() any { return new([]uint64) }},
		{"uints unclosed", `[1,2`, func() any { return new([]uint64) }},
		{"uints trailing comma", `[1,2,]`, func() any { return new([]uint64) }},
		{"epoch info", `{"absoluteSlot":130,"blockHeight":120,"epoch":0,"slotIndex":130,"slotsInEpoch":432000,"transactionCount":9,"extra":{"a":[1,{"b":"]"}]}}`, func() any { return new(EpochInfo) }},
		{"epoch info bad field", `{"absoluteSlot":"x"}`, func() any { return new(EpochInfo) }},
		{"epoch info not object", `[1]`, func() any { return new(EpochInfo) }},
		{"epoch info unclosed", `{"epoch":1`, func() any { return new(EpochInfo) }},
		{"vote accounts", `{"current":[` + vote + `],"delinquent":[]}`, func() any { return new(VoteAccounts) }},
		{"vote accounts null lists", `{"current":null,"delinquent":[` + vote + `]}`, func() any { return new(VoteAccounts) }},
		{"vote accounts bad stake", `{"current":[{"activatedStake":-5}]}`, func() any { return new(VoteAccounts) }},
		{"vote accounts commission range", `{"current":[{"commission":300}]}`, func() any { return new(VoteAccounts) }},
		{"cluster nodes", `[` + node + `,` + node + `]`, func() any { return new([]ClusterNode) }},
		{"cluster nodes empty", `[]`, func() any { return new([]ClusterNode) }},
		{"cluster nodes bad", `[{"pubkey":5}]`, func() any { return new([]ClusterNode) }},
		{"block", `{"blockhash":"H2","previousBlockhash":"H1","parentSlot":80,"blockTime":null,"blockHeight":70,"signatures":["s"],"rewards":[]}`, func() any { return new(Block) }},
		{"block time", `{"blockhash":"H2","parentSlot":80,"blockTime":1700000000,"blockHeight":null}`, func() any { return new(Block) }},
		{"block bad parent", `{"parentSlot":"80"}`, func() any { return new(Block) }},
		{"block null", `null`, func() any { return new(Block) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, want := tc.new(), tc.new()
			gotErr := decodeResult([]byte(tc.raw), got)
			wantErr := json.Unmarshal([]byte(tc.raw), want)
			if (gotErr == nil) != (wantErr == nil) {
				t.Fatalf("scan error %v, encoding/json error %v", gotErr, wantErr)
			}
			if wantErr == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("scan gave %+v, encoding/json %+v", deref(got), deref(want))
			}
		})
	}
}

func deref(p any) any { return reflect.ValueOf(p).Elem().Interface() }

// TestScanReplies: batch answers split into replies by id, with errors
// decoded; anything but an array or object is no replies.
func TestScanReplies(t *testing.T) {
	cases := []struct {
		raw  string
		want string // id:result|error per reply, "nil" for no replies
	}{
		{`[{"jsonrpc":"2.0","result":1,"id":1},{"jsonrpc":"2.0","id":"2","result":{"a":[1,2]}}]`, `1:1 "2":{"a":[1,2]}`},
		{` [ {"id":3,"error":{"code":-32601,"message":"Method not found"},"result":null} ] `, `3:err-32601`},
		{`{"jsonrpc":"2.0","result":"ok","id":9}`, `9:"ok"`},
		{`[]`, ``},
		{`[{"id":1,"result":1},`, `nil`},
		{`[{"id":1,"result":1}] x`, `nil`},
		{`"x"`, `nil`},
		{``, `nil`},
		{`[1]`, `nil`},
	}
	for _, tc := range cases {
		rs := scanReplies([]byte(tc.raw))
		var parts []string
		for _, r := range rs {
			if r.Error != nil {
				parts = append(parts, fmt.Sprintf("%s:err%d", r.ID, r.Error.Code))
			} else {
				parts = append(parts, fmt.Sprintf("%s:%s", r.ID, r.Result))
			}
		}
		got := strings.Join(parts, " ")
		if rs == nil {
			got = "nil"
		}
		if got != tc.want {
			t.Errorf("scanReplies(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

// FuzzScanner: the scanner never panics or loops on any input, and where
// it reads a slot list that encoding/json also reads, both agree.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{`[1,2,3]`, `{"id":1,"result":[4]}`, `[{"id":1,"result":{"current":[]}}]`, `{"a":"\"}"}`, `[[[`, `"\`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		scanReplies(raw)
		var va VoteAccounts
		_ = decodeResult(raw, &va)
		var cn []ClusterNode
		_ = decodeResult(raw, &cn)
		var bl Block
		_ = decodeResult(raw, &bl)
		var got, want []uint64
		if decodeResult(raw, &got) == nil && json.Unmarshal(raw, &want) == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: scan %v, encoding/json %v", raw, got, want)
		}
	})
}

// TestAppendRequestAgreesWithEncodingJSON: requests are written byte for
// byte as encoding/json writes them.
func TestAppendRequestAgreesWithEncodingJSON(t *testing.T) {
	slot := uint64(99)
	var nilSlot *uint64
	cases := []struct {
		method string
		params []any
	}{
		{"getSlot", nil},
		{"getSlot", commitmentParam(Processed)},
		{"getBlocks", []any{uint64(1), uint64(64), map[string]any{"commitment": Confirmed}}},
		{"getBlock", []any{uint64(7), map[string]any{"commitment": Confirmed, "transactionDetails": "none", "rewards": false, "maxSupportedTransactionVersion": 0}}},
		{"getLeaderSchedule", []any{&slot}},
		{"getLeaderSchedule", []any{nilSlot, map[string]any{"commitment": Finalized}}},
		{"isBlockhashValid", []any{"9Qx<&>", map[string]any{"commitment": Processed}}},
		{"echo", []any{"quote \" back\\slash \n tab\t é", []string{"a", "b"}, -3, 2.5, nil, true}},
		{"getSignatureStatuses", []any{[]string{"s1", "s2"}, map[string]any{"searchTransactionHistory": true}}},
		{"many", []any{map[string]any{"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7, "h": 8, "i": 9}}},
	}
	for _, tc := range cases {
		got, err := appendRequest(nil, 17, tc.method, tc.params)
		if err != nil {
			t.Fatalf("%s: %v", tc.method, err)
		}
		want, err := json.Marshal(request{JSONRPC: "2.0", ID: 17, Method: tc.method, Params: tc.params})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.method, got, want)
		}
	}
	if _, err := appendRequest(nil, 1, "bad", []any{func() {}}); err == nil {
		t.Error("a param encoding/json cannot write gave no error")
	}
}
