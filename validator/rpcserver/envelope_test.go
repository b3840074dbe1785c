package rpcserver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestEnvelope(t *testing.T) {
	_, _, hs := newTestServer(t)
	cases := []struct {
		name, body string
		want       string // exact reply body (without the trailing newline); "" = no body
	}{
		{"parse error", `{"jsonrpc":"2.0",`, `{"jsonrpc":"2.0","error":{"code":-32700,"message":"Parse error"},"id":null}`},
		{"empty batch", `[]`, `{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request"},"id":null}`},
		{"not an object", `42`, `{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request"},"id":null}`},
		{"no jsonrpc", `{"id":7,"method":"getSlot"}`, `{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request"},"id":7}`},
		{"bad id type", `{"jsonrpc":"2.0","id":{},"method":"getSlot"}`, `{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request"},"id":null}`},
		{"unknown method", `{"jsonrpc":"2.0","id":"a","method":"nope"}`, `{"jsonrpc":"2.0","error":{"code":-32601,"message":"Method not found"},"id":"a"}`},
		{"notification", `{"jsonrpc":"2.0","method":"getSlot"}`, ``},
		{"params missing", `{"jsonrpc":"2.0","id":1,"method":"getSlot"}`, `{"jsonrpc":"2.0","result":100,"id":1}`},
		{"params null", `{"jsonrpc":"2.0","id":1,"method":"getSlot","params":null}`, `{"jsonrpc":"2.0","result":100,"id":1}`},
		{"params empty", `{"jsonrpc":"2.0","id":1,"method":"getSlot","params":[]}`, `{"jsonrpc":"2.0","result":100,"id":1}`},
		{"params by name", `{"jsonrpc":"2.0","id":1,"method":"getSlot","params":{"commitment":"processed"}}`,
			`{"jsonrpc":"2.0","error":{"code":-32602,"message":"` + "`params`" + ` should be an array"},"id":1}`},
		{"string id", `{"jsonrpc":"2.0","id":"9b2c-uuid","method":"getSlot"}`, `{"jsonrpc":"2.0","result":100,"id":"9b2c-uuid"}`},
		{"63-bit id", `{"jsonrpc":"2.0","id":9223372036854775807,"method":"getSlot"}`, `{"jsonrpc":"2.0","result":100,"id":9223372036854775807}`},
		{"huge id", `{"jsonrpc":"2.0","id":123456789012345678901234567890,"method":"getSlot"}`, `{"jsonrpc":"2.0","result":100,"id":123456789012345678901234567890}`},
		{"null id", `{"jsonrpc":"2.0","id":null,"method":"getSlot"}`, `{"jsonrpc":"2.0","result":100,"id":null}`},
		{"batch", `[{"jsonrpc":"2.0","id":1,"method":"getSlot"},{"jsonrpc":"2.0","method":"getSlot"},{"jsonrpc":"2.0","id":"x","method":"getSlot","params":[{"commitment":"processed"}]}]`,
			`[{"jsonrpc":"2.0","result":100,"id":1},{"jsonrpc":"2.0","result":130,"id":"x"}]`},
		{"batch of notifications", `[{"jsonrpc":"2.0","method":"getSlot"}]`, ``},
		{"batch with bad element", `[1,{"jsonrpc":"2.0","id":2,"method":"getSlot"}]`,
			`[{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request"},"id":null},{"jsonrpc":"2.0","result":100,"id":2}]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, b := post(t, hs.URL, c.body)
			if status != http.StatusOK {
				t.Fatalf("HTTP %d", status)
			}
			if got := strings.TrimSuffix(string(b), "\n"); got != c.want {
				t.Fatalf("reply\n got %s\nwant %s", got, c.want)
			}
		})
	}
}

func TestBodyLimit(t *testing.T) {
	_, _, hs := newTestServer(t, func(c *Config) { c.MaxBodyBytes = 1024 })
	pad := strings.Repeat(" ", 1024)
	status, b := post(t, hs.URL, `{"jsonrpc":"2.0","id":1,"method":"getSlot"}`+pad)
	if status != http.StatusRequestEntityTooLarge {
		t.Fatalf("HTTP %d, want 413", status)
	}
	e := decodeStrict(t, b)
	if e.Error.Code != CodeInvalidRequest || !strings.Contains(e.Error.Message, "max 1024") {
		t.Fatalf("error %+v", e.Error)
	}
	// At the limit it is served.
	body := `{"jsonrpc":"2.0","id":1,"method":"getSlot"}`
	status, _ = post(t, hs.URL, body+pad[:1024-len(body)])
	if status != http.StatusOK {
		t.Fatalf("at the limit: HTTP %d", status)
	}
}

func TestDefaultBodyLimitIs50KiB(t *testing.T) {
	if DefaultConfig().MaxBodyBytes != 50*1024 {
		t.Fatalf("default limit %d", DefaultConfig().MaxBodyBytes)
	}
	_, _, hs := newTestServer(t)
	sigs := make([]string, 0, 800)
	for range 800 {
		sigs = append(sigs, `"`+strings.Repeat("1", 64)+`"`)
	}
	status, _ := post(t, hs.URL, fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"getSignatureStatuses","params":[[%s]]}`, strings.Join(sigs, ",")))
	if status != http.StatusRequestEntityTooLarge {
		t.Fatalf("HTTP %d for a %d-byte body", status, 800*67)
	}
}

func TestConfigValidate(t *testing.T) {
	c := DefaultConfig()
	c.MaxBodyBytes = 0
	c.PubsubQueue = -1
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "max body") || !strings.Contains(err.Error(), "pubsub queue") {
		t.Fatalf("Validate = %v, want both problems", err)
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}
