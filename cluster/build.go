package cluster

import (
	"slices"
	"time"
)

// point is one answered poll, kept for rates.
type point struct {
	At   time.Time
	Slot uint64
	Txs  uint64
}

// slotRates turns poll points (oldest first) into slots-per-second figures
// over steps of at least step, newest last, at most n of them. Going back
// from the newest point, each figure spans to the first older point at
// least step earlier. A slot counter that went down (a restarted node)
// ends the series.
func slotRates(pts []point, step time.Duration, n int) []float64 {
	if len(pts) < 2 || n <= 0 || step <= 0 {
		return nil
	}
	var rev []float64
	anchor := len(pts) - 1
	for i := anchor - 1; i >= 0 && len(rev) < n; i-- {
		dt := pts[anchor].At.Sub(pts[i].At)
		if dt < step {
			continue
		}
		if pts[anchor].Slot < pts[i].Slot {
			break
		}
		rev = append(rev, float64(pts[anchor].Slot-pts[i].Slot)/dt.Seconds())
		anchor = i
	}
	slices.Reverse(rev)
	return rev
}

// txRate is the transaction-count rate over the newest window of points:
// from the newest point back to the oldest one within window. It reports
// false when fewer than two usable points exist. A counter that went down
// (a restarted node) limits the window to the points after the drop.
func txRate(pts []point, window time.Duration) (float64, bool) {
	if len(pts) < 2 {
		return 0, false
	}
	last := pts[len(pts)-1]
	first := -1
	for i := len(pts) - 2; i >= 0; i-- {
		if last.At.Sub(pts[i].At) > window || pts[i].Txs > pts[i+1].Txs {
			break
		}
		first = i
	}
	if first < 0 {
		return 0, false
	}
	dt := last.At.Sub(pts[first].At).Seconds()
	if dt <= 0 {
		return 0, false
	}
	return float64(last.Txs-pts[first].Txs) / dt, true
}

// median of xs (0 for none); xs is reordered.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}

// countForks estimates live forks from processed tips. Without ancestry it
// can only see divergence in height: tips are sorted and split wherever two
// neighbours are more than slack slots apart; each group counts as one
// chain. Forks at similar heights therefore count as one (an undercount,
// never an overcount of healthy nodes within slack of each other). No tips
// gives 0.
func countForks(tips []uint64, slack uint64) int {
	if len(tips) == 0 {
		return 0
	}
	s := slices.Clone(tips)
	slices.Sort(s)
	groups := 1
	for i := 1; i < len(s); i++ {
		if s[i]-s[i-1] > slack {
			groups++
		}
	}
	return groups
}

// nodeView is what the supervisor knows of one node when a snapshot is
// built: its process state and its latest poll.
type nodeView struct {
	base   NodeSnapshot // id, state, pid, exit, identity, urls, log seq
	sample Sample       // latest poll of the current process ("" At: none)
	ok     Sample       // latest poll that answered without transport error
	points []point      // answered polls of the current process, oldest first
	tips   []string     // recent tip hashes of the current process, oldest first
	// fromPoints is what the builder works out from points, when the
	// member already did (nil: the builder works it out).
	fromPoints *pointFigures
}

// pointFigures are the figures of a node's poll points: its slot rates,
// its recent processed tips and its transaction rate. They change only when
// a poll answers, so a member works them out then, once, and not for every
// snapshot. Shared: read, never modify.
type pointFigures struct {
	slotRate []float64
	tips     []uint64
	tx       float64
	txOK     bool
}

// figuresOf works out the figures of pts with the builder's options.
func figuresOf(pts []point, o buildOptions) *pointFigures {
	f := &pointFigures{slotRate: slotRates(pts, o.RateStep, o.RatePoints), tips: recentTips(pts, chainWindow)}
	f.tx, f.txOK = txRate(pts, o.TPSWindow)
	return f
}

// buildOptions are the knobs of the snapshot builder.
type buildOptions struct {
	RateStep   time.Duration // span of one SlotRate figure (1 s)
	RatePoints int           // SlotRate figures kept (30)
	TPSWindow  time.Duration // window of the TPS rate (5 s)
	ForkSlack  uint64
	Stale      time.Duration // a poll older than this does not count for forks/TPS/leader
	// LeaderPast and LeaderAhead are how many slots before and after the
	// cluster's slot Snapshot.Leaders covers (0: none).
	LeaderPast, LeaderAhead int
}

// buildSnapshot assembles a Snapshot from node views. It is pure: now comes
// from the caller.
func buildSnapshot(now time.Time, dir, name string, views []nodeView, o buildOptions) Snapshot {
	snap := Snapshot{Now: now, Dir: dir, Name: name, Nodes: make([]NodeSnapshot, len(views))}
	var tips []uint64
	var liveViews []*nodeView
	var rates []float64
	var clusterSlot uint64
	live := func(v nodeView) bool {
		return (v.base.State == NodeRunning || v.base.State == NodeStarting) &&
			!v.ok.At.IsZero() && now.Sub(v.ok.At) <= o.Stale
	}
	for i, v := range views {
		n := v.base
		if !v.sample.At.IsZero() {
			n.Polled = v.ok.At
			n.RPCLatency = v.sample.Latency
			n.PollErr = v.sample.Err
		}
		if !v.ok.At.IsZero() {
			s := v.ok
			n.Slot, n.Confirmed, n.Root, n.Txs = s.Slot, s.Confirmed, s.Root, s.Txs
			n.Peers, n.LastVote, n.Delinquent = s.Peers, s.LastVote, s.Delinquent
			n.LiveForks = s.LiveForks
			if n.Identity == "" {
				n.Identity = s.Identity
			}
		}
		f := v.fromPoints
		if f == nil {
			f = figuresOf(v.points, o)
		}
		n.SlotRate = f.slotRate
		n.Chain = v.ok.Chain
		n.Tips = f.tips
		if live(v) {
			tips = append(tips, v.ok.Slot)
			liveViews = append(liveViews, &views[i])
			clusterSlot = max(clusterSlot, v.ok.Slot)
			if f.txOK {
				rates = append(rates, f.tx)
			}
		}
		snap.Nodes[i] = n
	}
	for i, v := range views {
		snap.Nodes[i].Leader = live(v) && v.ok.IsLeader(clusterSlot)
	}
	if g, ok := chainGroups(liveViews); ok {
		snap.Forks, snap.ForkGroups = len(g), g
	} else {
		snap.Forks = countForks(tips, o.ForkSlack)
		snap.ForkGroups = heightGroups(liveViews, o.ForkSlack)
	}
	snap.Leaders = leaderWindow(views, live, clusterSlot, o.LeaderPast, o.LeaderAhead)
	snap.TPS = median(rates)
	return snap
}

// chainForks counts the chains the live nodes are on, from what the nodes
// themselves answered: node j's OnChain[h] true for a recent tip hash h of
// node i means i's tip is an ancestor of (or equal to) j's tip, so the two
// are on one chain. Nodes joined by such answers, in either direction,
// form one group; the groups are the forks. It reports false (use heights)
// unless every live node has a tip hash and has answered the checks.
// A node more than 150 blocks behind the others counts as its own group,
// since its tip is too old for the check.
func chainForks(views []*nodeView) (int, bool) {
	g, ok := chainGroups(views)
	return len(g), ok
}

// chainGroups is chainForks with the groups themselves: the node ids on
// each chain, each sorted, the groups in order of their lowest node.
func chainGroups(views []*nodeView) ([][]int, bool) {
	if len(views) == 0 {
		return nil, true
	}
	for _, v := range views {
		if len(v.tips) == 0 || (len(views) > 1 && v.ok.OnChain == nil) {
			return nil, false
		}
	}
	parent := make([]int, len(views))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, vi := range views {
		for j, vj := range views {
			if i == j || find(i) == find(j) {
				continue
			}
			for _, h := range vi.tips {
				if vj.ok.OnChain[h] {
					parent[find(i)] = find(j)
					break
				}
			}
		}
	}
	byRoot := map[int][]int{}
	var roots []int
	for i, v := range views {
		r := find(i)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], v.base.ID)
	}
	out := make([][]int, 0, len(roots))
	for _, r := range roots {
		g := byRoot[r]
		slices.Sort(g)
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out, true
}

// heightGroups splits the live nodes the way countForks does: by processed
// slot, wherever two neighbours are more than slack apart.
func heightGroups(views []*nodeView, slack uint64) [][]int {
	if len(views) == 0 {
		return nil
	}
	vs := slices.Clone(views)
	slices.SortFunc(vs, func(a, b *nodeView) int { return cmpU64(a.ok.Slot, b.ok.Slot) })
	var out [][]int
	cur := []int{vs[0].base.ID}
	for i := 1; i < len(vs); i++ {
		if vs[i].ok.Slot-vs[i-1].ok.Slot > slack {
			out = append(out, cur)
			cur = nil
		}
		cur = append(cur, vs[i].base.ID)
	}
	out = append(out, cur)
	for _, g := range out {
		slices.Sort(g)
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}
