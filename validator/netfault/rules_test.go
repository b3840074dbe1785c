package netfault

import (
	"net/netip"
	"strings"
	"testing"
	"time"
)

func TestDecide(t *testing.T) {
	p2 := netip.MustParseAddrPort("127.0.0.2:8001")
	p3 := netip.MustParseAddrPort("127.0.0.3:8001")
	always := func() float64 { return 0 }   // every loss draw drops
	never := func() float64 { return 0.99 } // no loss draw drops
	tests := []struct {
		name  string
		rules Rules
		peer  netip.AddrPort
		rnd   func() float64
		want  verdict
		delay time.Duration
		dir   Direction // zero: Inbound
	}{
		{"partition by ip", Rules{Partition: []string{"127.0.0.2"}}, p2, never, dropPartition, 0, Inbound},
		{"partition other ip", Rules{Partition: []string{"127.0.0.2"}}, p3, never, pass, 0, Inbound},
		{"partition by ip:port", Rules{Partition: []string{"127.0.0.2:8001"}}, p2, never, dropPartition, 0, Inbound},
		{"partition other port", Rules{Partition: []string{"127.0.0.2:9000"}}, p2, never, pass, 0, Inbound},
		{"loss all drawn", Rules{Loss: LossRule{Fraction: 0.5}}, p3, always, dropLoss, 0, Inbound},
		{"loss all not drawn", Rules{Loss: LossRule{Fraction: 0.5}}, p3, never, pass, 0, Inbound},
		{"loss other peer", Rules{Loss: LossRule{Fraction: 1, Peers: []string{"127.0.0.2"}}}, p3, always, pass, 0, Inbound},
		{"loss listed peer", Rules{Loss: LossRule{Fraction: 1, Peers: []string{"127.0.0.2"}}}, p2, always, dropLoss, 0, Inbound},
		{"delay", Rules{Delay: DelayRule{MS: 100}}, p2, never, delayIt, 100 * time.Millisecond, Inbound},
		{"delay jitter low", Rules{Delay: DelayRule{MS: 100, JitterMS: 20}}, p2, func() float64 { return 0 }, delayIt, 80 * time.Millisecond, Inbound},
		{"delay other peer", Rules{Delay: DelayRule{MS: 100, Peers: []string{"127.0.0.3"}}}, p2, never, pass, 0, Inbound},
		{"partition beats delay", Rules{Partition: []string{"127.0.0.2"}, Delay: DelayRule{MS: 100}}, p2, never, dropPartition, 0, Inbound},
		{"partition both, outbound", Rules{Partition: []string{"127.0.0.2"}}, p2, never, dropPartition, 0, Outbound},
		{"partition in, inbound", Rules{PartitionIn: []string{"127.0.0.2"}}, p2, never, dropPartition, 0, Inbound},
		{"partition in, outbound", Rules{PartitionIn: []string{"127.0.0.2"}}, p2, never, pass, 0, Outbound},
		{"partition out, outbound", Rules{PartitionOut: []string{"127.0.0.2:8001"}}, p2, never, dropPartition, 0, Outbound},
		{"partition out, inbound", Rules{PartitionOut: []string{"127.0.0.2:8001"}}, p2, never, pass, 0, Inbound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs := compile(tc.rules)
			if rs == nil {
				t.Fatal("compile returned no rule set for active rules")
			}
			got, d := rs.decide(tc.dir, tc.peer, true, tc.rnd)
			if got != tc.want || d != tc.delay {
				t.Fatalf("decide = %v, %v; want %v, %v", got, d, tc.want, tc.delay)
			}
		})
	}
}

func TestCompileInactiveIsNil(t *testing.T) {
	if rs := compile(Rules{}); rs != nil {
		t.Fatalf("compile(no faults) = %+v, want nil (the fast path)", rs)
	}
}

func TestRulesValidate(t *testing.T) {
	tests := []struct {
		name  string
		rules Rules
		field string // "" = valid
	}{
		{"empty", Rules{}, ""},
		{"good", Rules{Partition: []string{"127.0.0.2", "[::1]:80"}, Loss: LossRule{Fraction: 1}}, ""},
		{"bad peer", Rules{Partition: []string{"nope"}}, "partition[0]"},
		{"fraction", Rules{Loss: LossRule{Fraction: 1.5}}, "fraction"},
		{"fraction NaN-free negative", Rules{Loss: LossRule{Fraction: -0.1}}, "fraction"},
		{"loss peer", Rules{Loss: LossRule{Fraction: 0.1, Peers: []string{"1.2.3"}}}, "loss.peers[0]"},
		{"ms", Rules{Delay: DelayRule{MS: -1}}, "ms"},
		{"partition_in", Rules{PartitionIn: []string{"x"}}, "partition_in[0]"},
		{"partition_out", Rules{PartitionOut: []string{"1.2.3.4:99999"}}, "partition_out[0]"},
		{"jitter", Rules{Delay: DelayRule{MS: 1, JitterMS: 1 << 30}}, "jitter_ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rules.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.field+":") {
				t.Fatalf("Validate = %v, want an error naming %q", err, tc.field)
			}
		})
	}
}

func TestNormalizePeersSortsAndDedups(t *testing.T) {
	got, err := normalizePeers("p", []string{"127.0.0.3", "127.0.0.2:80", "127.0.0.3", "::ffff:127.0.0.2"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"127.0.0.2", "127.0.0.2:80", "127.0.0.3"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("normalizePeers = %v, want %v", got, want)
	}
}
