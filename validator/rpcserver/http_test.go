package rpcserver

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"slonui/validator/metrics"
)

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestHealthEndpoint(t *testing.T) {
	f, _, hs := newTestServer(t)
	for _, c := range []struct {
		h    Health
		want string
	}{{Health{Status: HealthOK}, "ok"}, {Health{Status: HealthBehind, SlotsBehind: 200}, "behind"}, {Health{Status: HealthUnknown}, "unknown"}} {
		f.mu.Lock()
		f.health = c.h
		f.mu.Unlock()
		resp, body := get(t, hs.URL+"/health")
		if resp.StatusCode != 200 || body != c.want || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
			t.Errorf("health %v: HTTP %d %q %q", c.h, resp.StatusCode, body, resp.Header.Get("Content-Type"))
		}
	}
}

func TestCORS(t *testing.T) {
	_, _, hs := newTestServer(t)
	req, _ := http.NewRequest(http.MethodOptions, hs.URL, nil)
	req.Header.Set("Origin", "http://example.test")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type, solana-client")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	h := resp.Header
	if resp.StatusCode != 200 || h.Get("Access-Control-Allow-Origin") != "*" || h.Get("Access-Control-Max-Age") != "86400" ||
		!strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") || h.Get("Access-Control-Allow-Headers") != "content-type, solana-client" {
		t.Fatalf("preflight: %d %v", resp.StatusCode, h)
	}
	presp, err := http.Post(hs.URL, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"getSlot"}`))
	if err != nil {
		t.Fatal(err)
	}
	presp.Body.Close()
	if presp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("POST lacks CORS: %v", presp.Header)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.SetSlots(130, 128, 100)
	m.VoteCast()
	m.SetPeers(9)
	_, s, hs := newTestServer(t, func(c *Config) { c.Gatherer = reg; c.Metrics = m })
	_ = s
	call(t, hs.URL, "getSlot", "")
	resp, body := get(t, hs.URL+"/metrics")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("HTTP %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{
		"# TYPE slonana_validator_current_slot gauge", "slonana_validator_current_slot 130",
		"slonana_validator_votes_total 1", "slonana_network_peers_connected 9",
		"slonana_validator_slot_distance 30", `slonui_rpc_requests_total{method="getSlot"} 1`,
		"# TYPE slonana_transactions_processed_total counter",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestMetricsAbsentWithoutGatherer(t *testing.T) {
	_, _, hs := newTestServer(t)
	resp, _ := get(t, hs.URL+"/metrics")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("HTTP %d", resp.StatusCode)
	}
}

func TestSummaryVoteCountLine(t *testing.T) {
	_, _, hs := newTestServer(t)
	_, body := get(t, hs.URL+"/api/v1/metrics")
	// The guide: curl … | grep "vote_count" | cut -d' ' -f2
	var line string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, "vote_count") {
			line = l
		}
	}
	if f := strings.Split(line, " "); len(f) < 2 || f[1] != "77" {
		t.Fatalf("vote_count line %q in\n%s", line, body)
	}
	if !jsonEqual(t, []byte(body), `{"current_slot":130,"confirmed_slot":128,"root_slot":100,"block_height":127,
		"transaction_count":1300,"transactions_processed":1300,"votes_received":300,"peers_connected":2,"live_forks":1,
		"skipped_slots":0,"uptime_seconds":0,"identity":"`+newFake().identity.Pubkey().String()+`","vote_count":77}`) {
		t.Fatalf("summary %s", body)
	}
}

func TestTowerState(t *testing.T) {
	_, _, hs := newTestServer(t)
	_, body := get(t, hs.URL+"/api/v1/tower_state")
	want := `{"identity":"` + newFake().identity.Pubkey().String() + `","root":90,"last_vote":129,"depth":3,
		"votes":[{"slot":127,"confirmation_count":3,"lockout":8},{"slot":128,"confirmation_count":2,"lockout":4},{"slot":129,"confirmation_count":1,"lockout":2}]}`
	if !jsonEqual(t, []byte(body), want) {
		t.Fatalf("tower %s", body)
	}
}

func TestServeWithoutPubsub(t *testing.T) {
	f := newFake()
	s, err := New(f, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln, nil) }()
	resp, body := get(t, "http://"+ln.Addr().String()+"/health")
	if resp.StatusCode != 200 || body != "ok" {
		t.Fatalf("health %d %q", resp.StatusCode, body)
	}
	stop()
	if err := <-served; err != nil {
		t.Fatalf("Serve = %v", err)
	}
}

func TestRPCOnAnyPathAndMethodNotAllowed(t *testing.T) {
	_, _, hs := newTestServer(t)
	status, b := post(t, hs.URL+"/some/path", `{"jsonrpc":"2.0","id":1,"method":"getSlot"}`)
	if status != 200 || !strings.Contains(string(b), `"result":100`) {
		t.Fatalf("POST /some/path: %d %s", status, b)
	}
	resp, _ := get(t, hs.URL+"/")
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET /: HTTP %d", resp.StatusCode)
	}
}
