package validator

import (
	"context"
	"fmt"
	"net/netip"
	"testing"
	"time"

	"slonui/validator/netfault"
)

// TestTenNodeCluster runs ten validator processes on 127.63.0.1-10.
func TestTenNodeCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("ten processes for 20 s; make test runs it")
	}
	c := newCluster(t, clusterOpts{nodes: 10, slotMS: 200, base: netip.MustParseAddr("127.63.0.1")})
	c.startAll()
	started := time.Now()
	all := ids(10)
	took := c.allSeeAll(t, all, 10, 20*time.Second)
	t.Logf("10 nodes: every node saw all 10 within %v of start", took.Round(time.Millisecond))
	first, err := slotAt(c.url(5), "processed")
	if err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "slots advance on every node", func() (bool, string) {
		for _, id := range all {
			s, err := slotAt(c.url(id), "processed")
			if err != nil || s <= first+3 {
				return false, fmt.Sprintf("node %d at %d (%v)", id, s, err)
			}
		}
		return true, ""
	})
	time.Sleep(time.Until(started.Add(20 * time.Second)))
	slot := c.sameFinalizedBlock(t, all, 30*time.Second)
	t.Logf("common finalized slot %d has one blockhash on all 10", slot)
}

// TestPartitionAndHeal cuts a 5-node cluster 3|2 through the admin API:
// the 2 lose the 3 from their peer lists and stop confirming; after heal
// every node finalizes one chain again.
func TestPartitionAndHeal(t *testing.T) {
	if testing.Short() {
		t.Skip("five processes through a partition; make test runs it")
	}
	c := newCluster(t, clusterOpts{nodes: 5, slotMS: 100, peerExpiryMS: 2000, base: netip.MustParseAddr("127.64.0.1")})
	c.startAll()
	all := ids(5)
	c.allSeeAll(t, all, 5, 20*time.Second)
	c.sameFinalizedBlock(t, all, 20*time.Second)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ip := func(id int) string { return c.node(id).Addrs.Gossip.Addr().String() }
	admin := func(id int) *netfault.Client { return netfault.NewClient(c.node(id).Addrs.Admin.String(), c.token) }
	big, small := []int{1, 2, 3}, []int{4, 5}
	cut := func(side, other []int) {
		var peers []string
		for _, id := range other {
			peers = append(peers, ip(id))
		}
		for _, id := range side {
			if _, err := admin(id).Partition(ctx, peers); err != nil {
				t.Fatalf("partition node %d: %v", id, err)
			}
		}
	}
	if _, err := netfault.NewClient(c.node(1).Addrs.Admin.String(), "wrong").Faults(ctx); err == nil {
		t.Fatal("admin API accepted a wrong token")
	}
	cutAt := time.Now()
	cut(big, small)
	cut(small, big)
	took := eventually(t, 20*time.Second, "the 2 lose the 3 and the 3 lose the 2", func() (bool, string) {
		for _, id := range all {
			want := 3
			if id >= 4 {
				want = 2
			}
			n, err := peersSeen(c.url(id))
			if err != nil || n != want {
				return false, fmt.Sprintf("node %d sees %d (%v)", id, n, err)
			}
		}
		return true, ""
	})
	t.Logf("peer lists split %v after the partition", took.Round(time.Millisecond))
	conf := map[int]uint64{}
	for _, id := range small {
		s, err := slotAt(c.url(id), "confirmed")
		if err != nil {
			t.Fatal(err)
		}
		conf[id] = s
	}
	time.Sleep(2 * time.Second)
	for _, id := range small {
		s, err := slotAt(c.url(id), "confirmed")
		if err != nil {
			t.Fatal(err)
		}
		if s != conf[id] {
			t.Errorf("node %d confirmed slot moved %d → %d while cut off with 40%% of stake", id, conf[id], s)
		}
	}
	finalAtHeal, err := slotAt(c.url(1), "processed")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range all {
		if _, err := admin(id).Heal(ctx); err != nil {
			t.Fatalf("heal node %d: %v", id, err)
		}
	}
	healed := time.Now()
	c.allSeeAll(t, all, 5, 20*time.Second)
	slot := c.sameFinalizedBlockAbove(t, all, finalAtHeal, 90*time.Second)
	t.Logf("partitioned %v; after heal all 5 finalized slot %d (above %d) with one blockhash %v later",
		healed.Sub(cutAt).Round(time.Millisecond), slot, finalAtHeal, time.Since(healed).Round(time.Millisecond))
}
