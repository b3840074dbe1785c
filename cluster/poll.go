package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sample is what one poll of one node answered. Fields whose call failed
// keep their zero value; Err holds the first failure ("" when all answered).
type Sample struct {
	At       time.Time
	Latency  time.Duration
	Answered bool   // the node answered (some calls may still have failed)
	Err      string // first failures, "" when every call answered

	Identity   string
	Slot       uint64 // processed
	Confirmed  uint64
	Root       uint64 // finalized
	Txs        uint64
	Peers      int
	LastVote   uint64
	Delinquent bool
	// LiveForks is the node's own count of live fork tips above its root
	// (its slonui_validator_live_forks gauge), 0 when unknown.
	LiveForks int

	// Leader schedule of the epoch the node is in: absolute slots this node
	// leads, sorted. Shared between samples; never modified once built.
	LeaderSlots []uint64
}

// IsLeader reports whether the sample's schedule has this node leading slot.
func (s Sample) IsLeader(slot uint64) bool {
	_, ok := slices.BinarySearch(s.LeaderSlots, slot)
	return ok
}

// nodeClient asks one node for a Sample. Poll must return by ctx's
// deadline; implementations are used by one poller goroutine at a time.
type nodeClient interface {
	Poll(ctx context.Context) Sample
	Close()
}

// rpcPoller polls a node over JSON-RPC: one batch of getSlot (processed,
// confirmed, finalized), getTransactionCount, getClusterNodes,
// getVoteAccounts and getEpochInfo (plus getIdentity until known), and
// getLeaderSchedule once per epoch.
type rpcPoller struct {
	rpc      *jsonRPC
	identity string

	// /metrics is scraped every metricsEvery polls for the live-forks
	// gauge; after metricsMisses pages without it the scrape stops (real
	// slonana answers every path as JSON-RPC).
	metricsURL string
	polls      int
	misses     int
	liveForks  int

	schedEpoch uint64
	schedOK    bool
	schedTried time.Time // last failed fetch; retried after schedRetry
	leaders    []uint64
}

const (
	schedRetry    = 5 * time.Second
	metricsEvery  = 4
	metricsMisses = 3
)

func newRPCPoller(url, identity string) *rpcPoller {
	return &rpcPoller{rpc: newJSONRPC(url), identity: identity, metricsURL: strings.TrimSuffix(url, "/") + "/metrics"}
}

// scrapeForks refreshes liveForks from /metrics every metricsEvery polls.
func (p *rpcPoller) scrapeForks(ctx context.Context) {
	p.polls++
	if p.misses >= metricsMisses || (p.polls-1)%metricsEvery != 0 {
		return
	}
	v, found, err := scrapeGauge(ctx, p.rpc.http, p.metricsURL, liveForksMetric)
	switch {
	case err == nil && found:
		p.liveForks, p.misses = int(v), 0
	case err == nil || !isTimeout(ctx):
		p.misses++
		p.liveForks = 0
	}
}

func isTimeout(ctx context.Context) bool { return ctx.Err() != nil }

func (p *rpcPoller) Close() { p.rpc.close() }

func commitment(level string) []any { return []any{map[string]string{"commitment": level}} }

func (p *rpcPoller) Poll(ctx context.Context) Sample {
	start := time.Now()
	calls := []rpcCall{
		{"getSlot", commitment("processed")},
		{"getSlot", commitment("confirmed")},
		{"getSlot", commitment("finalized")},
		{"getTransactionCount", commitment("processed")},
		{"getClusterNodes", nil},
		{"getVoteAccounts", commitment("processed")},
		{"getEpochInfo", commitment("processed")},
	}
	if p.identity == "" {
		calls = append(calls, rpcCall{"getIdentity", nil})
	}
	s := Sample{At: start}
	replies, err := p.rpc.do(ctx, calls)
	s.Latency = time.Since(start)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	s.Answered = true
	var errs []error
	get := func(i int, v any) bool {
		r := replies[i]
		if r.Err == nil {
			if err := json.Unmarshal(r.Result, v); err != nil {
				r.Err = fmt.Errorf("%s: decode: %w", calls[i].Method, err)
			}
		}
		if r.Err != nil {
			errs = append(errs, r.Err)
			return false
		}
		return true
	}
	if len(calls) > 7 {
		var id struct{ Identity string }
		if get(7, &id) {
			p.identity = id.Identity
		}
	}
	s.Identity = p.identity
	get(0, &s.Slot)
	get(1, &s.Confirmed)
	get(2, &s.Root)
	get(3, &s.Txs)
	var nodes []struct{ Pubkey string }
	if get(4, &nodes) {
		for _, n := range nodes {
			if n.Pubkey != p.identity {
				s.Peers++
			}
		}
	}
	var votes struct {
		Current, Delinquent []struct {
			NodePubkey string
			LastVote   uint64
		}
	}
	if get(5, &votes) {
		for _, v := range votes.Current {
			if v.NodePubkey == p.identity {
				s.LastVote = v.LastVote
			}
		}
		for _, v := range votes.Delinquent {
			if v.NodePubkey == p.identity {
				s.LastVote, s.Delinquent = v.LastVote, true
			}
		}
	}
	var epoch struct{ AbsoluteSlot, Epoch, SlotIndex uint64 }
	if get(6, &epoch) {
		if err := p.schedule(ctx, epoch.Epoch, epoch.AbsoluteSlot-epoch.SlotIndex); err != nil {
			errs = append(errs, err)
		}
	}
	s.LeaderSlots = p.leaders
	p.scrapeForks(ctx)
	s.LiveForks = p.liveForks
	if len(errs) > 0 {
		s.Err = errors.Join(errs...).Error()
	}
	s.Latency = time.Since(start)
	return s
}

// schedule fetches the leader schedule when the epoch changed; after a
// failure it tries again only after schedRetry, so a node without the method
// costs one extra request every few seconds.
func (p *rpcPoller) schedule(ctx context.Context, epoch, firstSlot uint64) error {
	if p.schedOK && p.schedEpoch == epoch || p.identity == "" || time.Since(p.schedTried) < schedRetry {
		return nil
	}
	fail := func(err error) error {
		p.schedTried, p.leaders = time.Now(), nil
		return err
	}
	r, err := p.rpc.do(ctx, []rpcCall{{"getLeaderSchedule", []any{firstSlot}}})
	if err != nil {
		return fail(err)
	}
	if r[0].Err != nil {
		return fail(r[0].Err)
	}
	var sched map[string][]uint64
	if err := json.Unmarshal(r[0].Result, &sched); err != nil {
		return fail(fmt.Errorf("getLeaderSchedule: decode: %w", err))
	}
	slots := make([]uint64, 0, len(sched[p.identity]))
	for _, idx := range sched[p.identity] {
		slots = append(slots, firstSlot+idx)
	}
	slices.Sort(slots)
	p.leaders, p.schedEpoch, p.schedOK = slots, epoch, true
	return nil
}
