package validator

import (
	"net/netip"
	"syscall"
	"testing"
	"time"
)

// TestThreeNodeCluster runs three validator processes on 127.61.0.1-3 and,
// on that one running cluster: discovery, slots advancing, one blockhash at
// a common finalized slot, the reference client, bad input, and a SIGKILL
// restart.
func TestThreeNodeCluster(t *testing.T) {
	c := newCluster(t, clusterOpts{nodes: 3, slotMS: 100, base: netip.MustParseAddr("127.61.0.1")})
	c.startAll()
	started := time.Now()
	all := ids(3)

	t.Run("discovery", func(t *testing.T) {
		took := c.allSeeAll(t, all, 3, 15*time.Second)
		t.Logf("3 nodes: every node saw all 3 within %v of start", took.Round(time.Millisecond))
	})
	t.Run("slots advance", func(t *testing.T) {
		first := map[int]uint64{}
		for _, id := range all {
			s, err := slotAt(c.url(id), "processed")
			if err != nil {
				t.Fatal(err)
			}
			first[id] = s
		}
		eventually(t, 10*time.Second, "every node's processed slot advances", func() (bool, string) {
			for _, id := range all {
				s, err := slotAt(c.url(id), "processed")
				if err != nil || s <= first[id]+3 {
					return false, "node still at its first slot"
				}
			}
			return true, ""
		})
	})
	t.Run("reference client", func(t *testing.T) { referenceClient(t, c) })
	t.Run("bad input", func(t *testing.T) { badInput(t, c.url(2)) })
	t.Run("sigterm", func(t *testing.T) {
		took, err := c.stop(3, syscall.SIGTERM)
		if err != nil {
			t.Fatalf("node 3 after SIGTERM: %v", err)
		}
		t.Logf("node 3 exited 0 %v after SIGTERM", took.Round(time.Millisecond))
		c.start(3)
		c.allSeeAll(t, all, 3, 15*time.Second)
	})
	t.Run("restart after SIGKILL", func(t *testing.T) { restartAfterKill(t, c, 2) })
	t.Run("same finalized block after 20 s", func(t *testing.T) {
		time.Sleep(time.Until(started.Add(20 * time.Second)))
		slot := c.sameFinalizedBlock(t, all, 30*time.Second)
		t.Logf("common finalized slot %d has one blockhash on all 3", slot)
	})
}
