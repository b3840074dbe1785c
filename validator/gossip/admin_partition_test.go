package gossip

import (
	"context"
	"testing"
	"time"

	"slonui/validator/netfault"
)

// TestPartitionThreeTwoThroughAdminAPI cuts a 5-node cluster 3|2 the way the
// console does, through each node's admin API, and heals it the same way.
func TestPartitionThreeTwoThroughAdminAPI(t *testing.T) {
	nodes := startCluster(t, 5, fast, sameVersion)
	eventually(t, 10*time.Second, "5 nodes see each other", func() bool { return allSeeAll(nodes) })

	const token = "cluster-token"
	clients := make([]*netfault.Client, len(nodes))
	for i, n := range nodes {
		ln, err := netfault.ListenLoopback("127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { netfault.ServeAdmin(ctx, ln, netfault.AdminHandler(n.filter, token)); close(done) }()
		t.Cleanup(func() { cancel(); <-done })
		clients[i] = netfault.NewClient(ln.Addr().String(), token)
	}
	sideA, sideB := nodes[:3], nodes[3:]
	addrs := func(ns []*testNode) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.addr.String())
		}
		return out
	}
	ctx := context.Background()
	for i := range nodes {
		other := addrs(sideB)
		if i >= 3 {
			other = addrs(sideA)
		}
		if _, err := clients[i].Partition(ctx, other); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 10*time.Second, "each side sees only itself", func() bool {
		for _, n := range sideA {
			if len(n.Peers()) != 2 {
				return false
			}
		}
		for _, n := range sideB {
			if len(n.Peers()) != 1 {
				return false
			}
		}
		return true
	})
	st, err := clients[4].Faults(ctx)
	if err != nil || !st.Active || st.Counters.DroppedPartition == 0 {
		t.Fatalf("node 4 faults: %+v, %v", st, err)
	}
	for _, c := range clients {
		if _, err := c.Heal(ctx); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 10*time.Second, "all see all after heal", func() bool { return allSeeAll(nodes) })
}

// TestLossDoesNotExpirePeers keeps 30 % loss on one node's traffic for
// three PeerExpiry periods: refreshes, relays and pulls must keep every peer
// alive, so the console never sees a false departure.
func TestLossDoesNotExpirePeers(t *testing.T) {
	nodes := startCluster(t, 4, fast, sameVersion)
	eventually(t, 10*time.Second, "4 nodes see each other", func() bool { return allSeeAll(nodes) })
	if _, err := nodes[3].filter.SetLoss(0.3, nil); err != nil {
		t.Fatal(err)
	}
	time.Sleep(3 * fast.expiry) // exposure to loss, not a timing assertion
	if c := nodes[3].filter.Counters(); c.DroppedLoss == 0 {
		t.Fatalf("no packet was lost: %+v", c)
	}
	for i, n := range nodes {
		if s := n.Stats(); s.Expired != 0 {
			t.Errorf("node %d expired %d peers under 30%% loss", i, s.Expired)
		}
	}
	if !allSeeAll(nodes) {
		t.Fatal("a peer is missing after the loss period")
	}
}
