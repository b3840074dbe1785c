package scenario

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"slonui/chaos"
)

// Check names.
const (
	CheckForkResolution = "fork-resolution"
	CheckRecovered      = "recovered"
	CheckPeerDiscovery  = "peer-discovery"
	CheckVotes          = "votes"
	CheckLeaderRotation = "leader-rotation"
	CheckLoad           = "load"
)

// checkKeys lists the threshold keys each check takes.
var checkKeys = map[string][]string{
	CheckForkResolution: {"max", "max_behind"},
	CheckRecovered:      {"max", "new_roots"},
	CheckPeerDiscovery:  {"max"},
	CheckVotes:          {"window"},
	CheckLeaderRotation: {"slots", "max_skip_rate"},
	CheckLoad:           {"min_landed", "min_tps", "max_p99"},
}

// actionKeys are the keys that name a step's action, in the order the
// report names them.
var actionKeys = []string{"start", "partition", "isolate", "heal", "loss", "delay", "pause", "resume", "kill", "restart", "load", "check"}

// Limits of a scenario's cluster.
const (
	MaxNodes  = 64
	MinSlotMS = 20
)

// Action is the step's action key ("" for a step that only waits).
func (s Step) Action() string {
	return s.actions(nil, -1)[0]
}

// actions lists the action keys the step sets (by value, or written in the
// file per pos); [""] when none.
func (s Step) actions(pos *positions, i int) []string {
	set := map[string]bool{
		"start": s.Start, "partition": s.Partition != "", "isolate": s.Isolate != 0, "heal": s.Heal,
		"loss": s.Loss != nil, "delay": s.Delay != "", "pause": s.Pause != 0, "resume": s.Resume != 0,
		"kill": s.Kill != 0, "restart": s.Restart != 0, "load": s.Load != "", "check": s.Check != "",
	}
	var out []string
	for _, k := range actionKeys {
		if set[k] || (pos != nil && pos.has(i, k)) {
			out = append(out, k)
		}
	}
	if len(out) == 0 {
		return []string{""}
	}
	return out
}

// problems collects one scenario's errors, each naming file, line, step and key.
type problems struct {
	sc   *Scenario
	errs []error
}

func (p *problems) add(i int, key, format string, args ...any) {
	line := p.sc.pos.keyLine(i, key)
	where := p.sc.Path
	if line > 0 {
		where = fmt.Sprintf("%s:%d", where, line)
	}
	p.errs = append(p.errs, fmt.Errorf("%w: %s: step %d: %s: %s", ErrDecode, where, i+1, key, fmt.Sprintf(format, args...)))
}

// Validate reports every problem of the scenario at once; each names the
// file, the line, the step and the key.
func (sc *Scenario) Validate() error {
	p := &problems{sc: sc}
	if len(sc.Steps) == 0 {
		p.errs = append(p.errs, fmt.Errorf("%w: %s: no steps (add [[step]] tables)", ErrDecode, sc.Path))
	}
	healed, loaded := false, false
	for i, s := range sc.Steps {
		sc.validateTiming(p, i, s)
		acts := s.actions(&sc.pos, i)
		if len(acts) > 1 {
			p.add(i, acts[1], "a step has one action, this one also has %q", acts[0])
		}
		if acts[0] == "" && s.At == "" && s.After == "" {
			p.add(i, "step", "no action and nothing to wait for (one of %s, or at/after)", strings.Join(actionKeys, ", "))
		}
		sc.validateAction(p, i, s, acts[0], healed, loaded)
		healed = healed || slices.Contains(acts, "heal")
		loaded = loaded || slices.Contains(acts, "load")
	}
	return errors.Join(p.errs...)
}

func (sc *Scenario) validateTiming(p *problems, i int, s Step) {
	if s.At != "" && s.After != "" {
		p.add(i, "after", "a step has at or after, not both")
	}
	if s.At != "" {
		if d, err := time.ParseDuration(s.At); err != nil || d < 0 {
			p.add(i, "at", "%q: want a duration since the start such as \"30s\"", s.At)
		}
	}
	var cond Condition
	if s.After != "" {
		var err error
		if cond, err = ParseCondition(s.After); err != nil {
			p.add(i, "after", "%v", err)
		}
	}
	if s.Timeout != "" {
		d, err := time.ParseDuration(s.Timeout)
		switch {
		case err != nil || d <= 0:
			p.add(i, "timeout", "%q: want a positive duration", s.Timeout)
		case cond.Kind == CondNone || cond.Kind == CondWait:
			p.add(i, "timeout", "applies to an after condition (converged, recovered, slot >= N, peers == all)")
		}
	}
}

func (sc *Scenario) validateAction(p *problems, i int, s Step, act string, healed, loaded bool) {
	only := func(key string, written bool, owners ...string) {
		if written && !slices.Contains(owners, act) {
			p.add(i, key, "applies to %s only", strings.Join(owners, " and "))
		}
	}
	has := func(key string) bool { return sc.pos.has(i, key) }
	only("nodes", s.Nodes != 0 || has("nodes"), "start")
	only("slot_ms", s.SlotMS != 0 || has("slot_ms"), "start")
	only("node", s.Node != "" || has("node"), "loss", "delay")
	only("peer", s.Peer != "" || has("peer"), "loss", "delay")
	only("jitter", s.Jitter != "" || has("jitter"), "delay")
	only("duration", s.Duration != "" || has("duration"), "load")
	only("cooldown", s.Cooldown != "" || has("cooldown"), "load")
	only("sender", s.Sender != "" || has("sender"), "load")
	for _, k := range []string{"max", "max_behind", "new_roots", "window", "slots", "max_skip_rate", "min_landed", "min_tps", "max_p99"} {
		written := has(k) || map[string]bool{"max": s.Max != "", "new_roots": s.NewRoots != 0, "window": s.Window != "",
			"slots": s.Slots != 0, "max_skip_rate": s.MaxSkipRate != nil, "min_landed": s.MinLanded != nil,
			"min_tps": s.MinTPS != nil, "max_p99": s.MaxP99 != "", "max_behind": s.MaxBehind != nil}[k]
		if written && act != "check" {
			p.add(i, k, "is a check threshold: it needs check = NAME")
		} else if written && !slices.Contains(checkKeys[s.Check], k) && checkKeys[s.Check] != nil {
			p.add(i, k, "not a threshold of check %q (it takes %s)", s.Check, strings.Join(checkKeys[s.Check], ", "))
		}
	}
	switch act {
	case "start":
		if i != 0 {
			p.add(i, "start", "only the first step may start the cluster")
		}
		if s.Nodes != 0 && (s.Nodes < 1 || s.Nodes > MaxNodes) {
			p.add(i, "nodes", "%d: want 1..%d", s.Nodes, MaxNodes)
		}
		if has("slot_ms") && s.SlotMS < MinSlotMS {
			p.add(i, "slot_ms", "%d: want at least %d", s.SlotMS, MinSlotMS)
		}
	case "partition":
		if strings.TrimSpace(s.Partition) == "" {
			p.add(i, "partition", "empty spec")
		}
	case "isolate", "pause", "resume", "kill", "restart":
		if k := s.nodeOf(act); k < 1 || k > MaxNodes {
			p.add(i, act, "%d: not a node number", k)
		}
	case "heal":
		if !s.Heal {
			p.add(i, "heal", "heal = false does nothing: write heal = true")
		}
	case "loss":
		if v := *s.Loss; !(v >= 0 && v <= 100) {
			p.add(i, "loss", "%v: want a percentage from 0 to 100", v)
		}
	case "delay":
		checkDelay(p, i, "delay", s.Delay)
	case "load":
		validateLoad(p, i, s)
	case "check":
		sc.validateCheck(p, i, s, healed, loaded)
	}
	if s.Jitter != "" {
		checkDelay(p, i, "jitter", s.Jitter)
	}
	if s.Peer != "" && s.Node == "" {
		p.add(i, "peer", "needs node")
	}
}

func validateLoad(p *problems, i int, s Step) {
	d, err := time.ParseDuration(s.Duration)
	if err != nil || d <= 0 {
		p.add(i, "duration", "%q: a load needs a positive duration such as \"30s\"", s.Duration)
		d = time.Second
	}
	if _, err := ParseLoad(s.Load, d, durationOr(s.Cooldown, 0)); err != nil {
		p.add(i, "load", "%v", err)
	}
	if s.Cooldown != "" && !strings.Contains(s.Load, ",") {
		p.add(i, "cooldown", "applies to a steps spec such as \"100,500,1000\"")
	}
	if s.Sender != "" && s.Sender != "rpc" && s.Sender != "tpu" {
		p.add(i, "sender", "%q: want rpc or tpu", s.Sender)
	}
}

func checkDelay(p *problems, i int, key, v string) {
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 || d > time.Minute || d%time.Millisecond != 0 {
		p.add(i, key, "%q: want whole milliseconds from 0 to 1m, such as \"100ms\"", v)
	}
}

func (sc *Scenario) validateCheck(p *problems, i int, s Step, healed, loaded bool) {
	if _, ok := checkKeys[s.Check]; !ok {
		p.add(i, "check", "unknown check %q (%s)", s.Check, strings.Join(CheckNames(), ", "))
		return
	}
	if (s.Check == CheckForkResolution || s.Check == CheckRecovered) && !healed {
		p.add(i, "check", "%s is measured from a heal: add a heal step before it", s.Check)
	}
	if s.Check == CheckLoad && !loaded {
		p.add(i, "check", "load judges a load step: add one before it")
	}
	if s.MaxP99 != "" {
		if d, err := time.ParseDuration(s.MaxP99); err != nil || d <= 0 {
			p.add(i, "max_p99", "%q: want a positive duration such as \"2s\"", s.MaxP99)
		}
	}
	if s.MaxBehind != nil && *s.MaxBehind < 0 {
		p.add(i, "max_behind", "%d: want slots ≥ 0", *s.MaxBehind)
	}
	if s.MinLanded != nil && !(*s.MinLanded >= 0 && *s.MinLanded <= 1) {
		p.add(i, "min_landed", "%v: want a fraction from 0 to 1", *s.MinLanded)
	}
	if s.MinTPS != nil && !(*s.MinTPS >= 0) {
		p.add(i, "min_tps", "%v: want a rate ≥ 0", *s.MinTPS)
	}
	if s.Max != "" {
		if d, err := time.ParseDuration(s.Max); err != nil || d <= 0 {
			p.add(i, "max", "%q: want a positive duration such as \"120s\"", s.Max)
		}
	}
	if s.Window != "" {
		if d, err := time.ParseDuration(s.Window); err != nil || d <= 0 {
			p.add(i, "window", "%q: want a positive duration such as \"10s\"", s.Window)
		}
	}
	if sc.pos.has(i, "new_roots") && s.NewRoots < 1 {
		p.add(i, "new_roots", "%d: want at least 1", s.NewRoots)
	}
	if sc.pos.has(i, "slots") && s.Slots < 1 {
		p.add(i, "slots", "%d: want at least 1", s.Slots)
	}
	if s.MaxSkipRate != nil && !(*s.MaxSkipRate >= 0 && *s.MaxSkipRate <= 1) {
		p.add(i, "max_skip_rate", "%v: want a fraction from 0 to 1", *s.MaxSkipRate)
	}
}

// CheckNames lists the checks a scenario can run, sorted.
func CheckNames() []string {
	var out []string
	for k := range checkKeys {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// nodeOf is the node number of a node action.
func (s Step) nodeOf(act string) int {
	return map[string]int{"isolate": s.Isolate, "pause": s.Pause, "resume": s.Resume, "kill": s.Kill, "restart": s.Restart}[act]
}

// Nodes is the node count the scenario's start step asks for (0: none).
func (sc *Scenario) Nodes() int {
	if len(sc.Steps) > 0 && sc.Steps[0].Start {
		return sc.Steps[0].Nodes
	}
	return 0
}

// SlotMS is the slot duration the scenario's start step asks for (0: none).
func (sc *Scenario) SlotMS() int {
	if len(sc.Steps) > 0 && sc.Steps[0].Start {
		return sc.Steps[0].SlotMS
	}
	return 0
}

// Resolve checks the steps that depend on the cluster's size: node numbers,
// partition specs and loss/delay scopes. Errors name file, line and key and
// wrap ErrDecode.
func (sc *Scenario) Resolve(n int) error {
	p := &problems{sc: sc}
	topo := chaos.EqualTopology(n)
	for i, s := range sc.Steps {
		act := s.Action()
		switch act {
		case "isolate", "pause", "resume", "kill", "restart":
			if k := s.nodeOf(act); k > n {
				p.add(i, act, "node %d: the cluster has %d nodes", k, n)
			}
		case "partition":
			if _, err := chaos.ParsePartition(topo, s.Partition); err != nil {
				p.add(i, "partition", "%v", err)
			}
		}
		if s.Node != "" {
			if _, err := chaos.ParseNodes(s.Node, n); err != nil {
				p.add(i, "node", "%v", err)
			}
		}
		if s.Peer != "" {
			if _, err := chaos.ParseNodes(s.Peer, n); err != nil {
				p.add(i, "peer", "%v", err)
			}
		}
	}
	return errors.Join(p.errs...)
}
