package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"slonui/rpc"
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

	// TipHash is the blockhash of the node's processed bank ("" unknown).
	TipHash string
	// OnChain holds, for other nodes' tip hashes checked lately with
	// isBlockhashValid at processed, whether each is an ancestor (or the
	// tip) of this node's processed fork, within 150 blocks. nil when the
	// node has not been asked or cannot answer. Shared; never modified.
	OnChain map[string]bool

	// Chain is the node's recent confirmed blocks (the last chainWindow
	// slots below its confirmed slot), oldest first. Shared between
	// samples; never modified once built.
	Chain []ChainBlock

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

// rpcPoller polls a node over JSON-RPC with an rpc.Client, one request per
// poll: a batch of getSlot (processed, confirmed, finalized),
// getTransactionCount, getEpochInfo, getLatestBlockhash and the recent
// chain's getBlocks/getBlock (plus getIdentity until known), with
// getVoteAccounts and the isBlockhashValid checks added every votesEvery
// polls and getClusterNodes every slowEvery polls (their answers grow with
// the cluster and change slowly; between them the last peers and vote are
// kept), which the client sends as single requests to a node that answers
// batches short. getLeaderSchedule is asked once per epoch and the
// live-forks gauge scraped from /metrics every metricsEvery polls, each in
// a request of its own.
type rpcPoller struct {
	rpc      *rpc.Client
	identity string

	schedEpoch uint64
	schedOK    bool
	schedTried time.Time // last failed fetch; retried after schedRetry
	leaders    []uint64

	// /metrics is scraped every metricsEvery polls for the live-forks
	// gauge; after metricsMisses pages without it the scrape stops (real
	// slonana answers every path as JSON-RPC).
	metricsURL string
	polls      int // polls so far, this one included
	misses     int
	liveForks  int

	// Kept from the last getClusterNodes / getVoteAccounts answers.
	peers      int
	lastVote   uint64
	delinquent bool

	// others returns the tip hashes of the other live nodes, to check
	// with isBlockhashValid every slowEvery polls; nil means never.
	others      func() []string
	onChain     map[string]bool
	chainMisses int // checks in a row that failed; after metricsMisses, stop

	// Recent confirmed blocks (see addChainCalls).
	chain         []ChainBlock
	chainTop      uint64   // the highest slot getBlocks listed
	pending       []uint64 // slots getBlocks listed whose block is not fetched yet, sorted
	lastConfirmed uint64   // the confirmed slot of the last answered poll
	blockMisses   int      // getBlocks failures in a row; after metricsMisses, stop
}

const (
	schedRetry    = 5 * time.Second
	votesEvery    = 2  // polls between vote and chain-check refreshes (1 s at 500 ms)
	slowEvery     = 4  // polls between peers refreshes (2 s at 500 ms)
	metricsEvery  = 30 // polls between /metrics scrapes (15 s at 500 ms; parsing the page costs more than a poll, and the gauge is not on the screen)
	metricsMisses = 3
)

func newRPCPoller(url, identity string, timeout time.Duration) (*rpcPoller, error) {
	cfg := rpc.DefaultConfig()
	cfg.Timeout, cfg.MaxIdleConns = timeout, 2
	c, err := rpc.New(url, cfg)
	if err != nil {
		return nil, err
	}
	return &rpcPoller{rpc: c, identity: identity, metricsURL: strings.TrimSuffix(url, "/") + "/metrics"}, nil
}

func (p *rpcPoller) Close() { p.rpc.Close() }

func (p *rpcPoller) Poll(ctx context.Context) Sample {
	start := time.Now()
	p.polls++
	slow := (p.polls-1)%slowEvery == 0
	votesDue := (p.polls-1)%votesEvery == 0
	s := Sample{At: start}
	var (
		nodes []rpc.ClusterNode
		votes rpc.VoteAccounts
		epoch rpc.EpochInfo
		ident struct{ Identity string }
	)
	b := p.rpc.NewBatch()
	calls := []*rpc.BatchCall{
		b.GetSlot(rpc.Processed, &s.Slot),
		b.GetSlot(rpc.Confirmed, &s.Confirmed),
		b.GetSlot(rpc.Finalized, &s.Root),
		b.GetTransactionCount(rpc.Processed, &s.Txs),
		b.GetEpochInfo(rpc.Processed, &epoch),
	}
	var tip tipAnswer
	tipCall := b.Add("getLatestBlockhash", []any{map[string]any{"commitment": rpc.Processed}}, &tip)
	var nodesCall, votesCall, identCall *rpc.BatchCall
	if slow {
		nodesCall = b.GetClusterNodes(&nodes)
		calls = append(calls, nodesCall)
	}
	if votesDue {
		votesCall = b.GetVoteAccounts(rpc.Processed, &votes)
		calls = append(calls, votesCall)
	}
	if p.identity == "" {
		identCall = b.Add("getIdentity", nil, &ident)
		calls = append(calls, identCall)
	}
	var chainHashes []string
	var chainCalls []*rpc.BatchCall
	var chainValues []validAnswer
	if votesDue && p.others != nil && p.chainMisses < metricsMisses {
		chainHashes = p.others()
		chainValues = make([]validAnswer, len(chainHashes))
		for i, h := range chainHashes {
			chainCalls = append(chainCalls, b.Add("isBlockhashValid", []any{h, map[string]any{"commitment": rpc.Processed}}, &chainValues[i]))
		}
	}
	chain := p.addChainCalls(b)
	err := b.Do(ctx)
	s.Latency = time.Since(start)
	if err != nil {
		s.Err = err.Error()
		return s
	}
	s.Answered = true
	var errs []error
	for _, c := range calls {
		if c.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.Method, c.Err))
		}
	}
	if identCall != nil && identCall.Err == nil {
		p.identity = ident.Identity
	}
	s.Identity = p.identity
	if nodesCall != nil && nodesCall.Err == nil {
		p.peers = 0
		for _, n := range nodes {
			if n.Pubkey != p.identity {
				p.peers++
			}
		}
	}
	if votesCall != nil && votesCall.Err == nil {
		p.lastVote, p.delinquent = 0, false
		for _, v := range votes.Current {
			if v.NodePubkey == p.identity {
				p.lastVote = v.LastVote
			}
		}
		for _, v := range votes.Delinquent {
			if v.NodePubkey == p.identity {
				p.lastVote, p.delinquent = v.LastVote, true
			}
		}
	}
	s.Peers, s.LastVote, s.Delinquent = p.peers, p.lastVote, p.delinquent
	if tipCall.Err == nil {
		s.TipHash = tip.Blockhash
	}
	p.checkChain(chainHashes, chainCalls, chainValues)
	s.OnChain = p.onChain
	if calls[4].Err == nil && epoch.SlotIndex <= epoch.AbsoluteSlot {
		if err := p.schedule(ctx, epoch.Epoch, epoch.AbsoluteSlot-epoch.SlotIndex); err != nil {
			errs = append(errs, err)
		}
	}
	s.LeaderSlots = p.leaders
	var confirmed uint64
	if calls[1].Err == nil {
		confirmed = s.Confirmed
	}
	s.Chain = p.applyChain(ctx, chain, confirmed)
	if (p.polls-1)%metricsEvery == 0 {
		p.scrapeForks(ctx)
	}
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
	sched, err := p.rpc.GetLeaderSchedule(ctx, &firstSlot, "")
	if err != nil {
		p.schedTried, p.leaders = time.Now(), nil
		return fmt.Errorf("getLeaderSchedule: %w", err)
	}
	slots := make([]uint64, 0, len(sched[p.identity]))
	for _, idx := range sched[p.identity] {
		slots = append(slots, firstSlot+idx)
	}
	slices.Sort(slots)
	p.leaders, p.schedEpoch, p.schedOK = slots, epoch, true
	return nil
}

// scrapeForks refreshes liveForks from /metrics, until metricsMisses
// scrapes in a row found no gauge.
func (p *rpcPoller) scrapeForks(ctx context.Context) {
	if p.misses >= metricsMisses {
		return
	}
	m, err := p.rpc.Scrape(ctx, p.metricsURL)
	if v, ok := m[liveForksMetric]; err == nil && ok {
		p.liveForks, p.misses = int(v), 0
		return
	}
	p.liveForks = 0
	if ctx.Err() == nil {
		p.misses++
	}
}

// checkChain keeps the isBlockhashValid answers of this poll as onChain.
// A node that cannot answer them (an error on any) is asked again at most
// metricsMisses times in a row; these failures are not poll errors, since
// the answers only refine the fork count.
func (p *rpcPoller) checkChain(hashes []string, calls []*rpc.BatchCall, values []validAnswer) {
	if len(calls) == 0 {
		return
	}
	m := make(map[string]bool, len(hashes))
	for i, c := range calls {
		if c.Err != nil {
			p.chainMisses++
			p.onChain = nil
			return
		}
		m[hashes[i]] = values[i].Value
	}
	p.onChain, p.chainMisses = m, 0
}
