package config

import (
	"net/netip"
	"strings"
	"testing"
)

func TestPlanTable(t *testing.T) {
	ip := netip.MustParseAddr
	ap := netip.MustParseAddrPort
	for _, tc := range []struct {
		name     string
		kind     string
		n        int
		base     netip.Addr
		portBase int
		node     int // 1-based node to check
		want     NodeAddrs
	}{
		{"loopback node 1 standard ports", PlanLoopback, 10, netip.Addr{}, 0, 1, NodeAddrs{Node: 1,
			RPC: ap("127.0.0.1:8899"), Pubsub: ap("127.0.0.1:8900"), Gossip: ap("127.0.0.1:8001"), TPU: ap("127.0.0.1:8003"),
			TVU: ap("127.0.0.1:8004"), Repair: ap("127.0.0.1:8005"), Admin: ap("127.0.0.1:8006")}},
		{"loopback node 2 on 127.0.0.2", "", 10, netip.Addr{}, 0, 2, NodeAddrs{Node: 2,
			RPC: ap("127.0.0.2:8899"), Pubsub: ap("127.0.0.2:8900"), Gossip: ap("127.0.0.2:8001"), TPU: ap("127.0.0.2:8003"),
			TVU: ap("127.0.0.2:8004"), Repair: ap("127.0.0.2:8005"), Admin: ap("127.0.0.2:8006"), Entrypoint: ap("127.0.0.1:8001")}},
		{"loopback base and port shift", PlanLoopback, 3, ip("127.0.9.10"), 20000, 3, NodeAddrs{Node: 3,
			RPC: ap("127.0.9.12:20000"), Pubsub: ap("127.0.9.12:20001"), Gossip: ap("127.0.9.12:19102"), TPU: ap("127.0.9.12:19104"),
			TVU: ap("127.0.9.12:19105"), Repair: ap("127.0.9.12:19106"), Admin: ap("127.0.9.12:19107"), Entrypoint: ap("127.0.9.10:19102")}},
		{"loopback crosses an octet", PlanLoopback, 64, ip("127.0.0.250"), 0, 10, NodeAddrs{Node: 10,
			RPC: ap("127.0.1.3:8899"), Pubsub: ap("127.0.1.3:8900"), Gossip: ap("127.0.1.3:8001"), TPU: ap("127.0.1.3:8003"),
			TVU: ap("127.0.1.3:8004"), Repair: ap("127.0.1.3:8005"), Admin: ap("127.0.1.3:8006"), Entrypoint: ap("127.0.0.250:8001")}},
		{"ports node 1", PlanPorts, 10, netip.Addr{}, 0, 1, NodeAddrs{Node: 1,
			RPC: ap("127.0.0.1:8899"), Pubsub: ap("127.0.0.1:8900"), Gossip: ap("127.0.0.1:10000"), TPU: ap("127.0.0.1:10001"),
			TVU: ap("127.0.0.1:10002"), Repair: ap("127.0.0.1:10003"), Admin: ap("127.0.0.1:10004")}},
		{"ports node 3 steps RPC by 2", PlanPorts, 10, netip.Addr{}, 0, 3, NodeAddrs{Node: 3,
			RPC: ap("127.0.0.1:8903"), Pubsub: ap("127.0.0.1:8904"), Gossip: ap("127.0.0.1:10020"), TPU: ap("127.0.0.1:10021"),
			TVU: ap("127.0.0.1:10022"), Repair: ap("127.0.0.1:10023"), Admin: ap("127.0.0.1:10024"), Entrypoint: ap("127.0.0.1:10000")}},
		{"ports node 64 with bases", PlanPorts, 64, ip("127.3.0.1"), 30000, 64, NodeAddrs{Node: 64,
			RPC: ap("127.3.0.1:30126"), Pubsub: ap("127.3.0.1:30127"), Gossip: ap("127.3.0.1:31731"), TPU: ap("127.3.0.1:31732"),
			TVU: ap("127.3.0.1:31733"), Repair: ap("127.3.0.1:31734"), Admin: ap("127.3.0.1:31735"), Entrypoint: ap("127.3.0.1:31101")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nodes, err := Plan(tc.kind, tc.n, tc.base, tc.portBase)
			if err != nil {
				t.Fatal(err)
			}
			if len(nodes) != tc.n {
				t.Fatalf("%d nodes, want %d", len(nodes), tc.n)
			}
			if got := nodes[tc.node-1]; got != tc.want {
				t.Fatalf("node %d:\n got  %+v\n want %+v", tc.node, got, tc.want)
			}
		})
	}
}

func TestPlanRefuses(t *testing.T) {
	ip := netip.MustParseAddr
	for _, tc := range []struct {
		name     string
		kind     string
		n        int
		base     netip.Addr
		portBase int
		want     string
	}{
		{"zero nodes", PlanLoopback, 0, netip.Addr{}, 0, "0 nodes: want 1 to 64"},
		{"65 nodes", PlanPorts, 65, netip.Addr{}, 0, "65 nodes: want 1 to 64"},
		{"unknown plan", "mesh", 3, netip.Addr{}, 0, `address plan "mesh"`},
		{"base off loopback", PlanLoopback, 3, ip("10.0.0.1"), 0, "not in 127.0.0.0/8"},
		{"ipv6 base", PlanLoopback, 3, ip("::1"), 0, "not in 127.0.0.0/8"},
		{"nodes leave loopback", PlanLoopback, 10, ip("127.255.255.250"), 0, "leaves 127.0.0.0/8"},
		{"port base too high for ports plan", PlanPorts, 64, netip.Addr{}, 65000, "out of 1..65535"},
		{"port base too low for loopback gossip", PlanLoopback, 1, netip.Addr{}, 800, "out of 1..65535"},
		{"negative port base", PlanLoopback, 1, netip.Addr{}, -5, "not a port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Plan(tc.kind, tc.n, tc.base, tc.portBase)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

// Within a node and across the nodes of one plan no two sockets may share
// an address:port, for every size up to 64.
func TestPlanNoSocketCollides(t *testing.T) {
	for _, kind := range []string{PlanLoopback, PlanPorts} {
		for _, n := range []int{1, 2, 10, 64} {
			nodes, err := Plan(kind, n, netip.Addr{}, 0)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[netip.AddrPort]string{}
			for _, a := range nodes {
				for _, s := range a.Sockets() {
					if prev, dup := seen[s.Addr]; dup {
						t.Fatalf("%s n=%d: node %d %s = %s, already %s", kind, n, a.Node, s.Key, s.Addr, prev)
					}
					seen[s.Addr] = s.Key
				}
				if a.Node > 1 && a.Entrypoint != nodes[0].Gossip {
					t.Fatalf("%s: node %d entrypoint %s, want node 1's gossip %s", kind, a.Node, a.Entrypoint, nodes[0].Gossip)
				}
			}
			if nodes[0].Entrypoint.IsValid() {
				t.Fatalf("%s: node 1 has entrypoint %s", kind, nodes[0].Entrypoint)
			}
		}
	}
}
