package chaos

import (
	"reflect"
	"testing"

	"slonui/config"
)

func TestLoadTopology(t *testing.T) {
	tests := []struct {
		plan      string
		wantAddrs []string // node 2's
		wantAdmin string
	}{
		{config.PlanLoopback, []string{"127.0.0.2"}, "127.0.0.2:8006"},
		{config.PlanPorts, []string{"127.0.0.1:10010", "127.0.0.1:10011", "127.0.0.1:10012", "127.0.0.1:10013"}, "127.0.0.1:10014"},
	}
	for _, tc := range tests {
		t.Run(tc.plan, func(t *testing.T) {
			o := config.DefaultInitOptions()
			o.Dir, o.Nodes, o.AddrPlan, o.Seed = t.TempDir(), 3, tc.plan, "topology-test"
			res, err := config.InitCluster(o)
			if err != nil {
				t.Fatal(err)
			}
			topo, token, err := LoadTopology(o.Dir)
			if err != nil {
				t.Fatal(err)
			}
			if topo.Len() != 3 || token == "" {
				t.Fatalf("%d nodes, token %q", topo.Len(), token)
			}
			n2 := topo.Nodes[1]
			if !reflect.DeepEqual(n2.Addrs, tc.wantAddrs) || n2.Admin != tc.wantAdmin {
				t.Errorf("node 2 addrs %v admin %s, want %v %s", n2.Addrs, n2.Admin, tc.wantAddrs, tc.wantAdmin)
			}
			if n2.Identity != res.Nodes[1].Identity.String() || n2.Stake != config.DefaultStakeLamports {
				t.Errorf("node 2 identity %s stake %d", n2.Identity, n2.Stake)
			}
		})
	}
	if _, _, err := LoadTopology(t.TempDir()); err == nil {
		t.Error("empty dir: want error")
	}
}
