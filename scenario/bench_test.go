package scenario

import (
	"testing"
	"time"

	"slonui/check"
)

// BenchmarkEvaluateLongWait is one evaluation of fork-resolution and
// recovered at the end of a 3-minute wait on 10 nodes that never converge
// (720 rounds after the heal), the worst case a check step repeats every
// round.
func BenchmarkEvaluateLongWait(b *testing.B) {
	const nodes, rounds = 10, 720
	var rs []check.Round
	var history []check.Sample
	for k := 0; k < rounds; k++ {
		r := round(250*k, nodes, uint64(1000+k), nodes)
		rs = append(rs, r)
		history = append(history, r...)
	}
	rf := refs{start: at(0), heal: at(1), nodes: make([]int, nodes)}
	for i := range rf.nodes {
		rf.nodes[i] = i + 1
	}
	now := at(250 * rounds)
	fr := Step{Check: CheckForkResolution, Max: "1h"}
	rc := Step{Check: CheckRecovered, NewRoots: 100000, Max: "1h"}
	for _, s := range []Step{fr, rc} {
		b.Run(s.Check, func(b *testing.B) {
			for b.Loop() {
				if v := evaluate(s, rs, history, rf, now); v.decided {
					b.Fatal("decided")
				}
			}
		})
	}
	_ = time.Second
}

// BenchmarkParseBuiltins decodes and validates every built-in.
func BenchmarkParseBuiltins(b *testing.B) {
	bs := Builtins()
	for b.Loop() {
		for _, bt := range bs {
			if _, err := Parse(bt.Name, bt.Source); err != nil {
				b.Fatal(err)
			}
		}
	}
}
