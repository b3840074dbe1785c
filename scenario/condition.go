package scenario

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CondKind is what an "after" waits for.
type CondKind int

const (
	CondNone      CondKind = iota // no after: run at once (or at At)
	CondWait                      // a duration after the previous step
	CondConverged                 // every answering node's tip on one chain and caught up, equal hashes at the common confirmed slot
	CondRecovered                 // every node saw 16 new finalized slots since the last heal
	CondCompare                   // slot|confirmed|finalized|peers|forks OP N (or peers OP all)
)

// Condition is a parsed "after" value.
type Condition struct {
	Kind   CondKind
	Wait   time.Duration // CondWait
	Metric string        // CondCompare: slot, confirmed, finalized, peers or forks
	Op     string        // CondCompare: >=, >, ==, <=, <
	Value  uint64        // CondCompare
	All    bool          // CondCompare on peers: "all" (every other node)
	// For, when set, is how long a CondCompare must hold without a break
	// ("forks >= 2 for 3s"), so a momentary state does not count.
	For time.Duration
}

// ParseCondition reads an "after" value: a duration ("10s"), "converged",
// "recovered", "slot >= 200" (also confirmed, finalized; the lowest over
// the answering nodes), "peers == all" / "peers >= 3" (every answering
// node's peer count), or "forks >= 2" (the forks the answering nodes' tips
// form, as check.Forks counts them). A comparison may end in "for D": it
// must then hold for D without a break.
func ParseCondition(s string) (Condition, error) {
	t := strings.TrimSpace(s)
	var hold time.Duration
	if head, tail, ok := strings.Cut(t, " for "); ok {
		d, err := time.ParseDuration(strings.TrimSpace(tail))
		if err != nil || d <= 0 {
			return Condition{}, fmt.Errorf("%q: \"for %s\": want a positive duration", s, strings.TrimSpace(tail))
		}
		t, hold = strings.TrimSpace(head), d
	}
	c, err := parseBare(s, t)
	if err == nil && hold > 0 {
		if c.Kind != CondCompare {
			return Condition{}, fmt.Errorf("%q: \"for\" applies to a comparison such as \"forks >= 2 for 3s\"", s)
		}
		c.For = hold
	}
	return c, err
}

// parseBare parses t, a condition without "for" (s is the whole value, for errors).
func parseBare(s, t string) (Condition, error) {
	switch t {
	case "":
		return Condition{}, fmt.Errorf("empty condition")
	case "converged":
		return Condition{Kind: CondConverged}, nil
	case "recovered":
		return Condition{Kind: CondRecovered}, nil
	}
	if d, err := time.ParseDuration(t); err == nil {
		if d < 0 {
			return Condition{}, fmt.Errorf("%q: negative duration", s)
		}
		return Condition{Kind: CondWait, Wait: d}, nil
	}
	f := strings.Fields(spaceOps(t))
	if len(f) != 3 {
		return Condition{}, fmt.Errorf("%q: want a duration, converged, recovered, or METRIC OP VALUE (slot >= 200, peers == all)", s)
	}
	c := Condition{Kind: CondCompare, Metric: f[0], Op: f[1]}
	switch c.Metric {
	case "slot", "confirmed", "finalized", "peers", "forks":
	default:
		return Condition{}, fmt.Errorf("%q: unknown metric %q (slot, confirmed, finalized, peers, forks)", s, f[0])
	}
	switch c.Op {
	case ">=", ">", "==", "<=", "<":
	default:
		return Condition{}, fmt.Errorf("%q: unknown operator %q (>=, >, ==, <=, <)", s, f[1])
	}
	if f[2] == "all" {
		if c.Metric != "peers" {
			return Condition{}, fmt.Errorf("%q: \"all\" applies to peers only", s)
		}
		c.All = true
		return c, nil
	}
	v, err := strconv.ParseUint(f[2], 10, 64)
	if err != nil {
		return Condition{}, fmt.Errorf("%q: %q is not a whole number", s, f[2])
	}
	c.Value = v
	return c, nil
}

// spaceOps puts spaces around comparison operators so "slot>=200" splits.
func spaceOps(s string) string {
	for _, op := range []string{">=", "<=", "==", ">", "<"} {
		if i := strings.Index(s, op); i >= 0 {
			return s[:i] + " " + op + " " + s[i+len(op):]
		}
	}
	return s
}

// String writes the condition back in the file's form.
func (c Condition) String() string {
	switch c.Kind {
	case CondWait:
		return c.Wait.String()
	case CondConverged:
		return "converged"
	case CondRecovered:
		return "recovered"
	case CondCompare:
		v := strconv.FormatUint(c.Value, 10)
		if c.All {
			v = "all"
		}
		if c.For > 0 {
			v += " for " + c.For.String()
		}
		return c.Metric + " " + c.Op + " " + v
	}
	return ""
}

// holds compares got against the condition's value (want, for peers ==
// all, is the number of other nodes).
func (c Condition) holds(got, want uint64) bool {
	if !c.All {
		want = c.Value
	}
	switch c.Op {
	case ">=":
		return got >= want
	case ">":
		return got > want
	case "==":
		return got == want
	case "<=":
		return got <= want
	case "<":
		return got < want
	}
	return false
}
