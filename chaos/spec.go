package chaos

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SpecError is a partition spec that does not parse; it names the token.
type SpecError struct {
	Spec   string // the whole spec as given
	Token  string // the offending token ("" when the spec as a whole is wrong)
	Reason string
}

func (e *SpecError) Error() string {
	if e.Token == "" {
		return fmt.Sprintf("partition %q: %s", e.Spec, e.Reason)
	}
	return fmt.Sprintf("partition %q: %q: %s", e.Spec, e.Token, e.Reason)
}

// ParsePartition turns a spec into a partition plan for t. Specs:
//
//	halves             nodes 1..n/2 | the rest
//	isolate:K          node K alone | the rest (also "isolate K")
//	ring               Jepsen's majorities-ring (also "majorities-ring")
//	bridge             Jepsen's bridge
//	1-3|4-7|8-10       custom groups: '|' between groups, ',' between
//	                   items, an item is N or A-B; every node exactly once
//	7|3                group sizes, filled in node order (1-7 | 8-10); a
//	                   spec of bare numbers is read this way when it does
//	                   not name every node once but its numbers add up to n
func ParsePartition(t Topology, spec string) (Plan, error) {
	s := strings.ToLower(strings.TrimSpace(spec))
	n := t.Len()
	switch s {
	case "":
		return Plan{}, &SpecError{Spec: spec, Reason: "empty (want halves, isolate:K, ring, bridge or groups such as 1-3|4-5)"}
	case "halves", "half":
		return Halves(t)
	case "ring", "majorities-ring", "majorities_ring":
		return MajoritiesRing(t)
	case "bridge":
		return Bridge(t)
	}
	if rest, ok := cutIsolate(s); ok {
		k, err := strconv.Atoi(strings.TrimSpace(rest))
		if err != nil || k < 1 || k > n {
			return Plan{}, &SpecError{Spec: spec, Token: rest, Reason: fmt.Sprintf("not a node number (1..%d)", n)}
		}
		return Isolate(t, k)
	}
	groups, err := parseGroups(spec, s, n)
	if err != nil {
		return Plan{}, err
	}
	return Groups(t, groups, s)
}

func cutIsolate(s string) (string, bool) {
	for _, p := range []string{"isolate:", "isolate=", "isolate "} {
		if r, ok := strings.CutPrefix(s, p); ok {
			return r, true
		}
	}
	return "", false
}

// parseGroups parses "1-3|4-7|8-10" or sizes "7|3" against n nodes.
func parseGroups(spec, s string, n int) ([][]int, error) {
	tokens := strings.Split(s, "|")
	if len(tokens) < 2 {
		if _, err := parseItem(strings.TrimSpace(s), n); err != nil {
			return nil, &SpecError{Spec: spec, Token: strings.TrimSpace(spec), Reason: "not a preset (halves, isolate:K, ring, bridge) nor groups such as 1-3|4-5"}
		}
		return nil, &SpecError{Spec: spec, Reason: "want at least two groups separated by '|' (or halves, isolate:K, ring, bridge)"}
	}
	groups := make([][]int, len(tokens))
	bare := true
	for i, tok := range tokens {
		tok = strings.TrimSpace(tok)
		if tok == "" {
			return nil, &SpecError{Spec: spec, Token: tokens[i], Reason: fmt.Sprintf("group %d is empty", i+1)}
		}
		if _, err := strconv.Atoi(tok); err != nil {
			bare = false
		}
		for _, item := range strings.Split(tok, ",") {
			ids, err := parseItem(strings.TrimSpace(item), n)
			if err != nil {
				return nil, &SpecError{Spec: spec, Token: strings.TrimSpace(item), Reason: err.Error()}
			}
			groups[i] = append(groups[i], ids...)
		}
	}
	if bare {
		if sizes, ok := asSizes(tokens, n); ok && coverErr(groups, n) != "" {
			return sizes, nil
		}
	}
	if msg := coverErr(groups, n); msg != "" {
		return nil, &SpecError{Spec: spec, Reason: msg}
	}
	for _, g := range groups {
		slices.Sort(g)
	}
	return groups, nil
}

// parseItem parses "N" or "A-B" (1 ≤ A ≤ B ≤ n).
func parseItem(item string, n int) ([]int, error) {
	lo, hi, isRange := strings.Cut(item, "-")
	a, err := strconv.Atoi(strings.TrimSpace(lo))
	if err != nil {
		return nil, fmt.Errorf("%q is not a node number", lo)
	}
	b := a
	if isRange {
		if b, err = strconv.Atoi(strings.TrimSpace(hi)); err != nil {
			return nil, fmt.Errorf("%q is not a node number", hi)
		}
	}
	if a < 1 || b > n || a > n || b < 1 {
		return nil, fmt.Errorf("node out of range 1..%d", n)
	}
	if a > b {
		return nil, fmt.Errorf("range runs backwards (%d > %d)", a, b)
	}
	ids := make([]int, 0, b-a+1)
	for i := a; i <= b; i++ {
		ids = append(ids, i)
	}
	return ids, nil
}

// asSizes reads bare numbers as group sizes that fill nodes 1..n in order.
func asSizes(tokens []string, n int) ([][]int, bool) {
	var groups [][]int
	next := 1
	for _, tok := range tokens {
		k, _ := strconv.Atoi(strings.TrimSpace(tok))
		if k < 1 {
			return nil, false
		}
		g := []int{}
		for range k {
			g = append(g, next)
			next++
		}
		groups = append(groups, g)
	}
	return groups, next == n+1
}

// coverErr says why groups do not hold every node 1..n exactly once, or "".
func coverErr(groups [][]int, n int) string {
	seen := make([]int, n+1)
	for gi, g := range groups {
		for _, id := range g {
			if seen[id] != 0 {
				return fmt.Sprintf("node %d is in group %d and group %d", id, seen[id], gi+1)
			}
			seen[id] = gi + 1
		}
	}
	var missing []int
	for id := 1; id <= n; id++ {
		if seen[id] == 0 {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return fmt.Sprintf("%s in no group (every node must be in one)", nodeList(missing))
	}
	return ""
}

// nodeList renders ids compactly: "node 3", "nodes 1-3, 5".
func nodeList(ids []int) string {
	if len(ids) == 1 {
		return fmt.Sprintf("node %d", ids[0])
	}
	return "nodes " + ranges(ids)
}

// ranges renders sorted ids as "1-3,5".
func ranges(ids []int) string {
	s := slices.Clone(ids)
	slices.Sort(s)
	var parts []string
	for i := 0; i < len(s); {
		j := i
		for j+1 < len(s) && s[j+1] == s[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", s[i], s[j]))
		} else {
			parts = append(parts, strconv.Itoa(s[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}

// ParseNodes parses a node list such as "3", "1-3" or "1,4-5" against n
// nodes; the result is sorted and without repeats.
func ParseNodes(list string, n int) ([]int, error) {
	var ids []int
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		got, err := parseItem(item, n)
		if err != nil {
			return nil, fmt.Errorf("nodes %q: %q: %w", list, item, err)
		}
		ids = append(ids, got...)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}
