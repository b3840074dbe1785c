package sim

import (
	"fmt"
	"testing"
)

// healGoalMs is issue 7's goal for heal → converged.
const healGoalMs = 2000

// TestMinorityJoinsMajorityQuicklyAfterHeal: after a split, the minority
// must learn the majority's fork (its latest votes and every missing
// block) and reset onto it within the goal of the heal, on every seed —
// even while its lockouts still keep it from voting there.
func TestMinorityJoinsMajorityQuicklyAfterHeal(t *testing.T) {
	shapes := []struct {
		name      string
		nodes     int
		partition string
		slots     uint64
	}{
		{"7|3", 10, "1-7|8-10@40-115", 140},
		{"4|1", 5, "1-4|5@40-90", 110},
		{"3|2", 5, "1-3|4-5@40-90", 110},
	}
	for _, sh := range shapes {
		for seed := uint64(1); seed <= 6; seed++ {
			t.Run(fmt.Sprintf("%s/seed%d", sh.name, seed), func(t *testing.T) {
				t.Parallel()
				cfg := base(sh.nodes, sh.slots)
				cfg.Seed = seed
				p, err := ParsePartition(sh.partition)
				if err != nil {
					t.Fatal(err)
				}
				cfg.Partition = p
				r, _ := run(t, cfg)
				if r.ConvergedAfterHealMs == nil {
					t.Fatalf("never converged after the heal: %+v", r.Nodes)
				}
				if ms := *r.ConvergedAfterHealMs; ms > healGoalMs {
					t.Errorf("converged %d ms after the heal, goal ≤ %d ms", ms, healGoalMs)
				}
			})
		}
	}
}
