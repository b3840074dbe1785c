package chaos

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"slonui/validator/netfault"
)

const testToken = "cluster-token"

// adminNode is one real netfault filter served by its real admin API on a
// fresh loopback port.
type adminNode struct {
	filter *netfault.Filter
	addr   string
}

func startAdmins(t *testing.T, n int) []adminNode { return startAdminsB(t, n) }

func startAdminsB(t testing.TB, n int) []adminNode {
	t.Helper()
	out := make([]adminNode, n)
	for i := range out {
		f, err := netfault.New(netfault.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		ln, err := netfault.ListenLoopback("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- netfault.ServeAdmin(ctx, ln, netfault.AdminHandler(f, testToken)) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("ServeAdmin: %v", err)
			}
			f.Close()
		})
		out[i] = adminNode{filter: f, addr: ln.Addr().String()}
	}
	return out
}

// topoFor is an equal-stake topology whose admin addresses are the servers'.
func topoFor(admins []adminNode) Topology {
	topo := EqualTopology(len(admins))
	for i := range topo.Nodes {
		topo.Nodes[i].Admin = admins[i].addr
	}
	return topo
}

func TestDevnetAppliesPartitionAndHeals(t *testing.T) {
	admins := startAdmins(t, 5)
	topo := topoFor(admins)
	d, err := NewDevnet(topo, testToken)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	// A loss applied first must survive the partition.
	loss, _ := Loss(topo, 0.1, []int{1}, nil)
	if _, err := d.Apply(ctx, loss); err != nil {
		t.Fatal(err)
	}
	p, _ := Isolate(topo, 5)
	if _, err := d.Apply(ctx, p); err != nil {
		t.Fatal(err)
	}
	for i, a := range admins {
		r := a.filter.Rules()
		want := []string{"127.0.0.5"}
		if i == 4 {
			want = []string{"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}
		}
		if !reflect.DeepEqual(r.Partition, want) {
			t.Errorf("node %d partition %v, want %v", i+1, r.Partition, want)
		}
		if wantLoss := map[bool]float64{true: 0.1}[i == 0]; r.Loss.Fraction != wantLoss {
			t.Errorf("node %d loss %v, want %v", i+1, r.Loss.Fraction, wantLoss)
		}
	}
	// A second partition replaces the first.
	h, _ := Halves(topo)
	if _, err := d.Apply(ctx, h); err != nil {
		t.Fatal(err)
	}
	if got := admins[0].filter.Rules().Partition; !reflect.DeepEqual(got, []string{"127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
		t.Errorf("node 1 after halves: %v", got)
	}
	shown, err := d.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := Describe(topo, shown[0].Status.Rules); got != "cut from nodes 3-5; loss 10%" {
		t.Errorf("show node 1: %q", got)
	}
	if _, err := d.Heal(ctx); err != nil {
		t.Fatal(err)
	}
	for i, a := range admins {
		if a.filter.Rules().Active() {
			t.Errorf("node %d still has faults after heal: %+v", i+1, a.filter.Rules())
		}
	}
}

func TestDevnetRollsBackWhenANodeRefuses(t *testing.T) {
	admins := startAdmins(t, 3)
	topo := topoFor(admins)
	// Node 2's peer address is one no filter accepts, so node 3 — the only
	// node told to cut node 2 when node 3 is isolated — refuses the rules,
	// after nodes 1 and 2 were already changed.
	topo.Nodes[1].Addrs = []string{"not-an-address"}
	d, err := NewDevnet(topo, testToken)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	before := netfault.Rules{Loss: netfault.LossRule{Fraction: 0.2}}
	if _, err := admins[0].filter.SetRules(before); err != nil {
		t.Fatal(err)
	}
	p, _ := Isolate(topo, 3)
	_, err = d.Apply(ctx, p)
	var ne *NodeError
	if !errors.As(err, &ne) || ne.Node != 3 || ne.Admin != admins[2].addr {
		t.Fatalf("Apply = %v, want a NodeError naming node 3", err)
	}
	if !strings.Contains(err.Error(), "node 3 ("+admins[2].addr+"): apply isolate 3") {
		t.Errorf("error %q does not name node 3 and the plan", err)
	}
	if got := admins[0].filter.Rules(); len(got.Partition) != 0 || got.Loss.Fraction != 0.2 {
		t.Errorf("node 1 not restored to its earlier rules: %+v", got)
	}
	for i := 1; i < 3; i++ {
		if r := admins[i].filter.Rules(); r.Active() {
			t.Errorf("node %d keeps faults after the rollback: %+v", i+1, r)
		}
	}
}

func TestDevnetChangesNothingWhenANodeDoesNotAnswer(t *testing.T) {
	admins := startAdmins(t, 3)
	topo := topoFor(admins)
	d, err := NewDevnet(topo, testToken)
	if err != nil {
		t.Fatal(err)
	}
	// Node 3 answers only to another token: it refuses every request.
	bad, err := NewDevnet(topo, "wrong-token")
	if err != nil {
		t.Fatal(err)
	}
	d.clients[2] = bad.clients[2]
	p, _ := Isolate(topo, 1)
	_, err = d.Apply(context.Background(), p)
	var ne *NodeError
	if !errors.As(err, &ne) || ne.Node != 3 || ne.Op != "read faults" {
		t.Fatalf("Apply = %v, want node 3 read faults", err)
	}
	var api *netfault.APIError
	if !errors.As(err, &api) || api.Code != 401 {
		t.Errorf("want the admin API's 401 inside, got %v", err)
	}
	for i, a := range admins {
		if a.filter.Rules().Active() {
			t.Errorf("node %d changed although the plan failed first: %+v", i+1, a.filter.Rules())
		}
	}
	shown, err := d.Show(context.Background())
	if err == nil || shown[2].Err == nil || shown[0].Err != nil {
		t.Errorf("Show: err %v, node 3 err %v, node 1 err %v", err, shown[2].Err, shown[0].Err)
	}
}

func TestNewDevnetRefusesNonLoopbackAdmin(t *testing.T) {
	topo := EqualTopology(2)
	topo.Nodes[1].Admin = "192.0.2.1:8006"
	if _, err := NewDevnet(topo, testToken); err == nil || !strings.Contains(err.Error(), "node 2") {
		t.Errorf("NewDevnet = %v, want node 2's address refused", err)
	}
	if _, err := NewDevnet(EqualTopology(2), ""); err == nil {
		t.Error("empty token: want error")
	}
}
