package cluster

import (
	"encoding/json"
	"testing"
)

// TestAnswersReadAsEncodingJSON checks the reflection-free readers of the
// tip and blockhash-check answers against encoding/json.
func TestAnswersReadAsEncodingJSON(t *testing.T) {
	tips := []string{
		`{"context":{"slot":5},"value":{"blockhash":"9QxCsgkv","lastValidBlockHeight":155}}`,
		` { "context" : { "slot" : 5, "apiVersion":"2.0" } , "value" : { "lastValidBlockHeight" : 1, "blockhash" : "Ab12" } } `,
		`{"value":{"blockhash":"a\"b"},"context":{"slot":1}}`,
		`{"value":{"blockhash":"a\\u0041"}}`,
		`{"context":{"note":"}{\"value\":1"},"value":{"x":[1,{"blockhash":"no"}],"blockhash":"yes"}}`,
		`{"context":{"slot":5},"value":null}`,
		`null`,
		`{}`,
	}
	for _, raw := range tips {
		var fast tipAnswer
		var slow rpcContext[struct{ Blockhash string }]
		ferr, serr := json.Unmarshal([]byte(raw), &fast), json.Unmarshal([]byte(raw), &slow)
		if (ferr != nil) != (serr != nil) || fast.Blockhash != slow.Value.Blockhash {
			t.Errorf("%s: read %q (%v), encoding/json reads %q (%v)", raw, fast.Blockhash, ferr, slow.Value.Blockhash, serr)
		}
	}
	valid := []string{
		`{"context":{"slot":5},"value":true}`,
		`{"context":{"slot":5},"value":false}`,
		`{ "value" : true , "context":{"slot":7,"note":[1,2,"]}"]}}`,
		`{"context":{"slot":5},"value":null}`,
		`{"context":{"slot":5},"value":"true"}`,
		`{"context":{"slot":5}}`,
	}
	for _, raw := range valid {
		var fast validAnswer
		var slow rpcContext[bool]
		ferr, serr := json.Unmarshal([]byte(raw), &fast), json.Unmarshal([]byte(raw), &slow)
		if (ferr != nil) != (serr != nil) || fast.Value != slow.Value {
			t.Errorf("%s: read %v (%v), encoding/json reads %v (%v)", raw, fast.Value, ferr, slow.Value, serr)
		}
	}
}
