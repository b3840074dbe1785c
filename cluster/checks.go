package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"slonui/check"
)

// CheckResult is one verdict of the console's checks panel.
type CheckResult struct {
	Name   string // "forks", "fork resolution", …
	Value  string // what was measured
	Target string // what passes
	Pass   bool
	Detail string // why not, or which nodes; "" when nothing to add
}

// CheckReport is every verdict of one RunChecks.
type CheckReport struct {
	At      time.Time
	Rounds  int // rounds of samples judged
	Results []CheckResult
}

// Passed reports whether every result passed.
func (r CheckReport) Passed() bool {
	for _, c := range r.Results {
		if !c.Pass {
			return false
		}
	}
	return true
}

// Result returns the result called name.
func (r CheckReport) Result(name string) (CheckResult, bool) {
	for _, c := range r.Results {
		if c.Name == name {
			return c, true
		}
	}
	return CheckResult{}, false
}

// voteWindow is how far back vote activity is judged.
const voteWindow = 10 * time.Second

// RunChecks judges the samples the cluster collected (see check): live
// forks, convergence, fork resolution and recovery since the last heal,
// vote activity over the last 10 s and peer discovery since start. It
// does no I/O; ctx only bounds the work.
func (c *Cluster) RunChecks(ctx context.Context) CheckReport {
	start, rounds := c.history.view()
	rep := judge(ctx, start, rounds, c.faults.healedAt(), len(c.members), time.Now())
	if len(rounds) > 0 {
		rep.Results = append(rep.Results, rotation(c.views(), rotationSkipRate))
	}
	return rep
}

// rotationSkipRate is the most skipped slots the leader rotation check
// allows (as the scenario check does by default).
const rotationSkipRate = 0.5

// rotation judges the leader schedule over the slots every answered
// node's recent confirmed chain covers: every scheduled leader produced a
// block, and no more than maxSkip of the slots were skipped. A block's
// producer is taken to be its slot's scheduled leader (nodes refuse blocks
// from anyone else), so what is judged is who produced and what was
// skipped. It is pure.
func rotation(views []nodeView, maxSkip float64) CheckResult {
	res := CheckResult{Name: "leader rotation", Target: fmt.Sprintf("every leader produced, ≤ %.0f%% skipped", maxSkip*100)}
	var from, to uint64
	produced := map[uint64]bool{}
	for _, v := range views {
		if v.ok.At.IsZero() || len(v.ok.Chain) == 0 {
			continue
		}
		from = max(from, v.ok.Chain[0].Slot)
		to = max(to, v.ok.Chain[len(v.ok.Chain)-1].Slot)
		for _, b := range v.ok.Chain {
			produced[b.Slot] = true
		}
	}
	if to == 0 || from >= to {
		res.Value, res.Detail = "unknown", "no node has a recent confirmed chain yet"
		return res
	}
	schedule, blocks := map[uint64]string{}, map[uint64]string{}
	for s := from; s <= to; s++ {
		for _, v := range views {
			if !v.ok.At.IsZero() && v.ok.IsLeader(s) {
				schedule[s] = fmt.Sprintf("node %d", v.base.ID)
				break
			}
		}
		if produced[s] {
			blocks[s] = schedule[s]
		}
	}
	rot := check.LeaderRotation(schedule, blocks, from, to)
	made := map[string]bool{}
	for _, l := range blocks {
		made[l] = true
	}
	var idle []string
	for s := from; s <= to; s++ {
		if l, ok := schedule[s]; ok && !made[l] && !slices.Contains(idle, l) {
			idle = append(idle, l)
		}
	}
	slices.Sort(idle)
	res.Value = fmt.Sprintf("%d/%d leaders produced, %.1f%% of %d slots skipped", len(made), len(made)+len(idle), rot.SkipRate()*100, rot.Slots)
	res.Pass = rot.OK && len(idle) == 0 && rot.SkipRate() <= maxSkip
	switch {
	case !rot.OK:
		res.Detail = rot.Reason
	case len(idle) > 0:
		res.Detail = fmt.Sprintf("no block in slots %d..%d from %s", from, to, strings.Join(idle, ", "))
	case !res.Pass:
		res.Detail = fmt.Sprintf("%d of %d slots skipped", rot.Slots-rot.Produced, rot.Slots)
	}
	return res
}

// judge is RunChecks on given rounds; it is pure.
func judge(ctx context.Context, start time.Time, rounds []check.Round, heal time.Time, n int, now time.Time) CheckReport {
	rep := CheckReport{At: now, Rounds: len(rounds)}
	if len(rounds) == 0 {
		rep.Results = append(rep.Results, CheckResult{Name: "samples", Value: "none", Target: "≥ 1 round", Detail: "no node has answered yet"})
		return rep
	}
	last := rounds[len(rounds)-1]
	forks := check.Forks(last)
	fr := CheckResult{Name: "forks", Value: fmt.Sprint(len(forks)), Target: "1", Pass: len(forks) == 1}
	if len(forks) > 1 {
		fr.Detail = forkDetail(forks)
	}
	rep.Results = append(rep.Results, fr)

	conv := check.Converged(last)
	cr := CheckResult{Name: "converged", Value: "no", Target: "one chain, equal hashes", Pass: conv.OK, Detail: conv.Reason}
	if conv.OK {
		cr.Value = fmt.Sprintf("yes at slot %d", conv.Slot)
		if !conv.HashesChecked {
			cr.Detail = "chains compared; hashes not yet known"
		}
	}
	rep.Results = append(rep.Results, cr)

	fork := guideTarget(check.MetricForkResolution)
	if !heal.IsZero() {
		res := CheckResult{Name: "fork resolution", Value: "not converged", Target: fmt.Sprintf("< %gs (pass < %gs)", fork.Target, fork.PassAt)}
		if d, ok := check.ConvergenceTime(rounds, heal); ok {
			res.Value = d.Round(time.Millisecond).String()
			res.Pass = fork.Grade(check.Seconds(d)) != check.Fail
		} else {
			res.Detail = conv.Reason
		}
		rep.Results = append(rep.Results, res)

		var since []check.Sample
		for _, r := range rounds {
			since = append(since, r...)
		}
		rec := check.Recovered(since, nodesOf(last), heal, check.DefaultNewRoots)
		rr := CheckResult{Name: "recovered", Target: fmt.Sprintf("%d new roots on every node", rec.Need), Pass: rec.OK, Detail: rec.Reason}
		least := -1
		for _, nr := range rec.Nodes {
			if least < 0 || nr.NewRoots < least {
				least = nr.NewRoots
			}
		}
		rr.Value = fmt.Sprintf("≥ %d new roots", max(least, 0))
		if rec.OK {
			rr.Value += " in " + rec.Elapsed.Round(time.Millisecond).String()
		}
		rep.Results = append(rep.Results, rr)
	} else {
		rep.Results = append(rep.Results, CheckResult{Name: "fork resolution", Value: "no heal yet", Target: "heal first (p, then h)", Pass: true})
	}
	if ctx.Err() != nil {
		return rep
	}

	var window []check.Sample
	for _, r := range rounds {
		if now.Sub(r.Time()) <= voteWindow {
			window = append(window, r...)
		}
	}
	votes := check.VoteActivity(window, nodesOf(last))
	vr := CheckResult{Name: "vote activity", Value: fmt.Sprintf("%d/%d advancing", len(votes.Nodes)-len(votes.Stalled), len(votes.Nodes)),
		Target: "every node's last vote advancing", Pass: votes.OK, Detail: votes.Reason}
	rep.Results = append(rep.Results, vr)

	var all []check.Sample
	for _, r := range rounds {
		all = append(all, r...)
	}
	peer := guideTarget(check.MetricPeerDiscovery)
	disc := check.PeerDiscovery(all, start, n)
	pr := CheckResult{Name: "peer discovery", Value: "incomplete", Target: fmt.Sprintf("< %gs (pass < %gs)", peer.Target, peer.PassAt), Detail: disc.Reason}
	if disc.OK {
		pr.Value = disc.Elapsed.Round(time.Millisecond).String()
		pr.Pass = peer.Grade(check.Seconds(disc.Elapsed)) != check.Fail
	}
	rep.Results = append(rep.Results, pr)
	return rep
}

func guideTarget(m check.Metric) check.Target {
	for _, t := range check.GuideTargets() {
		if t.Metric == m {
			return t
		}
	}
	return check.Target{Metric: m}
}

func nodesOf(r check.Round) []int {
	out := make([]int, 0, len(r))
	for _, s := range r {
		out = append(out, s.Node)
	}
	return out
}

func forkDetail(forks []check.Fork) string {
	s := ""
	for i, f := range forks {
		if i > 0 {
			s += "; "
		}
		s += fmt.Sprintf("tip %d: nodes %v", f.Tip, f.Nodes)
	}
	return s
}
