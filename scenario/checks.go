package scenario

import (
	"context"
	"fmt"
	"slices"
	"time"

	"slonui/check"
	"slonui/rpc"
)

// Default thresholds (the pass column of the guide's targets table where it
// has one).
const (
	DefaultForkResolutionMax = 120 * time.Second
	DefaultRecoveredMax      = 180 * time.Second
	DefaultPeerDiscoveryMax  = 60 * time.Second
	DefaultVotesWindow       = 10 * time.Second
	DefaultRotationSkipRate  = 0.5
	// DefaultMaxBehind is how far (in slots) a node's processed tip may
	// trail the highest one and still count as converged.
	DefaultMaxBehind = 32
)

// CheckResult is one check's outcome in the report.
type CheckResult struct {
	Step      int           `json:"step"` // 1-based step number
	Line      int           `json:"line,omitempty"`
	Name      string        `json:"name"`
	Value     string        `json:"value"`     // what was measured, e.g. "2.1s"
	Threshold string        `json:"threshold"` // e.g. "≤ 120s"
	Pass      bool          `json:"pass"`
	Reason    string        `json:"reason,omitempty"` // why it failed
	Measured  time.Duration `json:"measured_ns,omitempty"`
	// ForksAtHeal is, for fork-resolution, how many forks the last round
	// before the heal saw.
	ForksAtHeal int           `json:"forks_at_heal,omitempty"`
	At          time.Duration `json:"at_ns"` // when it was decided, since the start
}

// refs are the moments the checks measure from.
type refs struct {
	start time.Time // the cluster was started
	heal  time.Time // the last heal step (zero: none)
	nodes []int     // every node number
	step  time.Time // the check step began
}

// verdict is a check evaluated on the samples so far: decided or not yet.
type verdict struct {
	decided bool
	res     CheckResult
}

// evaluate judges a history-based check at now.
func evaluate(s Step, rounds []check.Round, history []check.Sample, r refs, now time.Time) verdict {
	switch s.Check {
	case CheckForkResolution:
		return forkResolution(s, rounds, r, now)
	case CheckRecovered:
		return recovered(s, history, r, now)
	case CheckPeerDiscovery:
		return peerDiscovery(s, history, r, now)
	case CheckVotes:
		return votes(s, history, r, now)
	}
	return verdict{}
}

// forkResolution: heal → converged (see converged) within max.
func forkResolution(s Step, rounds []check.Round, r refs, now time.Time) verdict {
	res := CheckResult{Name: s.Check}
	limit := durationOr(s.Max, DefaultForkResolutionMax)
	behind := uint64(DefaultMaxBehind)
	if s.MaxBehind != nil {
		behind = uint64(*s.MaxBehind)
	}
	res.Threshold = fmt.Sprintf("≤ %s, every tip within %d slots of the highest", limit, behind)
	if d, ok := convergenceTime(rounds, r.heal, behind); ok {
		res.Measured, res.Value, res.Pass = d, roundDur(d).String(), d <= limit
		res.ForksAtHeal = forksAt(rounds, r.heal)
		res.Value += fmt.Sprintf(" (%d forks at the heal)", res.ForksAtHeal)
		if !res.Pass {
			res.Reason = fmt.Sprintf("converged %s after the heal, more than %s", roundDur(d), limit)
		}
		return verdict{true, res}
	}
	if now.Sub(r.heal) <= limit {
		return verdict{}
	}
	res.Value = "not converged"
	res.Reason = fmt.Sprintf("not converged %s after the heal", limit)
	if len(rounds) > 0 {
		_, why := converged(rounds[len(rounds)-1], behind)
		res.Reason += ": " + why
	}
	return verdict{true, res}
}

// recovered: every node saw new_roots new finalized slots within max of
// the heal (Agave's check_for_new_roots).
func recovered(s Step, history []check.Sample, r refs, now time.Time) verdict {
	res := CheckResult{Name: s.Check}
	limit := durationOr(s.Max, DefaultRecoveredMax)
	need := s.NewRoots
	if need == 0 {
		need = check.DefaultNewRoots
	}
	res.Threshold = fmt.Sprintf("%d new roots on every node ≤ %s", need, limit)
	v := check.Recovered(history, r.nodes, r.heal, need)
	if v.OK {
		res.Measured, res.Value, res.Pass = v.Elapsed, roundDur(v.Elapsed).String(), v.Elapsed <= limit
		if !res.Pass {
			res.Reason = fmt.Sprintf("recovered %s after the heal, more than %s", roundDur(v.Elapsed), limit)
		}
		return verdict{true, res}
	}
	if now.Sub(r.heal) <= limit {
		return verdict{}
	}
	least := need
	for _, n := range v.Nodes {
		least = min(least, n.NewRoots)
	}
	res.Value = fmt.Sprintf("fewest new roots %d", least)
	res.Reason = fmt.Sprintf("not recovered %s after the heal: %s", limit, v.Reason)
	return verdict{true, res}
}

// peerDiscovery: start → every node lists every other, within max.
func peerDiscovery(s Step, history []check.Sample, r refs, now time.Time) verdict {
	res := CheckResult{Name: s.Check}
	limit := durationOr(s.Max, DefaultPeerDiscoveryMax)
	res.Threshold = "≤ " + limit.String()
	v := check.PeerDiscovery(history, r.start, len(r.nodes))
	if v.OK {
		res.Measured, res.Value, res.Pass = v.Elapsed, roundDur(v.Elapsed).String(), v.Elapsed <= limit
		if !res.Pass {
			res.Reason = fmt.Sprintf("every node listed every other %s after the start, more than %s", roundDur(v.Elapsed), limit)
		}
		return verdict{true, res}
	}
	if now.Sub(r.start) <= limit {
		return verdict{}
	}
	res.Value = "not discovered"
	res.Reason = fmt.Sprintf("not every node listed every other %s after the start: %s", limit, v.Reason)
	return verdict{true, res}
}

// votes: over the window that begins with the step, every node's last vote
// advances and none is delinquent.
func votes(s Step, history []check.Sample, r refs, now time.Time) verdict {
	res := CheckResult{Name: s.Check}
	w := durationOr(s.Window, DefaultVotesWindow)
	res.Threshold = "every node's last vote advances over " + w.String() + ", none delinquent"
	if now.Sub(r.step) < w {
		return verdict{}
	}
	var win []check.Sample
	for _, smp := range history {
		if !smp.T.Before(r.step) && !smp.T.After(r.step.Add(w)) {
			win = append(win, smp)
		}
	}
	v := check.VoteActivity(win, r.nodes)
	res.Value = fmt.Sprintf("%d/%d advancing, %d delinquent", len(r.nodes)-len(v.Stalled), len(r.nodes), len(v.Delinquent))
	res.Pass, res.Reason = v.OK, v.Reason
	return verdict{true, res}
}

// leaderRotation judges the last s.Slots confirmed slots (default: two
// rotations of 4 slots per node) of one node: blocks by getBlocks, leaders
// by getSlotLeaders. The built-in validator accepts a block only from its
// slot's scheduled leader, so a block's producer is taken to be that
// leader; what is judged is that every scheduled leader produced blocks and
// how many slots were skipped.
func leaderRotation(ctx context.Context, c *rpc.Client, s Step, nodes int) CheckResult {
	res := CheckResult{Name: CheckLeaderRotation}
	slots := uint64(s.Slots)
	if slots == 0 {
		slots = uint64(8 * nodes)
	}
	rate := DefaultRotationSkipRate
	if s.MaxSkipRate != nil {
		rate = *s.MaxSkipRate
	}
	res.Threshold = fmt.Sprintf("every leader produced, skip rate ≤ %.0f%% over %d slots", rate*100, slots)
	to, err := c.GetSlot(ctx, rpc.Confirmed)
	if err != nil {
		res.Value, res.Reason = "unknown", fmt.Sprintf("getSlot: %v", err)
		return res
	}
	if to < slots {
		res.Value, res.Reason = "too early", fmt.Sprintf("confirmed slot %d: fewer than %d slots to judge", to, slots)
		return res
	}
	from := to - slots + 1
	leaders, err := c.GetSlotLeaders(ctx, from, slots)
	if err != nil || uint64(len(leaders)) != slots {
		res.Value, res.Reason = "unknown", fmt.Sprintf("getSlotLeaders %d..%d: %d leaders, %v", from, to, len(leaders), err)
		return res
	}
	var produced []uint64
	if err := c.Call(ctx, "getBlocks", []any{from, to, map[string]any{"commitment": rpc.Confirmed}}, &produced); err != nil {
		res.Value, res.Reason = "unknown", fmt.Sprintf("getBlocks %d..%d: %v", from, to, err)
		return res
	}
	return judgeRotation(res, leaders, produced, from, to, rate)
}

// judgeRotation is leaderRotation's pure part: leaders[k] leads slot
// from+k; produced are the slots with a block.
func judgeRotation(res CheckResult, leaders []string, produced []uint64, from, to uint64, rate float64) CheckResult {
	schedule := map[uint64]string{}
	for k, l := range leaders {
		schedule[from+uint64(k)] = l
	}
	blocks := map[uint64]string{}
	for _, slot := range produced {
		if slot >= from && slot <= to {
			blocks[slot] = schedule[slot]
		}
	}
	v := check.LeaderRotation(schedule, blocks, from, to)
	made := map[string]bool{}
	for _, l := range blocks {
		made[l] = true
	}
	var idle []string
	for _, l := range leaders {
		if !made[l] && !slices.Contains(idle, l) {
			idle = append(idle, l)
		}
	}
	scheduled := len(made) + len(idle)
	res.Value = fmt.Sprintf("%d/%d leaders produced, skip rate %.1f%%", len(made), scheduled, v.SkipRate()*100)
	res.Pass = v.OK && len(idle) == 0 && v.SkipRate() <= rate
	switch {
	case !v.OK:
		res.Reason = v.Reason
	case len(idle) > 0:
		res.Reason = fmt.Sprintf("leaders without a block in slots %d..%d: %v", from, to, idle)
	case v.SkipRate() > rate:
		res.Reason = fmt.Sprintf("%d of %d slots skipped (%.1f%%), more than %.0f%%", v.Slots-v.Produced, v.Slots, v.SkipRate()*100, rate*100)
	}
	return res
}

// converged is check.Converged plus a catch-up rule: every node's
// processed tip within behind slots of the highest. A node that fell back
// to the last block both sides share is on the cluster's chain, but it has
// not caught up; without the rule it would count as converged.
func converged(r check.Round, behind uint64) (bool, string) {
	v := check.Converged(r)
	if !v.OK {
		return false, v.Reason
	}
	top := uint64(0)
	for _, s := range r {
		top = max(top, s.Processed)
	}
	for _, s := range r {
		if top-s.Processed > behind {
			return false, fmt.Sprintf("node %d is at slot %d, %d slots behind the highest tip %d (at most %d)", s.Node, s.Processed, top-s.Processed, top, behind)
		}
	}
	return true, ""
}

// convergenceTime is the time from heal to the first round after it that
// converged (see converged); ok is false when none did.
func convergenceTime(rounds []check.Round, heal time.Time, behind uint64) (time.Duration, bool) {
	for _, r := range rounds {
		if t := r.Time(); len(r) > 0 && !t.Before(heal) {
			if ok, _ := converged(r, behind); ok {
				return t.Sub(heal), true
			}
		}
	}
	return 0, false
}

// forksAt counts the forks of the last round taken before t (0: none).
func forksAt(rounds []check.Round, t time.Time) int {
	for k := len(rounds) - 1; k >= 0; k-- {
		if len(rounds[k]) > 0 && rounds[k].Time().Before(t) {
			return len(check.Forks(rounds[k]))
		}
	}
	return 0
}

func durationOr(s string, d time.Duration) time.Duration {
	if v, err := time.ParseDuration(s); err == nil && s != "" {
		return v
	}
	return d
}

// roundDur rounds a measured time for the report.
func roundDur(d time.Duration) time.Duration {
	if d < time.Second {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}
