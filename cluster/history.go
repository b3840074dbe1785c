package cluster

import (
	"slices"
	"sync"
	"time"

	"slonui/check"
)

// historyRounds bounds the rounds kept for the checks (10 min at 500 ms).
const historyRounds = 1200

// history is what the checks judge: one check.Round per tick of the
// cluster's history loop, built from the pollers' latest answers.
type history struct {
	mu     sync.Mutex
	start  time.Time
	rounds []check.Round
}

func (h *history) add(r check.Round) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.rounds = append(h.rounds, r)
	if over := len(h.rounds) - historyRounds; over > 0 {
		h.rounds = slices.Delete(h.rounds, 0, over)
	}
}

// view returns the start time and the rounds (a shared slice: only
// appended to, and trimmed by copying).
func (h *history) view() (time.Time, []check.Round) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.start, h.rounds[:len(h.rounds):len(h.rounds)]
}

// historyLoop adds a round every interval until the cluster stops, and
// stops the heal→converged stopwatch at the first converged round.
func (c *Cluster) historyLoop(every time.Duration) {
	defer c.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-c.runCtx.Done():
			return
		case <-t.C:
		}
		now := time.Now()
		views := c.views()
		r := roundOf(views, now, c.opts.Stale, c.opts.ForkSlack)
		if len(r) == 0 || len(r) < running(views) {
			// A round without every running node could look converged
			// while the missing one is still on its own fork.
			continue
		}
		c.history.add(r)
		// The stopwatch stops at the round's time, as check.ConvergenceTime
		// measures it.
		if heal := c.faults.healedAt(); !heal.IsZero() && !r.Time().Before(heal) && check.Converged(r).OK {
			c.faults.converged(r.Time())
		}
	}
}

// running counts the views whose process is starting or running.
func running(views []nodeView) int {
	n := 0
	for _, v := range views {
		if v.base.State == NodeRunning || v.base.State == NodeStarting {
			n++
		}
	}
	return n
}

// views copies every member's view.
func (c *Cluster) views() []nodeView {
	views := make([]nodeView, len(c.members))
	for i, m := range c.members {
		views[i] = m.view()
	}
	return views
}

// roundOf turns the live nodes' latest answers into one check.Round. Tips
// on one chain (by the nodes' own isBlockhashValid answers, or by height
// when they cannot answer) are linked lowest to highest, which is all
// check.Forks needs; a node's hash of the common confirmed slot is given
// when every node's recent chain holds that slot. It is pure.
func roundOf(views []nodeView, now time.Time, stale time.Duration, slack uint64) check.Round {
	var live []*nodeView
	for i, v := range views {
		if (v.base.State == NodeRunning || v.base.State == NodeStarting) && !v.ok.At.IsZero() && now.Sub(v.ok.At) <= stale {
			live = append(live, &views[i])
		}
	}
	if len(live) == 0 {
		return nil
	}
	groups, ok := chainGroups(live)
	if !ok {
		groups = heightGroups(live, slack)
	}
	byID := map[int]*nodeView{}
	common := live[0].ok.Confirmed
	for _, v := range live {
		byID[v.base.ID] = v
		common = min(common, v.ok.Confirmed)
	}
	links := map[int]map[uint64]uint64{}
	for _, g := range groups {
		var tips []uint64
		for _, id := range g {
			tips = append(tips, byID[id].ok.Slot)
		}
		slices.Sort(tips)
		tips = slices.Compact(tips)
		l := map[uint64]uint64{}
		for k := len(tips) - 1; k > 0; k-- {
			l[tips[k]] = tips[k-1]
		}
		for _, id := range g {
			links[id] = l
		}
	}
	hashes := map[int]string{}
	for _, v := range live {
		if h, ok := hashAt(v.ok.Chain, common); ok {
			hashes[v.base.ID] = h
		}
	}
	withHashes := len(hashes) == len(live)
	r := make(check.Round, 0, len(live))
	for _, v := range live {
		s := check.Sample{
			Node: v.base.ID, T: v.ok.At, Processed: v.ok.Slot, Confirmed: v.ok.Confirmed, Finalized: v.ok.Root,
			Parents: links[v.base.ID], Peers: v.ok.Peers, LastVote: v.ok.LastVote, Delinquent: v.ok.Delinquent,
		}
		if withHashes {
			s.Hashes = map[uint64]string{common: hashes[v.base.ID]}
		}
		r = append(r, s)
	}
	return r
}
