package rpcserver

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
)

// newTestServer starts the RPC handler over a fresh fake on 127.0.0.1:0.
func newTestServer(t *testing.T, mod ...func(*Config)) (*fakeBackend, *Server, *httptest.Server) {
	t.Helper()
	f := newFake()
	cfg := DefaultConfig()
	for _, m := range mod {
		m(&cfg)
	}
	s, err := New(f, cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return f, s, hs
}

// post sends body and returns the HTTP status and the reply body.
func post(t *testing.T, url, body string) (int, []byte) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// envelope is a reply decoded strictly, as solana-go does.
type envelope struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  json.RawMessage `json:"result"`
	Error   *struct {
		Code    int             `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	} `json:"error"`
	ID json.RawMessage `json:"id"`
}

func decodeStrict(t *testing.T, b []byte) envelope {
	t.Helper()
	var e envelope
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&e); err != nil {
		t.Fatalf("reply %s: %v", b, err)
	}
	if e.JSONRPC != "2.0" {
		t.Fatalf("reply %s: jsonrpc %q", b, e.JSONRPC)
	}
	if (e.Error == nil) == (e.Result == nil) {
		t.Fatalf("reply %s: want exactly one of result and error", b)
	}
	return e
}

// call posts one request and decodes the reply strictly.
func call(t *testing.T, url, method, params string) envelope {
	t.Helper()
	body := `{"jsonrpc":"2.0","id":1,"method":"` + method + `"`
	if params != "" {
		body += `,"params":` + params
	}
	status, b := post(t, url, body+"}")
	if status != http.StatusOK {
		t.Fatalf("%s: HTTP %d", method, status)
	}
	return decodeStrict(t, b)
}

// jsonEqual compares two JSON texts by value.
func jsonEqual(t *testing.T, got []byte, want string) bool {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("got %s: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want %s: %v", want, err)
	}
	return reflect.DeepEqual(g, w)
}

// newBenchServer serves s on 127.0.0.1:0 for a benchmark and returns its URL.
func newBenchServer(b *testing.B, s *Server) string {
	hs := httptest.NewServer(s.Handler())
	b.Cleanup(hs.Close)
	return hs.URL
}
