package rpc

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"slonui/validator/metrics"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

func TestScrapeServer(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := metrics.New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.SetSlots(130, 128, 100)
	m.VoteCast()
	m.VoteCast()
	m.SetPeers(4)
	m.AddTransactions(10, 1)
	m.ObserveReplay(0.002)
	m.RPCRequest("getSlot")
	m.RPCRequest("getSlot")
	m.RPCRequest("getHealth")
	cfg := rpcserver.DefaultConfig()
	cfg.Gatherer = reg
	s, err := rpcserver.New(rpcservertest.NewFake(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	got, err := Scrape(testCtx(t), hs.URL+"/metrics")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"slonana_validator_current_slot":                130,
		"slonana_validator_votes_total":                 2,
		"slonana_network_peers_connected":               4,
		"slonana_transactions_processed_total":          10,
		"slonana_transaction_errors_total":              1,
		"slonui_validator_replay_seconds_count":         1,
		"slonui_rpc_requests_total":                     3,
		`slonui_rpc_requests_total{method="getSlot"}`:   2,
		`slonui_rpc_requests_total{method="getHealth"}`: 1,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	c := newClient(t, hs.URL)
	got2, err := c.Scrape(testCtx(t), hs.URL+"/metrics")
	if err != nil || got2["slonana_validator_current_slot"] != 130 {
		t.Fatalf("Client.Scrape: %v, %v", got2["slonana_validator_current_slot"], err)
	}
	if _, err := Scrape(testCtx(t), hs.URL+"/nothing"); err == nil {
		t.Fatal("404 scraped without error")
	}
}

// TestParseSlonanaExporter: slonana's exporter prints 6 decimals and a
// millisecond timestamp on every sample.
func TestParseSlonanaExporter(t *testing.T) {
	text := `# HELP consensus_current_slot Current slot
# TYPE consensus_current_slot gauge
consensus_current_slot 1234.000000 1732550000123
# TYPE consensus_blocks_processed_total counter
consensus_blocks_processed_total{node="a"} 10.500000 1732550000123
consensus_blocks_processed_total{node="b"} 2.000000 1732550000123
untyped_thing 3
`
	got, err := ParseMetrics(strings.NewReader(text))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{
		"consensus_current_slot":                     1234,
		"consensus_blocks_processed_total":           12.5,
		`consensus_blocks_processed_total{node="a"}`: 10.5,
		`consensus_blocks_processed_total{node="b"}`: 2,
		"untyped_thing":                              3,
	}
	if len(got) != len(want) {
		t.Errorf("got %d series: %v", len(got), got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if _, err := ParseMetrics(strings.NewReader("bad metric {{{\n")); err == nil {
		t.Fatal("garbage parsed")
	}
}
