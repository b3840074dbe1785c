package cluster

import (
	"bytes"
	"encoding/json"
	"errors"
)

// The two answers of every poll that the rpc client has no reader for,
// read without reflection: encoding/json's reflective decoding of them was
// a quarter of a poll's CPU. Anything unusual (escapes, odd shapes) goes
// through encoding/json as before.

// tipAnswer is getLatestBlockhash's {"context":{…},"value":{"blockhash":…}}.
type tipAnswer struct{ Blockhash string }

func (t *tipAnswer) UnmarshalJSON(raw []byte) error {
	if v, ok := jsonMember(raw, "value"); ok {
		if h, ok := jsonMember(v, "blockhash"); ok {
			if s, ok := plainString(h); ok {
				t.Blockhash = s
				return nil
			}
		}
	}
	var slow rpcContext[struct{ Blockhash string }]
	if err := json.Unmarshal(raw, &slow); err != nil {
		return err
	}
	t.Blockhash = slow.Value.Blockhash
	return nil
}

// validAnswer is isBlockhashValid's {"context":{…},"value":true|false}.
type validAnswer struct{ Value bool }

func (a *validAnswer) UnmarshalJSON(raw []byte) error {
	if v, ok := jsonMember(raw, "value"); ok {
		switch string(v) {
		case "true":
			a.Value = true
			return nil
		case "false":
			a.Value = false
			return nil
		}
	}
	var slow rpcContext[bool]
	if err := json.Unmarshal(raw, &slow); err != nil {
		return err
	}
	a.Value = slow.Value
	return nil
}

// rpcContext is the {"context":{"slot"},"value"} wrapper of some answers.
type rpcContext[T any] struct {
	Context struct{ Slot uint64 }
	Value   T
}

var errShape = errors.New("unexpected JSON")

// jsonMember returns the value of key in the JSON object raw, whitespace
// trimmed; false when raw is not an object with that key (the first, if
// repeated), or is malformed before it.
func jsonMember(raw []byte, key string) ([]byte, bool) {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, false
	}
	i++
	for {
		i = skipWS(raw, i)
		if i >= len(raw) || raw[i] != '"' {
			return nil, false
		}
		end, err := skipValue(raw, i)
		if err != nil {
			return nil, false
		}
		k := raw[i+1 : end-1]
		i = skipWS(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return nil, false
		}
		i = skipWS(raw, i+1)
		vend, err := skipValue(raw, i)
		if err != nil {
			return nil, false
		}
		if string(k) == key {
			return raw[i:vend], true
		}
		i = skipWS(raw, vend)
		if i >= len(raw) || raw[i] != ',' {
			return nil, false
		}
		i++
	}
}

// plainString returns the JSON string v when it has no escapes.
func plainString(v []byte) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || bytes.IndexByte(v[1:len(v)-1], '\\') >= 0 || bytes.IndexByte(v[1:len(v)-1], '"') >= 0 {
		return "", false
	}
	return string(v[1 : len(v)-1]), true
}

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index after the JSON value starting at b[i]. It
// finds the value's end; encoding/json checked the whole answer already.
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errShape
	}
	switch b[i] {
	case '"':
		for j := i + 1; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '"':
				return j + 1, nil
			}
		}
		return 0, errShape
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := skipValue(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1, nil
				}
			}
		}
		return 0, errShape
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	if j == i {
		return 0, errShape
	}
	return j, nil
}
