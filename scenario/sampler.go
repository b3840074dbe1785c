package scenario

import (
	"context"
	"slices"
	"sync"
	"time"

	"slonui/check"
	"slonui/rpc"
)

// peerInfo is one node's latest peer count, last vote and delinquency.
type peerInfo struct {
	peers      int
	lastVote   uint64
	delinquent bool
}

// peerSource gives every node's peerInfo by node number (from the
// cluster's pollers, which ask for peers and votes once a second). It is
// called once per round and must not block.
type peerSource func() map[int]peerInfo

// sampler asks every node, every interval, for what the checks need and
// keeps the history. Start it with run in a goroutine; stop it by
// cancelling the context and waiting on done.
type sampler struct {
	clients  []*rpc.Client // index = node-1
	every    time.Duration
	timeout  time.Duration
	peers    peerSource
	done     chan struct{}
	mu       sync.Mutex
	rounds   []check.Round
	history  []check.Sample
	notified chan struct{} // closed and replaced after every round
}

func newSampler(urls []string, every time.Duration, peers peerSource) (*sampler, error) {
	s := &sampler{every: every, timeout: max(every*2, 500*time.Millisecond), peers: peers,
		done: make(chan struct{}), notified: make(chan struct{})}
	for _, u := range urls {
		cfg := rpc.DefaultConfig()
		cfg.Timeout, cfg.MaxIdleConns = s.timeout, 2
		c, err := rpc.New(u, cfg)
		if err != nil {
			return nil, err
		}
		s.clients = append(s.clients, c)
	}
	return s, nil
}

// run samples until ctx ends, then closes done.
func (s *sampler) run(ctx context.Context) {
	defer close(s.done)
	defer func() {
		for _, c := range s.clients {
			c.Close()
		}
	}()
	t := time.NewTicker(s.every)
	defer t.Stop()
	for {
		r := s.round(ctx)
		s.mu.Lock()
		s.rounds = append(s.rounds, r)
		s.history = append(s.history, r...)
		close(s.notified)
		s.notified = make(chan struct{})
		s.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// next returns a channel closed after the next round.
func (s *sampler) next() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.notified
}

// view returns the rounds and the flat history so far (shared slices; the
// sampler only appends).
func (s *sampler) view() ([]check.Round, []check.Sample) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rounds[:len(s.rounds):len(s.rounds)], s.history[:len(s.history):len(s.history)]
}

// tip is what the first phase of a round learned about one node.
type tip struct {
	ok         bool
	t          time.Time
	processed  uint64 // the slot of the processed bank the hash belongs to
	hash       string
	confirmed  uint64
	finalized  uint64
	onChain    map[int]bool // other node → its tip lies on this node's fork
	commonHash string       // this node's hash of the round's common confirmed slot
}

// round polls every node: first its slots and processed tip hash, then,
// with every tip known, which other tips lie on its fork and its hash of
// the lowest confirmed slot. Nodes that do not answer are left out.
func (s *sampler) round(ctx context.Context) check.Round {
	tips := make([]tip, len(s.clients))
	s.each(ctx, func(ctx context.Context, i int) { tips[i] = s.first(ctx, i) })
	common := uint64(0)
	first := true
	for _, tp := range tips {
		if tp.ok && (first || tp.confirmed < common) {
			common, first = tp.confirmed, false
		}
	}
	if first {
		return nil
	}
	// The second phase reads tips and writes only its own node's answers.
	onChain := make([]map[int]bool, len(tips))
	hashes := make([]string, len(tips))
	s.each(ctx, func(ctx context.Context, i int) {
		if tips[i].ok {
			onChain[i], hashes[i] = s.second(ctx, i, tips, common)
		}
	})
	for i := range tips {
		tips[i].onChain, tips[i].commonHash = onChain[i], hashes[i]
	}
	var info map[int]peerInfo
	if s.peers != nil {
		info = s.peers()
	}
	var r check.Round
	for i, tp := range tips {
		if !tp.ok {
			continue
		}
		smp := check.Sample{Node: i + 1, T: tp.t, Processed: tp.processed, Confirmed: tp.confirmed,
			Finalized: tp.finalized, Parents: chainLinks(i, tips)}
		if tp.commonHash != "" {
			smp.Hashes = map[uint64]string{common: tp.commonHash}
		}
		if pi, ok := info[i+1]; ok {
			smp.Peers, smp.LastVote, smp.Delinquent = pi.peers, pi.lastVote, pi.delinquent
		}
		r = append(r, smp)
	}
	return r
}

// each runs f for every node at once, each under its own timeout.
func (s *sampler) each(ctx context.Context, f func(ctx context.Context, i int)) {
	var wg sync.WaitGroup
	for i := range s.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, cancel := context.WithTimeout(ctx, s.timeout)
			defer cancel()
			f(c, i)
		}()
	}
	wg.Wait()
}

type withContext[T any] struct {
	Context struct{ Slot uint64 }
	Value   T
}

func (s *sampler) first(ctx context.Context, i int) tip {
	var tp tip
	var latest withContext[struct{ Blockhash string }]
	b := s.clients[i].NewBatch()
	calls := []*rpc.BatchCall{
		b.Add("getLatestBlockhash", []any{map[string]any{"commitment": rpc.Processed}}, &latest),
		b.GetSlot(rpc.Confirmed, &tp.confirmed),
		b.GetSlot(rpc.Finalized, &tp.finalized),
	}
	if err := b.Do(ctx); err != nil {
		return tip{}
	}
	for _, c := range calls {
		if c.Err != nil {
			return tip{}
		}
	}
	tp.ok, tp.t = true, time.Now()
	tp.processed, tp.hash = latest.Context.Slot, latest.Value.Blockhash
	return tp
}

// second asks node i whether the other nodes' tips lie on its fork
// (isBlockhashValid at processed: the hash is among the last 150 blocks of
// its processed fork) and for its hash of slot common.
func (s *sampler) second(ctx context.Context, i int, tips []tip, common uint64) (onChain map[int]bool, commonHash string) {
	b := s.clients[i].NewBatch()
	valid := make([]withContext[bool], len(tips))
	calls := make([]*rpc.BatchCall, len(tips))
	for j, o := range tips {
		if j == i || !o.ok || o.hash == "" || o.processed > tips[i].processed {
			continue
		}
		calls[j] = b.Add("isBlockhashValid", []any{o.hash, map[string]any{"commitment": rpc.Processed}}, &valid[j])
	}
	var blk rpc.Block
	bc := b.Add("getBlock", []any{common, map[string]any{"commitment": rpc.Confirmed, "transactionDetails": "none", "rewards": false}}, &blk)
	if err := b.Do(ctx); err != nil {
		return nil, ""
	}
	onChain = map[int]bool{}
	for j, c := range calls {
		if c != nil && c.Err == nil && valid[j].Value {
			onChain[j] = true
		}
	}
	if bc.Err == nil {
		commonHash = blk.Blockhash
	}
	return onChain, commonHash
}

// chainLinks returns ancestor links along node i's fork: its own tip and
// the lower tips of other nodes it found on its fork, highest first, each
// linked to the next. They are ancestry links, not direct parents, which is
// all check.Forks needs to put tips on one chain.
func chainLinks(i int, tips []tip) map[uint64]uint64 {
	slots := []uint64{tips[i].processed}
	for j := range tips[i].onChain {
		if tips[j].processed < tips[i].processed {
			slots = append(slots, tips[j].processed)
		}
	}
	slices.Sort(slots)
	slots = slices.Compact(slots)
	links := map[uint64]uint64{}
	for k := len(slots) - 1; k > 0; k-- {
		links[slots[k]] = slots[k-1]
	}
	return links
}
