package scenario

import (
	"context"
	"fmt"
	"time"

	"slonui/chaos"
)

// describe is a step's action in the file's words, e.g. "isolate 5",
// "check fork-resolution", "wait peers == all".
func describe(s Step) string {
	switch act := s.Action(); act {
	case "start":
		return "start"
	case "partition":
		return "partition " + s.Partition
	case "isolate", "pause", "resume", "kill", "restart":
		return fmt.Sprintf("%s %d", act, s.nodeOf(act))
	case "heal":
		return "heal"
	case "loss":
		return fmt.Sprintf("loss %v%%", *s.Loss) + scopeWords(s)
	case "delay":
		d := "delay " + s.Delay
		if s.Jitter != "" {
			d += " ± " + s.Jitter
		}
		return d + scopeWords(s)
	case "load":
		return "load " + s.Load + " TPS for " + s.Duration
	case "check":
		return "check " + s.Check
	}
	if s.After != "" {
		return "wait " + s.After
	}
	return "wait until " + s.At
}

func scopeWords(s Step) string {
	out := ""
	if s.Node != "" {
		out += " on node " + s.Node
	}
	if s.Peer != "" {
		out += " to " + s.Peer
	}
	return out
}

// act performs step i's action and returns what it did.
func (r *run) act(ctx context.Context, i int, s Step) (string, error) {
	act := s.Action()
	switch act {
	case "", "start":
		if act == "start" {
			return fmt.Sprintf("%d nodes, %d ms slots, in %s", r.rep.Nodes, r.rep.SlotMS, r.cfg.Dir), nil
		}
		return "", nil
	case "check":
		return r.check(ctx, i, s)
	case "load":
		return r.startLoad(ctx, s)
	}
	actx, cancel := context.WithTimeout(ctx, r.cfg.ActionTimeout)
	defer cancel()
	switch act {
	case "pause":
		return "SIGSTOP", r.cl.Pause(actx, s.Pause)
	case "resume":
		return "SIGCONT", r.cl.Resume(actx, s.Resume)
	case "kill":
		return "SIGKILL", r.cl.Kill(actx, s.Kill)
	case "restart":
		return "stopped and started again", r.cl.Restart(actx, s.Restart)
	}
	plan, err := r.plan(s)
	if err != nil {
		return "", err
	}
	if _, err := r.devnet.Apply(actx, plan); err != nil {
		return "", fmt.Errorf("%s: %w", plan.Name, err)
	}
	if act == "heal" {
		r.heal = time.Now()
	}
	if sum := plan.Summary(r.topo); sum != plan.Name {
		return sum, nil
	}
	return plan.Name, nil
}

// plan builds the chaos plan of a network step.
func (r *run) plan(s Step) (chaos.Plan, error) {
	t := r.topo
	var nodes, peers []int
	var err error
	if s.Node != "" {
		if nodes, err = chaos.ParseNodes(s.Node, t.Len()); err != nil {
			return chaos.Plan{}, err
		}
	}
	if s.Peer != "" {
		if peers, err = chaos.ParseNodes(s.Peer, t.Len()); err != nil {
			return chaos.Plan{}, err
		}
	}
	switch s.Action() {
	case "partition":
		return chaos.ParsePartition(t, s.Partition)
	case "isolate":
		return chaos.Isolate(t, s.Isolate)
	case "heal":
		return chaos.Heal(t), nil
	case "loss":
		return chaos.Loss(t, *s.Loss/100, nodes, peers)
	case "delay":
		d, _ := time.ParseDuration(s.Delay)
		j := durationOr(s.Jitter, 0)
		return chaos.Delay(t, d, j, nodes, peers)
	}
	return chaos.Plan{}, fmt.Errorf("%s: not a network action", s.Action())
}

// evaluateEvery is how often a waiting check step judges the samples.
const evaluateEvery = time.Second

// check runs a check step: it waits until the verdict is decided, records
// it, and returns its one-line summary. A failed check is not an error.
func (r *run) check(ctx context.Context, i int, s Step) (string, error) {
	var res CheckResult
	switch s.Check {
	case CheckLeaderRotation:
		res = r.rotation(ctx, s)
	case CheckLoad:
		var err error
		if res, err = r.loadCheck(ctx, s); err != nil {
			return "", err
		}
	default:
		rf := refs{start: r.start, heal: r.heal, nodes: r.nodes, step: time.Now()}
		var last time.Time
		for {
			next := r.smp.next()
			// The verdicts scan the whole history (~10 ms at the end of a
			// 3-minute wait on 10 nodes), so they run once a second; the
			// times they measure come from the samples, not from when
			// they ran.
			if time.Since(last) >= evaluateEvery {
				last = time.Now()
				rounds, history := r.smp.view()
				if v := evaluate(s, rounds, history, rf, time.Now()); v.decided {
					res = v.res
					break
				}
			}
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-next:
			}
		}
	}
	res.Step, res.Line, res.At = i+1, r.sc.pos.keyLine(i, "check"), time.Since(r.start)
	r.rep.addCheck(res)
	if !res.Pass {
		r.rep.fail(fmt.Sprintf("check %s (step %d, %s line %d) failed: %s", res.Name, i+1, r.sc.Path, res.Line, res.Reason))
	}
	return checkLine(res), nil
}

// rotation asks the first node that answers.
func (r *run) rotation(ctx context.Context, s Step) CheckResult {
	var res CheckResult
	for _, c := range r.smp.clients {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		res = leaderRotation(cctx, c, s, len(r.nodes))
		cancel()
		if res.Value != "unknown" {
			break
		}
	}
	return res
}

// checkLine is a check's result in one line.
func checkLine(c CheckResult) string {
	verdict := "PASS"
	if !c.Pass {
		verdict = "FAIL"
	}
	line := fmt.Sprintf("%s  %s: %s (threshold %s)", verdict, c.Name, c.Value, c.Threshold)
	if c.Reason != "" && !c.Pass {
		line += ": " + c.Reason
	}
	return line
}
