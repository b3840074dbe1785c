package load

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"slonui/rpc"
	"slonui/solana"
)

// Tracker tuning.
const (
	statusBatch     = 256              // getSignatureStatuses' limit
	minStatusBatch  = 16               // the least a shrinking batch goes down to
	statusParallel  = 4                // status calls in flight per tick
	expireUnknownAt = 90 * time.Second // age that expires a tx when block heights are unknown
	trackAtMost     = 3 * time.Minute  // after this a landed tx is no longer followed
	// slowEvery is how often the slow round runs: the untimed transactions
	// and the confirmed timed ones (for finality) are asked about, the
	// block height is read and aged-out transactions expire.
	slowEvery = time.Second
)

// pending is one accepted transaction the tracker follows.
type pending struct {
	sig       solana.Signature
	intended  time.Time
	step      int
	lastValid uint64
	level     int    // highest latency kind reached: 0 none, LatProcessed…LatFinalized
	slot      uint64 // where it was confirmed (asked about again once that slot is finalized)
	final     bool   // follow on to finalized
	timed     bool   // polled every PollEvery and its latencies recorded
}

// tracker polls signature statuses and records when each transaction
// reached processed, confirmed and finalized, from its intended time.
type tracker struct {
	clients []*rpc.Client
	clock   Clock
	st      *stats
	errs    func(kind string)
	sample  uint64 // follow 1 in sample timed ones to finalized
	// timedRate is how many transactions a second are timed (0: all). The
	// others are asked about once per slowEvery, only to count them as
	// landed or failed: polling every transaction every ~150 ms costs the
	// generator and the nodes more than the transactions themselves at
	// 10,000/s. Which ones are timed is decided by a token bucket as they
	// are sent, independent of their fate, so the timed ones are a uniform
	// sample of the send times and their percentiles estimate everyone's.
	timedRate float64
	tokens    float64
	lastAdd   time.Time

	mu    sync.Mutex
	timed map[solana.Signature]*pending // not yet confirmed: asked about every poll
	// finalizing holds the confirmed timed ones followed on to finalized,
	// in a map of their own so a poll does not walk the thousands of them
	// (~13 s of the timed sample) to find the few hundred still
	// unconfirmed. A slow round asks about those whose slot the node
	// reports finalized (all of them while that is unknown), so each is
	// asked about once or twice rather than every second for 13 s.
	finalizing map[solana.Signature]*pending
	finalSlot  uint64                        // the finalized slot at the last slow round, 0 = unknown
	untimed    map[solana.Signature]*pending // asked about in slow rounds only
	client     int
	height     uint64 // confirmed block height, 0 = unknown
	batch      int    // signatures per status call, 0 = statusBatch
	added      uint64 // timed ones added
	lastSlow   time.Time
}

func newTracker(clients []*rpc.Client, clock Clock, st *stats, errs func(string), sample int, timedRate float64) *tracker {
	return &tracker{clients: clients, clock: clock, st: st, errs: errs, sample: uint64(max(sample, 1)),
		timedRate: timedRate, timed: map[solana.Signature]*pending{}, finalizing: map[solana.Signature]*pending{},
		untimed: map[solana.Signature]*pending{}}
}

// add follows an accepted transaction.
func (t *tracker) add(tx Tx, intended time.Time, step int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := &pending{sig: tx.Sig, intended: intended, step: step, lastValid: tx.LastValid, timed: t.takeToken()}
	if p.timed {
		p.final = t.added%t.sample == 0
		t.added++
		t.timed[tx.Sig] = p
	} else {
		t.untimed[tx.Sig] = p
	}
}

// lookup finds a followed transaction.
func (t *tracker) lookup(sig solana.Signature) *pending {
	if p := t.timed[sig]; p != nil {
		return p
	}
	if p := t.finalizing[sig]; p != nil {
		return p
	}
	return t.untimed[sig]
}

// home is the map that holds p.
func (t *tracker) home(p *pending) map[solana.Signature]*pending {
	switch {
	case !p.timed:
		return t.untimed
	case p.level >= LatConfirmed:
		return t.finalizing
	}
	return t.timed
}

// all is every map of followed transactions.
func (t *tracker) all() []map[solana.Signature]*pending {
	return []map[solana.Signature]*pending{t.timed, t.finalizing, t.untimed}
}

// takeToken reports whether the next transaction is timed: the bucket
// refills at timedRate a second and holds at most a tenth of a second's
// (a send batch arrives at once); it starts full.
func (t *tracker) takeToken() bool {
	if t.timedRate <= 0 {
		return true
	}
	now := t.clock.Now()
	full := max(1, t.timedRate/10)
	if t.lastAdd.IsZero() {
		t.tokens = full
	} else {
		t.tokens = min(t.tokens+now.Sub(t.lastAdd).Seconds()*t.timedRate, full)
	}
	t.lastAdd = now
	if t.tokens >= 1 {
		t.tokens--
		return true
	}
	return false
}

// count is the number of transactions still followed.
func (t *tracker) count() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.timed) + len(t.finalizing) + len(t.untimed)
}

// run polls every `every`, on a fixed schedule however long a poll takes
// (see nextPoll), until ctx ends or, once sendingDone is closed, nothing
// is left to follow.
func (t *tracker) run(ctx context.Context, every time.Duration, sendingDone <-chan struct{}) {
	next := t.clock.Now().Add(every)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.clock.After(max(next.Sub(t.clock.Now()), 0)):
		}
		t.poll(ctx)
		next = nextPoll(next, t.clock.Now(), every)
		select {
		case <-sendingDone:
			if t.count() == 0 {
				return
			}
		default:
		}
	}
}

// nextPoll is when the poll after the one due at prev runs, the poll having
// ended at now: the first of prev+every, prev+2·every, … not before now. A
// poll that overran skips the slots it missed rather than being followed
// at once, so a slow cluster is never asked more often than every `every`.
func nextPoll(prev, now time.Time, every time.Duration) time.Time {
	next := prev.Add(every)
	if next.Before(now) {
		next = next.Add((now.Sub(next) + every - 1) / every * every)
	}
	return next
}

// slowRound reports whether a slow round is due at now, and if so starts
// it.
func (t *tracker) slowRound(now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.lastSlow.IsZero() && now.Sub(t.lastSlow) < slowEvery {
		return false
	}
	t.lastSlow = now
	return true
}

// due lists the signatures to ask about: the timed ones not yet confirmed,
// and in a slow round also the untimed ones and the confirmed timed ones.
func (t *tracker) due(slow bool) []solana.Signature {
	t.mu.Lock()
	defer t.mu.Unlock()
	maps := t.all()
	if !slow {
		maps = maps[:1]
	}
	n := 0
	for _, m := range maps {
		n += len(m)
	}
	out := make([]solana.Signature, 0, n)
	for _, m := range maps {
		for sig, p := range m {
			if p.slot == 0 || t.finalSlot == 0 || p.slot <= t.finalSlot {
				out = append(out, sig)
			}
		}
	}
	return out
}

// nextClient picks the node for the next call.
func (t *tracker) nextClient() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.client++
	return t.client
}

// call runs f against the next node, and on an error against the others
// in turn, counting each error as kind.
func (t *tracker) call(ctx context.Context, kind string, f func(*rpc.Client) error) bool {
	first := t.nextClient()
	for i := range t.clients {
		err := f(t.clients[(first+i)%len(t.clients)])
		if err == nil {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		t.errs(kind + ": " + ErrorKind(err))
	}
	return false
}

// poll runs one round: every due signature in batches of 256, a few
// batches at once; a slow round reads the block height first and expires
// transactions after.
func (t *tracker) poll(ctx context.Context) {
	slow := t.slowRound(t.clock.Now())
	if slow {
		t.call(ctx, "block height", func(c *rpc.Client) error {
			h, err := c.GetBlockHeight(ctx, rpc.Confirmed)
			if err == nil {
				t.mu.Lock()
				t.height = h
				t.mu.Unlock()
			}
			return err
		})
		t.mu.Lock()
		waiting := len(t.finalizing) > 0
		t.mu.Unlock()
		if waiting {
			t.call(ctx, "finalized slot", func(c *rpc.Client) error {
				s, err := c.GetSlot(ctx, rpc.Finalized)
				if err == nil {
					t.mu.Lock()
					t.finalSlot = max(t.finalSlot, s)
					t.mu.Unlock()
				}
				return err
			})
		}
	}
	sigs := t.due(slow)
	size := t.batchSize()
	sem := make(chan struct{}, statusParallel)
	var wg sync.WaitGroup
	for i := 0; i < len(sigs); i += size {
		chunk := sigs[i:min(i+size, len(sigs))]
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			t.call(ctx, "signature statuses", func(c *rpc.Client) error {
				sts, err := c.GetSignatureStatuses(ctx, chunk, false)
				if err == nil {
					t.apply(chunk, sts, t.clock.Now())
				} else if rpc.IsCode(err, rpc.CodeInvalidRequest) {
					t.shrink(len(chunk))
				}
				return err
			})
		}()
	}
	wg.Wait()
	if slow {
		t.expire(t.clock.Now())
	}
}

// batchSize is how many signatures go in one status call.
func (t *tracker) batchSize() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.batch == 0 {
		return statusBatch
	}
	return t.batch
}

// shrink halves the status batch after a node refused a body of n
// signatures as an invalid request (the real slonana cuts bodies past
// ~4 KB), down to minStatusBatch.
func (t *tracker) shrink(n int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if b := max(n/2, minStatusBatch); t.batch == 0 || b < t.batch {
		t.batch = b
	}
}

// apply records what one status answer says.
func (t *tracker) apply(sigs []solana.Signature, sts []*rpc.SignatureStatus, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i, sig := range sigs {
		p := t.lookup(sig)
		if p == nil || i >= len(sts) || sts[i] == nil {
			continue
		}
		st := sts[i]
		from := t.home(p)
		if st.Failed() {
			t.st.failedOnChain(p.step, "tx "+errName(st.Err))
			delete(from, sig)
			continue
		}
		level := LatProcessed
		switch st.ConfirmationStatus {
		case rpc.Confirmed:
			level = LatConfirmed
		case rpc.Finalized:
			level = LatFinalized
		case "":
			if st.Confirmations == nil {
				level = LatFinalized // a node that leaves confirmationStatus out
			}
		}
		for l := p.level + 1; l <= level; l++ {
			t.st.reached(p.step, l, p.intended, now, p.timed)
		}
		p.level = max(p.level, level)
		if level >= LatConfirmed {
			p.slot = st.Slot
		}
		switch {
		case p.level == LatFinalized || p.level == LatConfirmed && !p.final || !p.timed:
			delete(from, sig) // an untimed one is done once it landed
		default:
			if p.level >= LatConfirmed && t.finalizing[sig] == nil {
				delete(from, sig) // confirmed: on to finalized, asked about in slow rounds
				t.finalizing[sig] = p
			}
		}
	}
}

// expire gives up on transactions never seen whose blockhash aged out, and
// stops following landed ones after trackAtMost.
func (t *tracker) expire(now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range t.all() {
		for sig, p := range m {
			age := now.Sub(p.intended)
			switch {
			case p.level == 0 && (t.height > 0 && p.lastValid > 0 && t.height > p.lastValid || age > expireUnknownAt):
				t.st.expired(p.step)
				delete(m, sig)
			case p.level > 0 && age > trackAtMost:
				delete(m, sig)
			}
		}
	}
}

// errName is the variant name of a TransactionError: "BlockhashNotFound"
// from a bare string, "InstructionError" from {"InstructionError":[…]}.
func errName(raw []byte) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return "unknown"
	}
	switch e := v.(type) {
	case string:
		return e
	case map[string]any:
		for k := range e {
			return k
		}
	}
	return "unknown"
}

// finish counts every transaction never seen as unresolved and stops
// following all.
func (t *tracker) finish() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, m := range t.all() {
		for sig, p := range m {
			if p.level == 0 {
				t.st.unresolved(p.step)
			}
			delete(m, sig)
		}
	}
}
