package metrics

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are one validator's metrics. The zero value is not usable; call
// New. All methods are safe for concurrent use; a nil *Metrics ignores calls.
type Metrics struct {
	currentSlot   prometheus.Gauge
	confirmedSlot prometheus.Gauge
	rootSlot      prometheus.Gauge
	slotDistance  prometheus.Gauge
	txProcessed   prometheus.Counter
	txErrors      prometheus.Counter
	votesCast     prometheus.Counter
	votesOK       prometheus.Counter
	votesSeen     prometheus.Counter
	peers         prometheus.Gauge
	forks         prometheus.Gauge
	skipped       prometheus.Counter
	replay        prometheus.Histogram
	rpcRequests   *prometheus.CounterVec
	gossipDrops   *prometheus.CounterVec
}

// New defines the metrics and registers them on reg.
func New(reg prometheus.Registerer) (*Metrics, error) {
	g := func(name, help string) prometheus.Gauge {
		return prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
	}
	c := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
	}
	m := &Metrics{
		currentSlot:   g("slonana_validator_current_slot", "Slot of the bank this node is working on (processed)."),
		confirmedSlot: g("slonui_validator_confirmed_slot", "Highest optimistically confirmed slot."),
		rootSlot:      g("slonui_validator_root_slot", "Highest finalized (super-majority rooted) slot."),
		slotDistance:  g("slonana_validator_slot_distance", "Processed slot minus finalized slot."),
		txProcessed:   c("slonana_transactions_processed_total", "Transactions executed in banks this node replayed or produced."),
		txErrors:      c("slonana_transaction_errors_total", "Transactions that executed with an error."),
		votesCast:     c("slonana_validator_votes_total", "Votes this node has cast."),
		votesOK:       c("slonana_validator_votes_successful", "Votes of this node that landed in a block."),
		votesSeen:     c("slonui_validator_votes_received_total", "Votes received from other validators."),
		peers:         g("slonana_network_peers_connected", "Gossip peers heard from within the expiry window."),
		forks:         g("slonui_validator_live_forks", "Live fork tips above the root."),
		skipped:       c("slonui_validator_skipped_slots_total", "Slots that ended without a block on this node's fork."),
		replay: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "slonui_validator_replay_seconds", Help: "Time of the loop turn that finished replaying a block (blocks replay piece by piece as they arrive).",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14),
		}),
		rpcRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slonui_rpc_requests_total", Help: "JSON-RPC requests by method."}, []string{"method"}),
		gossipDrops: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "slonui_gossip_dropped_total", Help: "Gossip messages dropped, by reason."}, []string{"reason"}),
	}
	for _, col := range []prometheus.Collector{m.currentSlot, m.confirmedSlot, m.rootSlot, m.slotDistance,
		m.txProcessed, m.txErrors, m.votesCast, m.votesOK, m.votesSeen, m.peers, m.forks, m.skipped,
		m.replay, m.rpcRequests, m.gossipDrops} {
		if err := reg.Register(col); err != nil {
			return nil, fmt.Errorf("metrics: register: %w", err)
		}
	}
	return m, nil
}

// SetSlots records the processed, confirmed and finalized slots.
func (m *Metrics) SetSlots(processed, confirmed, finalized uint64) {
	if m == nil {
		return
	}
	m.currentSlot.Set(float64(processed))
	m.confirmedSlot.Set(float64(confirmed))
	m.rootSlot.Set(float64(finalized))
	m.slotDistance.Set(float64(processed) - float64(finalized))
}

// AddTransactions counts executed transactions, failed among them.
func (m *Metrics) AddTransactions(processed, failed int) {
	if m == nil {
		return
	}
	m.txProcessed.Add(float64(processed))
	m.txErrors.Add(float64(failed))
}

// VoteCast counts a vote this node sent.
func (m *Metrics) VoteCast() {
	if m != nil {
		m.votesCast.Inc()
	}
}

// VoteLanded counts a vote of this node found in a block.
func (m *Metrics) VoteLanded() {
	if m != nil {
		m.votesOK.Inc()
	}
}

// VoteReceived counts a vote received from another validator.
func (m *Metrics) VoteReceived() {
	if m != nil {
		m.votesSeen.Inc()
	}
}

// SetPeers records the number of live gossip peers.
func (m *Metrics) SetPeers(n int) {
	if m != nil {
		m.peers.Set(float64(n))
	}
}

// SetForks records the number of live fork tips.
func (m *Metrics) SetForks(n int) {
	if m != nil {
		m.forks.Set(float64(n))
	}
}

// SlotSkipped counts a skipped slot.
func (m *Metrics) SlotSkipped() {
	if m != nil {
		m.skipped.Inc()
	}
}

// ObserveReplay records, in seconds, the loop turn that finished replaying a
// block (its last pieces: earlier ones were replayed as they arrived).
func (m *Metrics) ObserveReplay(seconds float64) {
	if m != nil {
		m.replay.Observe(seconds)
	}
}

// RPCRequest counts one JSON-RPC request of method.
func (m *Metrics) RPCRequest(method string) {
	if m != nil {
		m.rpcRequests.WithLabelValues(method).Inc()
	}
}

// GossipDropped counts a dropped gossip message ("signature", "shred_version", …).
func (m *Metrics) GossipDropped(reason string) {
	if m != nil {
		m.gossipDrops.WithLabelValues(reason).Inc()
	}
}
