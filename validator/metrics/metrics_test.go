package metrics

import (
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestNamesAndSetters(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := New(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.SetSlots(50, 45, 20)
	m.AddTransactions(7, 2)
	m.VoteCast()
	m.VoteLanded()
	m.VoteReceived()
	m.VoteReceived()
	m.SetPeers(9)
	m.SetForks(2)
	m.SlotSkipped()
	m.ObserveReplay(0.01)
	m.RPCRequest("getSlot")
	m.GossipDropped("signature")
	got := gather(t, reg)
	want := map[string]float64{
		"slonana_validator_current_slot":                  50,
		"slonana_validator_slot_distance":                 30,
		"slonana_validator_votes_total":                   1,
		"slonana_validator_votes_successful":              1,
		"slonana_transactions_processed_total":            7,
		"slonana_transaction_errors_total":                2,
		"slonana_network_peers_connected":                 9,
		"slonui_validator_confirmed_slot":                 45,
		"slonui_validator_root_slot":                      20,
		"slonui_validator_votes_received_total":           2,
		"slonui_validator_live_forks":                     2,
		"slonui_validator_skipped_slots_total":            1,
		`slonui_rpc_requests_total{method="getSlot"}`:     1,
		`slonui_gossip_dropped_total{reason="signature"}`: 1,
		"slonui_validator_replay_seconds_count":           1,
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("%s = %v (present %v), want %v", k, g, ok, v)
		}
	}
}

// gather flattens the registry into name{labels} → value.
func gather(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range fams {
		for _, m := range f.GetMetric() {
			key := f.GetName()
			if len(m.GetLabel()) > 0 {
				l := m.GetLabel()[0]
				key += "{" + l.GetName() + `="` + l.GetValue() + `"}`
			}
			switch {
			case m.Gauge != nil:
				out[key] = m.GetGauge().GetValue()
			case m.Counter != nil:
				out[key] = m.GetCounter().GetValue()
			case m.Histogram != nil:
				out[key+"_count"] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

func TestRegisterTwiceFails(t *testing.T) {
	reg := prometheus.NewRegistry()
	if _, err := New(reg); err != nil {
		t.Fatal(err)
	}
	if _, err := New(reg); err == nil || !strings.Contains(err.Error(), "metrics: register") {
		t.Fatalf("second New on one registry: %v", err)
	}
}

func TestNilMetricsIgnoresCalls(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("a nil *Metrics panicked: %v", r)
		}
	}()
	var m *Metrics
	m.SetSlots(1, 1, 1)
	m.AddTransactions(1, 0)
	m.VoteCast()
	m.VoteLanded()
	m.VoteReceived()
	m.SetPeers(1)
	m.SetForks(1)
	m.SlotSkipped()
	m.ObserveReplay(1)
	m.RPCRequest("x")
	m.GossipDropped("x")
}
