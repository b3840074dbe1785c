//go:build sweep

package sim

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
)

// TestSweep runs many random partition / loss / kill scenarios and checks
// that every one converges with new roots after the heal and that no node
// ever votes against its own lockouts. It is slow; run it with
//
//	go test -tags sweep -run TestSweep ./validator/sim [-sweep.runs N via SWEEP_RUNS]
func TestSweep(t *testing.T) {
	runs := 60
	if v, err := strconv.Atoi(os.Getenv("SWEEP_RUNS")); err == nil {
		runs = v
	}
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < runs; i++ {
		n := []int{2, 3, 4, 5, 7, 10, 16, 30}[rng.IntN(8)]
		cfg := DefaultConfig()
		cfg.Nodes, cfg.Seed = n, uint64(1000+i)
		cfg.Stakes = make([]uint64, n)
		for j := range cfg.Stakes {
			cfg.Stakes[j] = []uint64{1, 1, 2, 3, 5}[rng.IntN(5)]
		}
		perm := rng.Perm(n)
		groups := 2 + rng.IntN(2)
		if groups > n {
			groups = n
		}
		cuts := map[int]bool{}
		for len(cuts) < groups-1 {
			cuts[1+rng.IntN(n-1)] = true
		}
		p := &Partition{StartSlot: uint64(10 + rng.IntN(90))}
		p.HealSlot = p.StartSlot + []uint64{20, 60, 150, 300}[rng.IntN(4)]
		var g []int
		for j, id := range perm {
			if cuts[j] && len(g) > 0 {
				p.Groups = append(p.Groups, g)
				g = nil
			}
			g = append(g, id+1)
		}
		p.Groups = append(p.Groups, g)
		cfg.Partition = p
		cfg.Slots = p.HealSlot + 500
		cfg.Loss = []float64{0, 0.01, 0.05, 0.1}[rng.IntN(4)]
		cfg.TxsPerSlot = []int{0, 3}[rng.IntN(2)]
		// A kill starts after the heal: a node killed while cut off may hold
		// the only copy of blocks its side rooted, and a restart with an
		// empty ledger loses them for good (the cluster then halts, as it
		// would with Agave).
		if rng.IntN(3) == 0 {
			from := p.HealSlot + uint64(20+rng.IntN(100))
			cfg.Kill = &Kill{Node: 1 + rng.IntN(n), FromSlot: from, ToSlot: from + uint64(5+rng.IntN(200))}
		}
		r, _ := run(t, cfg)
		if !r.Converged || r.NewRootsAfterHeal == nil || *r.NewRootsAfterHeal == 0 {
			t.Errorf("run %d: %+v partition %+v kill %+v: converged %v new roots %v", i, cfg, *p, cfg.Kill, r.Converged, deref(r.NewRootsAfterHeal))
		}
	}
}
