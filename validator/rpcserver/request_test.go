package rpcserver

import (
	"encoding/json"
	"strings"
	"testing"

	"slonui/solana"
)

// decoderPair returns two servers over identical fakes, for the one-pass
// decoder and the reference, with a few signature statuses known.
func decoderPair(t testing.TB) (*Server, *Server) {
	t.Helper()
	var out [2]*Server
	for i := range out {
		f := newFake()
		conf := uint64(2)
		f.setStatus(solana.Signature{1}, &SignatureStatus{Slot: 127, Confirmations: &conf, ConfirmationStatus: Processed})
		f.setStatus(solana.Signature{2}, &SignatureStatus{Slot: 99, Err: "BlockhashNotFound", ConfirmationStatus: Finalized})
		s, err := New(f, DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		out[i] = s
	}
	return out[0], out[1]
}

const getSlot = `"jsonrpc":"2.0","method":"getSlot"`

// decoderBodies are bodies whose reading must match encoding/json's, with
// whether json.Valid accepts them.
var decoderBodies = []struct {
	name  string
	body  string
	valid bool
}{
	{"plain", `{"jsonrpc":"2.0","id":1,"method":"getSlot"}`, true},
	{"whitespace", " \t\n{ \"jsonrpc\" : \"2.0\" ,\r\n \"id\" : 1 , \"method\" : \"getSlot\" , \"params\" : [ { \"commitment\" : \"processed\" } ] } \r\n", true},
	{"unicode space around", "\u00a0\u2003{" + getSlot + `,"id":1}` + "\u0085", true},
	{"unicode space inside", "{" + getSlot + ",\u00a0\"id\":1}", false},
	{"escaped quote id", `{` + getSlot + `,"id":"a\"b"}`, true},
	{"escaped e-acute id", `{` + getSlot + `,"id":"\u00e9"}`, true},
	{"escaped slash id", `{` + getSlot + `,"id":"\/x\/"}`, true},
	{"raw utf-8 id", `{` + getSlot + `,"id":"é ü"}`, true},
	{"invalid utf-8 id", "{" + getSlot + ",\"id\":\"\xff\xfe\"}", true},
	{"id with spaces", `{` + getSlot + `,"id":" a b "}`, true},
	{"escaped version", `{"jsonrpc":"2\u002e0","id":1,"method":"getSlot"}`, true},
	{"escaped method", `{"jsonrpc":"2.0","id":1,"method":"get\u0053lot"}`, true},
	{"escaped slash method", `{"jsonrpc":"2.0","id":1,"method":"get\/Slot"}`, true},
	{"escaped keys", `{"json\u0072pc":"2.0","i\u0064":1,"\u006dethod":"getSlot","par\u0061ms":[]}`, true},
	{"key with escaped quote", `{"id\"":1,` + getSlot + `}`, true},
	{"duplicate id", `{` + getSlot + `,"id":1,"id":"two"}`, true},
	{"duplicate id, last bad", `{` + getSlot + `,"id":1,"id":{}}`, true},
	{"duplicate id, first bad", `{` + getSlot + `,"id":[],"id":3}`, true},
	{"duplicate method", `{"jsonrpc":"2.0","id":1,"method":"nope","method":"getSlot"}`, true},
	{"duplicate version", `{"jsonrpc":"2.0","jsonrpc":"1.0","id":1,"method":"getSlot"}`, true},
	{"duplicate params, last null", `{` + getSlot + `,"id":1,"params":[1],"params":null}`, true},
	{"duplicate params, last array", `{` + getSlot + `,"id":1,"params":{"a":1},"params":[{"commitment":"processed"}]}`, true},
	{"duplicate params, last object", `{` + getSlot + `,"id":1,"params":[{"commitment":"processed"}],"params":{}}`, true},
	{"id zero", `{` + getSlot + `,"id":0}`, true},
	{"id minus zero", `{` + getSlot + `,"id":-0}`, true},
	{"id fraction", `{` + getSlot + `,"id":1.5}`, true},
	{"id exponent", `{` + getSlot + `,"id":-1.25E-3}`, true},
	{"id exponent plus", `{` + getSlot + `,"id":1e+10}`, true},
	{"id max int64", `{` + getSlot + `,"id":9223372036854775807}`, true},
	{"id huge", `{` + getSlot + `,"id":1234567890123456789012345678901234567890}`, true},
	{"id null", `{` + getSlot + `,"id":null}`, true},
	{"id true", `{` + getSlot + `,"id":true}`, true},
	{"id array", `{` + getSlot + `,"id":[1]}`, true},
	{"no id", `{` + getSlot + `}`, true},
	{"no version", `{"id":1,"method":"getSlot"}`, true},
	{"version null", `{"jsonrpc":null,"id":1,"method":"getSlot"}`, true},
	{"version number", `{"jsonrpc":2.0,"id":1,"method":"getSlot"}`, true},
	{"version 1.0", `{"jsonrpc":"1.0","id":1,"method":"getSlot"}`, true},
	{"no method", `{"jsonrpc":"2.0","id":1}`, true},
	{"method null", `{"jsonrpc":"2.0","id":1,"method":null}`, true},
	{"method number", `{"jsonrpc":"2.0","id":1,"method":7}`, true},
	{"method object", `{"jsonrpc":"2.0","id":1,"method":{}}`, true},
	{"method with nul", `{"jsonrpc":"2.0","id":1,"method":"getSlot\u0000"}`, true},
	{"unknown members", `{"x":[1,{"y":null}],` + getSlot + `,"id":1,"z":"w"}`, true},
	{"params null", `{` + getSlot + `,"id":1,"params":null}`, true},
	{"params empty", `{` + getSlot + `,"id":1,"params":[ ]}`, true},
	{"params object", `{` + getSlot + `,"id":1,"params":{}}`, true},
	{"params string", `{` + getSlot + `,"id":1,"params":"x"}`, true},
	{"params number", `{` + getSlot + `,"id":1,"params":1}`, true},
	{"params nested", `{"jsonrpc":"2.0","id":1,"method":"getBlocks","params":[ [[1,{"a":[2]}]] , {"b":{"c":[]}} ,null,true,false,-1e3]}`, true},
	{"send base64", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"encoding":"base64","skipPreflight":true}]}`, true},
	{"send escaped", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQ\u0049D",{"encoding":"base64"}]}`, true},
	{"send config load", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"encoding":"base64","skipPreflight":true}]}`, true},
	{"send config spaced", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{ "skipPreflight" : false , "encoding" : "base58" }]}`, true},
	{"send config empty", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{}]}`, true},
	{"send config commitment", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"encoding":"base64","preflightCommitment":"processed"}]}`, true},
	{"send config folded key", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"Encoding":"base64","SKIPPREFLIGHT":true}]}`, true},
	{"send config null encoding", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"encoding":"base64","encoding":null}]}`, true},
	{"send config null skip", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"skipPreflight":true,"skipPreflight":null}]}`, true},
	{"send config escaped value", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"encoding":"b\u0061se64"}]}`, true},
	{"send config number encoding", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"encoding":1}]}`, true},
	{"send config string skip", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"skipPreflight":"true"}]}`, true},
	{"send config max retries", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"maxRetries":3,"minContextSlot":10}]}`, true},
	{"send config negative retries", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"maxRetries":-3}]}`, true},
	{"send config unknown key", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",{"other":[1,{"a":2}],"encoding":"base64"}]}`, true},
	{"send config array", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID",[]]}`, true},
	{"send config string", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["AQID","x"]}`, true},
	{"send number", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":[12]}`, true},
	{"send null", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":[null]}`, true},
	{"send html", `{"jsonrpc":"2.0","id":1,"method":"sendTransaction","params":["<&>"]}`, true},
	{"statuses", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[["` + solana.Signature{1}.String() + `","` + solana.Signature{2}.String() + `","` + solana.Signature{3}.String() + `"]]}`, true},
	{"statuses spaced", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[ [ "` + solana.Signature{2}.String() + `" ,` + "\n" + `"1" ] , {"searchTransactionHistory":true} ]}`, true},
	{"statuses empty", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[[]]}`, true},
	{"statuses null", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[null]}`, true},
	{"statuses null element", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[["1",null]]}`, true},
	{"statuses number element", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[["1",2]]}`, true},
	{"statuses escaped element", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[["\u0031"]]}`, true},
	{"statuses nested", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[[["1"]]]}`, true},
	{"statuses object", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[{}]}`, true},
	{"statuses string", `{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":["1"]}`, true},
	{"empty batch", `[]`, true},
	{"empty batch spaced", "[ \n ]", true},
	{"batch of scalars", `[1,"a",null,true]`, true},
	{"batch of arrays", `[[],[{}]]`, true},
	{"batch of empty objects", `[{},{}]`, true},
	{"batch", `[{` + getSlot + `,"id":1},{` + getSlot + `},{"jsonrpc":"2.0","id":"x","method":"getSlot","params":[{"commitment":"processed"}]}]`, true},
	{"batch of notifications", `[{` + getSlot + `},{` + getSlot + `}]`, true},
	{"batch spaced", "[ {" + getSlot + ",\"id\":1} ,\n\t{" + getSlot + ",\"id\":2} ]", true},
	{"object", `{}`, true},
	{"scalar", `42`, true},
	{"string", `"x"`, true},
	{"null", `null`, true},
	{"empty", ``, false},
	{"spaces", " \t\r\n", false},
	{"open object", `{`, false},
	{"open array", `[`, false},
	{"open string", `{"jsonrpc":"2.0`, false},
	{"trailing comma", `{` + getSlot + `,}`, false},
	{"trailing comma in batch", `[{` + getSlot + `},]`, false},
	{"missing colon", `{"a" 1}`, false},
	{"single quotes", `{'a':1}`, false},
	{"missing comma", `[1 2]`, false},
	{"extra close", `{` + getSlot + `}}`, false},
	{"trailing value", `{` + getSlot + `} x`, false},
	{"two objects", `{` + getSlot + `,"id":1}{}`, false},
	{"leading zero", `{` + getSlot + `,"id":01}`, false},
	{"bare minus", `{` + getSlot + `,"id":-}`, false},
	{"dot end", `{` + getSlot + `,"id":1.}`, false},
	{"exponent end", `{` + getSlot + `,"id":1e}`, false},
	{"leading dot", `{` + getSlot + `,"id":.5}`, false},
	{"plus", `{` + getSlot + `,"id":+1}`, false},
	{"NaN", `{` + getSlot + `,"id":NaN}`, false},
	{"short literal", `{` + getSlot + `,"id":tru}`, false},
	{"long literal", `{` + getSlot + `,"id":nulll}`, false},
	{"capital literal", `{` + getSlot + `,"id":True}`, false},
	{"bad escape", `{` + getSlot + `,"id":"\x"}`, false},
	{"short unicode escape", `{` + getSlot + `,"id":"\u12"}`, false},
	{"bad unicode escape", `{` + getSlot + `,"id":"\u00g0"}`, false},
	{"raw tab in string", "{" + getSlot + ",\"id\":\"a\tb\"}", false},
	{"raw newline in key", "{\"i\nd\":1}", false},
	{"BOM", "\ufeff{" + getSlot + "}", false},
	{"bad deep in params", `{` + getSlot + `,"id":1,"params":[{"a":[1,2,}]}]}`, false},
	{"bad second element", `[{` + getSlot + `,"id":1},{"x":}]`, false},
	{"bad after batch", `[{` + getSlot + `,"id":1}]]`, false},
	{"unquoted key", `{jsonrpc:"2.0"}`, false},
	{"number key", `{1:2}`, false},
	{"nested depth 10000", strings.Repeat("[", 10000) + strings.Repeat("]", 10000), true},
	{"nested depth 10001", strings.Repeat("[", 10001) + strings.Repeat("]", 10001), false},
	{"object depth 10000", strings.Repeat(`{"a":`, 9999) + "{}" + strings.Repeat("}", 9999), true},
	{"object depth 10001", strings.Repeat(`{"a":`, 10000) + "{}" + strings.Repeat("}", 10000), false},
	{"params depth 10000", `{` + getSlot + `,"id":1,"params":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`, true},
	{"params depth 10001", `{` + getSlot + `,"id":1,"params":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`, false},
	{"batch params depth 10000", `[{` + getSlot + `,"id":1,"params":` + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + `}]`, true},
	{"batch params depth 10001", `[{` + getSlot + `,"id":1,"params":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}]`, false},
	{"other member depth 10001", `[{` + getSlot + `,"id":1,"x":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}]`, false},
}

// TestDecoderMatchesEncodingJSON: the one-pass reader accepts exactly the
// bodies json.Valid accepts, yields the requests and parameters the
// encoding/json decoder yielded, and the replies are the same bytes.
func TestDecoderMatchesEncodingJSON(t *testing.T) {
	s, ref := decoderPair(t)
	for _, c := range decoderBodies {
		t.Run(c.name, func(t *testing.T) {
			if v := json.Valid([]byte(strings.TrimSpace(c.body))); v != c.valid {
				t.Fatalf("json.Valid = %v; the table says %v", v, c.valid)
			}
			if _, _, ok := parseRequests([]byte(strings.TrimSpace(c.body))); ok != c.valid {
				t.Fatalf("parseRequests accepted %v, want %v", ok, c.valid)
			}
			if d := compareDecoders(s, ref, []byte(c.body)); d != "" {
				t.Fatal(d)
			}
		})
	}
}

// TestScannerMatchesValid: the scanner alone accepts what json.Valid
// accepts, for values of every kind.
func TestScannerMatchesValid(t *testing.T) {
	for _, v := range []string{
		`0`, `-0`, `-`, `00`, `1.0e-5`, `1E5`, `1e05`, `1.e5`, `-.5`, `2.`, `9e`, `9e+`, `""`, `"\""`, `"\\"`, `"\/"`,
		`"\b\f\n\r\t"`, `"\u0000"`, `"\uD834\uDD1E"`, `"\uZZZZ"`, `"\U0041"`, `"\a"`, "\"\x7f\"", "\"\x1f\"", `true`, `false`,
		`null`, `nul`, `t`, `[]`, `{}`, `[[]]`, `[{}]`, `{"":{}}`, `{"a":[]}`, `[,]`, `[1,,2]`, `{"a":1,"a":2}`, `{"a"}`,
		`{"a":}`, `{,}`, `[1}`, `{"a":1]`, `[true false]`, ` 1`, `1 `, "[\n1\t,\r2 ]",
	} {
		sc := scanner{data: []byte(v)}
		sc.ws()
		got := sc.value(0)
		sc.ws()
		got = got && sc.off == len(v)
		if want := json.Valid([]byte(v)); got != want {
			t.Errorf("%q: scanner %v, json.Valid %v", v, got, want)
		}
	}
}

// FuzzDecoderMatchesEncodingJSON: on any body, the one-pass reader accepts
// exactly what encoding/json accepts, yields the same requests and
// parameters, and the server replies the same bytes as with the encoding/json
// decoder and encoder.
func FuzzDecoderMatchesEncodingJSON(f *testing.F) {
	for _, c := range decoderBodies {
		if len(c.body) < 1000 {
			f.Add([]byte(c.body))
		}
	}
	s, ref := decoderPair(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		if d := compareDecoders(s, ref, body); d != "" {
			t.Fatalf("body %q: %s", body, d)
		}
		str := string(body)
		want, _ := json.Marshal(str)
		if got := appendString(nil, str); string(got) != string(want) {
			t.Fatalf("appendString(%q) = %s, json.Marshal %s", str, got, want)
		}
	})
}

// TestPlainRun: the word-at-a-time scan stops at the first byte that is not
// plain, whatever the byte and wherever it is in the word.
func TestPlainRun(t *testing.T) {
	buf := []byte(strings.Repeat("aZ09+/= ~", 3))
	for pos := range buf {
		for c := range 256 {
			d := append([]byte(nil), buf...)
			d[pos] = byte(c)
			want := len(d)
			for i, b := range d {
				if strClass[b] != 0 {
					want = i
					break
				}
			}
			for from := range min(pos+1, 9) {
				if got := plainRun(d, from); got != want {
					t.Fatalf("byte %#x at %d, from %d: %d, want %d", c, pos, from, got, want)
				}
			}
		}
	}
}
