package chaos

import (
	"context"
	"testing"
)

// BenchmarkDevnetApplyIsolate10 applies and heals a partition on ten real
// admin servers on loopback: the wall time of one all-or-none Apply.
func BenchmarkDevnetApplyIsolate10(b *testing.B) {
	admins := startAdminsB(b, 10)
	topo := topoFor(admins)
	d, err := NewDevnet(topo, testToken)
	if err != nil {
		b.Fatal(err)
	}
	p, _ := Isolate(topo, 10)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := d.Apply(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if _, err := d.Heal(ctx); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkCompileRing64(b *testing.B) {
	topo := EqualTopology(64)
	p, _ := MajoritiesRing(topo)
	for b.Loop() {
		if _, err := p.Compile(topo); err != nil {
			b.Fatal(err)
		}
	}
}
