package netfault

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const testToken = "s3cret-token"

// startAdmin serves the admin API over f on a fresh loopback port.
func startAdmin(t *testing.T, f *Filter) string {
	t.Helper()
	ln, err := ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ServeAdmin(ctx, ln, AdminHandler(f, testToken)) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeAdmin: %v", err)
		}
	})
	return ln.Addr().String()
}

func TestListenLoopbackRefusesOthers(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0"} {
		ln, err := ListenLoopback(addr)
		if err == nil {
			ln.Close()
			t.Errorf("ListenLoopback(%q) succeeded, want refusal", addr)
			continue
		}
		if !errors.Is(err, ErrNotLoopback) {
			t.Errorf("ListenLoopback(%q) = %v, want ErrNotLoopback", addr, err)
		}
	}
	ln, err := ListenLoopback("localhost:0")
	if err != nil {
		t.Fatalf("ListenLoopback(localhost:0): %v", err)
	}
	ln.Close()
}

func rawRequest(t *testing.T, method, url, auth, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAdminRequiresToken(t *testing.T) {
	addr := startAdmin(t, newFilter(t))
	for _, auth := range []string{"", "Bearer wrong", "Bearer " + testToken + "x", testToken} {
		code, _ := rawRequest(t, "GET", "http://"+addr+"/faults", auth, "")
		if code != http.StatusUnauthorized {
			t.Errorf("Authorization %q: status %d, want 401", auth, code)
		}
	}
	if code, _ := rawRequest(t, "GET", "http://"+addr+"/faults", "Bearer "+testToken, ""); code != 200 {
		t.Fatalf("right token: status %d", code)
	}
	// A node with an empty token refuses everything rather than allowing it.
	open := startAdminToken(t, newFilter(t), "")
	if code, _ := rawRequest(t, "GET", "http://"+open+"/faults", "Bearer ", ""); code != http.StatusUnauthorized {
		t.Fatalf("empty configured token: status %d, want 401", code)
	}
}

func startAdminToken(t *testing.T, f *Filter, token string) string {
	ln, err := ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ServeAdmin(ctx, ln, AdminHandler(f, token)); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

func TestAdminBadBodiesNameTheField(t *testing.T) {
	addr := startAdmin(t, newFilter(t))
	tests := []struct {
		path, body, field string
	}{
		{"/faults/partition", `{}`, "peers"},
		{"/faults/partition", `{"peers":[]}`, "peers"},
		{"/faults/partition", `{"peers":["not-an-ip"]}`, "partition[0]"},
		{"/faults/partition", `{"peers":"127.0.0.2"}`, "peers"},
		{"/faults/partition", `{"peers":["127.0.0.2"],"extra":1}`, "extra"},
		{"/faults/loss", `{"fraction":2}`, "fraction"},
		{"/faults/loss", `{}`, "fraction"},
		{"/faults/loss", `{"fraction":"lots"}`, "fraction"},
		{"/faults/loss", `{"fraction":0.1,"peers":["x"]}`, "loss.peers[0]"},
		{"/faults/delay", `{"jitter_ms":3}`, "ms"},
		{"/faults/delay", `{"ms":-5}`, "ms"},
		{"/faults/delay", `{"ms":5,"jitter_ms":-1}`, "jitter_ms"},
		{"/faults/delay", `{"ms":9999999999999}`, "ms"},
		{"/faults/delay", `not json`, "body"},
		{"/faults/delay", ``, "body"},
	}
	for _, tc := range tests {
		code, body := rawRequest(t, "POST", "http://"+addr+tc.path, "Bearer "+testToken, tc.body)
		if code != http.StatusBadRequest || !strings.Contains(body, tc.field) {
			t.Errorf("POST %s %s: %d %s; want 400 naming %q", tc.path, tc.body, code, strings.TrimSpace(body), tc.field)
		}
	}
	if code, _ := rawRequest(t, "DELETE", "http://"+addr+"/faults", "Bearer "+testToken, ""); code != http.StatusMethodNotAllowed {
		t.Errorf("DELETE /faults: %d, want 405", code)
	}
}

func TestClientDrivesFilter(t *testing.T) {
	f := newFilter(t)
	c := NewClient(startAdmin(t, f), testToken)
	ctx := context.Background()

	st, err := c.Partition(ctx, []string{"127.0.0.3", "127.0.0.2:8001"})
	if err != nil {
		t.Fatal(err)
	}
	st, err = c.Partition(ctx, []string{"127.0.0.4"})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(st.Rules.Partition, ","); got != "127.0.0.2:8001,127.0.0.3,127.0.0.4" || !st.Active {
		t.Fatalf("partition after two calls = %q (active %v)", got, st.Active)
	}
	if _, err := c.Loss(ctx, 0.05, []string{"127.0.0.9"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Delay(ctx, 100*time.Millisecond, 20*time.Millisecond, nil); err != nil {
		t.Fatal(err)
	}
	got := f.Rules()
	if got.Loss.Fraction != 0.05 || got.Loss.Peers[0] != "127.0.0.9" || got.Delay.MS != 100 || got.Delay.JitterMS != 20 {
		t.Fatalf("filter rules after client calls: %+v", got)
	}
	st, err = c.Faults(ctx)
	if err != nil || st.Rules.Delay.MS != 100 {
		t.Fatalf("Faults = %+v, %v", st, err)
	}
	st, err = c.Heal(ctx)
	if err != nil || st.Active || f.rules.Load() != nil {
		t.Fatalf("after heal: %+v, %v; filter rules %+v", st, err, f.rules.Load())
	}

	var apiErr *APIError
	if _, err := NewClient(c.base, "wrong").Faults(ctx); !errors.As(err, &apiErr) || apiErr.Code != 401 {
		t.Fatalf("wrong token: %v, want APIError 401", err)
	}
	if _, err := c.Loss(ctx, 7, nil); !errors.As(err, &apiErr) || apiErr.Code != 400 || !strings.Contains(apiErr.Message, "fraction") {
		t.Fatalf("bad loss: %v, want APIError 400 naming fraction", err)
	}
}

func TestAdminDirectionsAndReplace(t *testing.T) {
	f := newFilter(t)
	addr := startAdmin(t, f)
	c := NewClient(addr, testToken)
	ctx := context.Background()
	if code, body := rawRequest(t, "POST", "http://"+addr+"/faults/partition", "Bearer "+testToken,
		`{"peers":["127.0.0.2"],"direction":"sideways"}`); code != 400 || !strings.Contains(body, "direction") {
		t.Fatalf("bad direction: %d %s", code, body)
	}
	if _, err := c.PartitionDirected(ctx, []string{"127.0.0.2"}, Inbound); err != nil {
		t.Fatal(err)
	}
	st, err := c.PartitionDirected(ctx, []string{"127.0.0.3"}, Outbound)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Rules.PartitionIn) != 1 || st.Rules.PartitionIn[0] != "127.0.0.2" ||
		len(st.Rules.PartitionOut) != 1 || st.Rules.PartitionOut[0] != "127.0.0.3" || len(st.Rules.Partition) != 0 {
		t.Fatalf("rules after directed partitions: %+v", st.Rules)
	}
	saved := st.Rules
	// Replace everything, then restore the saved rules (a rollback).
	if _, err := c.SetRules(ctx, Rules{Loss: LossRule{Fraction: 0.5}}); err != nil {
		t.Fatal(err)
	}
	if r := f.Rules(); len(r.PartitionIn) != 0 || r.Loss.Fraction != 0.5 {
		t.Fatalf("after PUT: %+v", r)
	}
	// A bad rule set changes nothing.
	if _, err := c.SetRules(ctx, Rules{Partition: []string{"bad"}, Loss: LossRule{Fraction: 0.1}}); err == nil {
		t.Fatal("PUT with a bad peer accepted")
	}
	if f.Rules().Loss.Fraction != 0.5 {
		t.Fatal("a refused PUT changed the rules")
	}
	if st, err = c.SetRules(ctx, saved); err != nil || st.Rules.PartitionIn[0] != "127.0.0.2" || st.Rules.Loss.Fraction != 0 {
		t.Fatalf("restore: %+v, %v", st.Rules, err)
	}
	// GET shows every list as [], never null, when nothing is set.
	c.Heal(ctx)
	_, body := rawRequest(t, "GET", "http://"+addr+"/faults", "Bearer "+testToken, "")
	if strings.Contains(body, "null") {
		t.Fatalf("GET /faults with no fault has nulls: %s", body)
	}
}
