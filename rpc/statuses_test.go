package rpc

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// checkStatusesAgree decodes raw with decodeStatuses and with
// encoding/json: both must give the same values, or both an error.
func checkStatusesAgree(t *testing.T, raw []byte) {
	t.Helper()
	for _, n := range []int{0, 1, 256} {
		var got, want contextValue[[]*SignatureStatus]
		gotErr := decodeStatuses(raw, &got, n)
		wantErr := json.Unmarshal(raw, &want)
		if (gotErr == nil) != (wantErr == nil) {
			t.Fatalf("%.300q (n %d): one-pass error %v, encoding/json error %v", raw, n, gotErr, wantErr)
		}
		if wantErr == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%.300q (n %d):\none-pass      %s\nencoding/json %s", raw, n, showStatuses(got), showStatuses(want))
		}
	}
}

// showStatuses prints a result with its pointers followed.
func showStatuses(cv contextValue[[]*SignatureStatus]) string {
	var sb strings.Builder
	sb.WriteString("slot " + jsonOf(cv.Context.Slot))
	if cv.Value == nil {
		sb.WriteString(" value nil")
	}
	for _, st := range cv.Value {
		sb.WriteString(" " + jsonOf(st) + "/err=" + string(func() []byte {
			if st == nil {
				return nil
			}
			return st.Err
		}()))
	}
	return sb.String()
}

func jsonOf(v any) string { b, _ := json.Marshal(v); return string(b) }

// statusCases are results in the shapes nodes send, and the odd shapes
// encoding/json has rules for.
var statusCases = []string{
	`{"context":{"slot":82,"apiVersion":"2.1.0"},"value":[null,{"slot":72,"confirmations":10,"err":null,"status":{"Ok":null},"confirmationStatus":"confirmed"}]}`,
	`{"context":{"slot":82},"value":[{"slot":48,"confirmations":null,"err":{"InstructionError":[0,{"Custom":1}]},"status":{"Err":{"InstructionError":[0,{"Custom":1}]}},"confirmationStatus":"finalized"}]}`,
	`{"context":{"slot":82},"value":[{"slot":48,"confirmations":0,"err":"AccountInUse","confirmationStatus":"processed"}]}`,
	` { "context" : { "slot" : 82 } , "value" : [ null , { "slot" : 1 , "err" : { "a" : [ 1 , 2.5e-3 , "x" ] } } ] } `,
	`{"context":{"slot":1},"value":[]}`,
	`{"context":{"slot":1},"value":null}`,
	`{"context":{"slot":1}}`,
	`{"value":[null,null,null]}`,
	`{}`,
	`null`,
	` null `,
	`{"context":null,"value":[{}]}`,
	`{"value":[{"err":null}]}`,
	`{"value":[{"err":1,"err":null}]}`,
	`{"value":[{"confirmations":3,"confirmations":null}]}`,
	`{"value":[{"confirmations":null,"confirmations":4}]}`,
	`{"value":[{"slot":3,"slot":null}]}`,
	`{"value":[{"confirmationStatus":"confirmed","confirmationStatus":null}]}`,
	`{"value":[{"confirmationStatus":"rooted"}]}`,
	`{"value":[{"confirmationStatus":"conf\u0069rmed"}]}`,
	`{"value":[{"confirmationStatus":"héllo"}]}`,
	`{"value":[{"confirmationStatus":"a\u00"}]}`,
	`{"value":[{"confirmationStatus":5}]}`,
	`{"value":[{"Slot":5,"CONFIRMATIONS":2,"Err":{},"confirmationstatus":"processed"}]}`,
	`{"Value":[{"slot":5}],"CONTEXT":{"SLOT":3}}`,
	`{"value":[{"slot":5}],"value":[null,{"slot":6}]}`,
	`{"value":[{"slot":5},{"slot":7}],"value":[{"confirmations":1}]}`,
	`{"value":[{"slot":5}],"value":null}`,
	`{"valu\u0065":[{"slot":5}]}`,
	`{"value":[{"\u0073lot":5}]}`,
	`{"value":[{"ſlot":5}]}`,
	`{"value":[{"slot":18446744073709551615,"confirmations":18446744073709551615}]}`,
	`{"context":{"slot":0}}`,
	// Errors.
	`{"value":[{"slot":18446744073709551616}]}`,
	`{"value":[{"confirmations":99999999999999999999}]}`,
	`{"value":[{"slot":-1}]}`,
	`{"value":[{"slot":-0}]}`,
	`{"value":[{"slot":1.0}]}`,
	`{"value":[{"slot":1e2}]}`,
	`{"value":[{"slot":01}]}`,
	`{"value":[{"slot":"1"}]}`,
	`{"value":[{"slot":true}]}`,
	`{"value":[{"slot":nul}]}`,
	`{"value":[{"slot":1x}]}`,
	`{"value":[1]}`,
	`{"value":["x"]}`,
	`{"value":[[]]}`,
	`{"value":[true]}`,
	`{"value":{}}`,
	`{"value":"x"}`,
	`{"value":[null,]}`,
	`{"value":[,null]}`,
	`{"value":[null}`,
	`{"value":[null]`,
	`{"value":[null]}}`,
	`{"value":[null]} x`,
	`{"value":[{"status":{"Ok":nul}}]}`,
	`{"value":[{"status":{"Ok":null]}}]}`,
	`{"value":[{"status":[1 2]}]}`,
	`{"value":[{"status":"\x"}]}`,
	`{"value":[{"status":"` + "\x01" + `"}]}`,
	`{"value":[{"status":01}]}`,
	`{"value":[{"status":1.}]}`,
	`{"value":[{"status":1e}]}`,
	`{"value":[{"status":-}]}`,
	`{"value":[{"status":+1}]}`,
	`{"value":[{"err":}]}`,
	`{"value":[{"err":{"a":}}]}`,
	`{"value":[{"err":{"a" 1}}]}`,
	`{"value":[{"err":{1:1}}]}`,
	`{"value":[{"err":tru}]}`,
	`{"value":[{"slot":1,}]}`,
	`{"value":[{,"slot":1}]}`,
	`{"value":[{"slot" 1}]}`,
	`{"context":{"slot":"9"}}`,
	`{"context":[]}`,
	`{"context":{"slot":1,"apiVersion":2..0}}`,
	`{"context":{"slot":1},"extra":[1,{"a":[}]}`,
	`[]`,
	`"x"`,
	`5`,
	`true`,
	``,
	` `,
	`nul`,
	`nullx`,
	`{`,
	`{"value"`,
	`{"value":`,
	`{"value":[`,
	`{"value":[{`,
	`{"value":[{"err":"\u12`,
	`{"value":[{"err":` + strings.Repeat("[", 9997) + strings.Repeat("]", 9997) + `}]}`,
	`{"value":[{"err":` + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + `}]}`,
	`{"x":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`,
	`{"x":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
}

// TestStatusesDecodeAgreesWithEncodingJSON: the one-pass reader gives what
// encoding/json gives, on the shapes nodes send and on broken ones.
func TestStatusesDecodeAgreesWithEncodingJSON(t *testing.T) {
	for _, raw := range statusCases {
		checkStatusesAgree(t, []byte(raw))
	}
	for seed := range uint64(20) {
		var r reply
		if err := scanReply(statusesReply(int(seed*13), seed), &r); err != nil {
			t.Fatal(err)
		}
		checkStatusesAgree(t, r.Result)
	}
}

// TestStatusesDecodeKeepsNothingOfTheReply: a status's err does not share
// the reply's bytes, so a kept status does not pin the reply.
func TestStatusesDecodeKeepsNothingOfTheReply(t *testing.T) {
	raw := []byte(`{"value":[{"err":{"A":1}},{"err":null}]}`)
	var cv contextValue[[]*SignatureStatus]
	if err := decodeStatuses(raw, &cv, 2); err != nil {
		t.Fatal(err)
	}
	for i := range raw {
		raw[i] = ' '
	}
	if string(cv.Value[0].Err) != `{"A":1}` || string(cv.Value[1].Err) != "null" {
		t.Fatalf("errs %s %s after the reply was overwritten", cv.Value[0].Err, cv.Value[1].Err)
	}
	cv.Value[0].Err = append(cv.Value[0].Err, 'x')
	if string(cv.Value[1].Err) != "null" {
		t.Fatalf("appending to one err changed the next: %s", cv.Value[1].Err)
	}
}

// FuzzStatusesDecode: on any bytes, the one-pass reader and encoding/json
// give the same values or both an error.
func FuzzStatusesDecode(f *testing.F) {
	for _, raw := range statusCases {
		if len(raw) < 1000 {
			f.Add([]byte(raw))
		}
	}
	var r reply
	if err := scanReply(statusesReply(5, 1), &r); err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(r.Result))
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkStatusesAgree(t, raw)
	})
}
