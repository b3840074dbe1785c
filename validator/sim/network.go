package sim

import (
	"math/rand/v2"

	"slonui/validator/core"
)

// item is one message delivery.
type item struct {
	at   int64
	to   int // 0-based node index
	from int
	msg  core.Message
}

// Network is the in-memory network: per-link delay with jitter, seeded
// loss, and cut directed links. It is not safe for concurrent use.
type Network struct {
	n        int
	rng      *rand.Rand
	ring     [][]item // calendar queue: one bucket per millisecond, in send order
	mask     int64
	cur      int64  // the millisecond being delivered
	bucket   []item // the bucket being delivered
	pos      int
	cut      []bool // n*n, cut[from*n+to]
	loss     float64
	delayMs  int64
	jitterMs int64
	down     []bool // a down node neither sends nor receives

	Sent, Dropped, Delivered uint64
}

// NewNetwork returns a network of n nodes with no faults.
func NewNetwork(n int, seed uint64, delayMs, jitterMs int64) *Network {
	var s [32]byte
	for i := 0; i < 8; i++ {
		s[i] = byte(seed >> (8 * i))
	}
	s[31] = 'n'
	delayMs = max(delayMs, 1)
	size := int64(1)
	for size < delayMs+max(jitterMs, 0)+2 {
		size <<= 1
	}
	return &Network{n: n, rng: rand.New(rand.NewChaCha8(s)), ring: make([][]item, size), mask: size - 1,
		cut: make([]bool, n*n), delayMs: delayMs, jitterMs: jitterMs, down: make([]bool, n)}
}

// Cut blocks messages from a to b (0-based).
func (w *Network) Cut(a, b int) { w.cut[a*w.n+b] = true }

// Isolate cuts every link to and from node i.
func (w *Network) Isolate(i int) {
	for j := 0; j < w.n; j++ {
		if j != i {
			w.Cut(i, j)
			w.Cut(j, i)
		}
	}
}

// Partition cuts every link between different groups (0-based ids).
func (w *Network) Partition(groups [][]int) {
	side := make([]int, w.n)
	for gi, g := range groups {
		for _, id := range g {
			side[id] = gi
		}
	}
	for a := 0; a < w.n; a++ {
		for b := 0; b < w.n; b++ {
			if side[a] != side[b] {
				w.Cut(a, b)
			}
		}
	}
}

// Heal removes every cut link.
func (w *Network) Heal() { clear(w.cut) }

// SetLoss sets the drop probability of every link.
func (w *Network) SetLoss(p float64) { w.loss = p }

// SetDown marks a node down (killed) or up.
func (w *Network) SetDown(i int, down bool) { w.down[i] = down }

// Send schedules delivery of m from a to b, unless the link is cut or the
// message is lost.
func (w *Network) Send(now int64, a, b int, m core.Message) {
	w.Sent++
	if w.down[a] || w.down[b] || w.cut[a*w.n+b] || (w.loss > 0 && w.rng.Float64() < w.loss) {
		w.Dropped++
		return
	}
	d := w.delayMs
	if w.jitterMs > 0 {
		d += w.rng.Int64N(w.jitterMs + 1)
	}
	w.push(item{at: now + d, to: b, from: a, msg: m})
}

func (w *Network) push(it item) {
	if it.at < w.cur+1 {
		it.at = w.cur + 1
	}
	i := it.at & w.mask
	w.ring[i] = append(w.ring[i], it)
}

// next returns the next delivery due at or before until, in order of
// delivery time then send order.
func (w *Network) next(until int64) (item, bool) {
	for {
		if w.pos < len(w.bucket) {
			it := w.bucket[w.pos]
			w.bucket[w.pos] = item{}
			w.pos++
			return it, true
		}
		if w.bucket != nil {
			w.ring[w.cur&w.mask] = w.bucket[:0]
			w.bucket, w.pos = nil, 0
			w.cur++
		}
		if w.cur > until {
			return item{}, false
		}
		i := w.cur & w.mask
		if len(w.ring[i]) == 0 {
			w.cur++
			continue
		}
		w.bucket, w.ring[i] = w.ring[i], nil
	}
}
