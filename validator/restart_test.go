package validator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"slonui/validator/core"
)

func readTower(t *testing.T, ledger string) (core.Tower, []byte) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(ledger, TowerFile))
	if err != nil {
		t.Fatal(err)
	}
	tw, err := core.UnmarshalTower(b)
	if err != nil {
		t.Fatalf("persisted tower: %v", err)
	}
	return tw, b
}

// lockoutViolations lists the votes of before that were still locked out
// at after's newest vote yet are neither in after nor below its root: a
// node that dropped one voted against its lockout.
func lockoutViolations(before, after core.Tower) []string {
	top, ok := after.LastVote()
	if !ok {
		return nil
	}
	in := map[uint64]bool{}
	for _, v := range after.Votes {
		in[v.Slot] = true
	}
	var bad []string
	for _, v := range before.Votes {
		if v.LockedOutAt(top) && !in[v.Slot] && v.Slot > after.Root {
			bad = append(bad, fmt.Sprintf("vote %d (lockout until %d) dropped by the vote for %d", v.Slot, v.LastLockedOutSlot(), top))
		}
	}
	if after.Root < before.Root {
		bad = append(bad, fmt.Sprintf("root went back from %d to %d", before.Root, after.Root))
	}
	return bad
}

// restartAfterKill SIGKILLs node id mid-run, restarts it with the same
// config and checks that it catches up, votes again, and that its
// persisted towers never broke a lockout.
func restartAfterKill(t *testing.T, c *testCluster, id int) {
	ledger := c.node(id).LedgerPath
	eventually(t, 30*time.Second, "node has a tower with a root on disk", func() (bool, string) {
		b, err := os.ReadFile(filepath.Join(ledger, TowerFile))
		if err != nil {
			return false, err.Error()
		}
		tw, err := core.UnmarshalTower(b)
		return err == nil && tw.Root >= 10, fmt.Sprint("root ", tw.Root, err)
	})
	if _, err := c.stop(id, syscall.SIGKILL); err == nil {
		t.Fatalf("node %d exited cleanly after SIGKILL", id)
	}
	before, raw := readTower(t, ledger)
	if st, err := os.Stat(filepath.Join(ledger, BlocksFile)); err != nil || st.Size() == 0 {
		t.Fatalf("block log after the kill: %v, %v", st, err)
	}
	last, _ := before.LastVote()
	t.Logf("killed node %d: tower root %d, last vote %d, %d votes", id, before.Root, last, len(before.Votes))
	time.Sleep(time.Second) // the cluster moves on without it

	c.start(id)
	restarted := time.Now()
	// Watch every tower the restarted node writes.
	prev := before
	var first *core.Tower
	eventually(t, 30*time.Second, "restarted node votes past its old last vote", func() (bool, string) {
		tw, b := readTower(t, ledger)
		if bytes.Equal(b, raw) {
			return false, "tower unchanged"
		}
		raw = b
		if bad := lockoutViolations(prev, tw); len(bad) > 0 {
			t.Fatalf("lockout broken after restart: %v", bad)
		}
		if first == nil {
			first = &tw
		}
		prev = tw
		top, _ := tw.LastVote()
		return top > last, fmt.Sprintf("last vote %d", top)
	})
	t.Logf("node %d voted again %v after restart (first new tower root %d)", id, time.Since(restarted).Round(time.Millisecond), first.Root)
	if logb, err := os.ReadFile(filepath.Join(c.node(id).Dir, "validator.log")); err == nil {
		if i := bytes.LastIndex(logb, []byte("replayed the block log")); i >= 0 {
			t.Logf("restart: %s", bytes.SplitN(logb[i:], []byte("\n"), 2)[0])
		}
	}
	if bad := lockoutViolations(before, prev); len(bad) > 0 {
		t.Fatalf("lockout broken: %v", bad)
	}
	eventually(t, 30*time.Second, "restarted node catches up", func() (bool, string) {
		mine, err1 := slotAt(c.url(id), "processed")
		other, err2 := slotAt(c.url(1+id%len(c.init.Nodes)), "processed")
		if err1 != nil || err2 != nil {
			return false, fmt.Sprint(err1, err2)
		}
		return mine+8 >= other, fmt.Sprintf("processed %d vs %d", mine, other)
	})
	// The others count its votes again.
	eventually(t, 20*time.Second, "others see the restarted node vote", func() (bool, string) {
		var va struct {
			Current []struct {
				NodePubkey string
				LastVote   uint64
			}
		}
		if err := rpcCall(c.url(1+id%len(c.init.Nodes)), "getVoteAccounts", []any{map[string]any{"commitment": "processed"}}, &va); err != nil {
			return false, err.Error()
		}
		for _, v := range va.Current {
			if v.NodePubkey == c.node(id).Identity.String() && v.LastVote > last {
				return true, ""
			}
		}
		return false, "no newer vote seen"
	})
}
