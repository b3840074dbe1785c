package sim

import "testing"

// BenchmarkSim100Nodes1000Slots is `slonui sim --nodes 100 --slots 1000`
// (seed 1, no faults): it reports the wall time of one whole run.
func BenchmarkSim100Nodes1000Slots(b *testing.B) {
	for i := 0; i < b.N; i++ {
		cfg := DefaultConfig()
		cfg.Nodes, cfg.Slots, cfg.Seed = 100, 1000, 1
		s, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		r := s.Run()
		if !r.Converged {
			b.Fatal("did not converge")
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/run")
}
