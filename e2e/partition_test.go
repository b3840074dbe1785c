//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// tableRow is one node row of the 160-column table: id, state, identity,
// slot, confirm, root, txs, peers, vote.
type tableRow struct {
	state           string
	slot, confirmed uint64
	peers           int
}

var tableRowRE = regexp.MustCompile(`^[> ]\s*(\d+) (\S+)\s+\S+\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s`)

// tableRows parses the node rows of a 160-column screen, by id.
func tableRows(screen string) map[int]tableRow {
	out := map[int]tableRow{}
	for _, line := range strings.Split(screen, "\n") {
		m := tableRowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		id, _ := strconv.Atoi(m[1])
		slot, _ := strconv.ParseUint(m[3], 10, 64)
		conf, _ := strconv.ParseUint(m[4], 10, 64)
		peers, _ := strconv.Atoi(m[7])
		if _, seen := out[id]; !seen {
			out[id] = tableRow{state: m[2], slot: slot, confirmed: conf, peers: peers}
		}
	}
	return out
}

var (
	minorityForkRE = regexp.MustCompile(`(?m)└ .*◆5\s*$`)
	stoppedWatchRE = regexp.MustCompile(`heal→converged (\d[\d.]*(ms|s|m[\d.]+s))\s*$`)
	forkPassRE     = regexp.MustCompile(`(?m)^fork resolution\s+\S+.*PASS`)
)

// TestPartitionForkViewJourney: 5 built-in nodes; p → isolate node 5 (the
// picker previews 4|1, 80% vs 20%) → confirm; node 5's peers drop to 0,
// its confirmed slot stays frozen while the other four keep confirming,
// and the fork view shows two chains once node 5 builds its own block;
// h → one chain again and the heal→converged stopwatch stops; c → the
// fork resolution check passes. The session file holds the steps.
func TestPartitionForkViewJourney(t *testing.T) {
	c := startConsole(t, 5, "127.0.43.1")
	c.waitScreen("5 running rows", 90*time.Second, false, func(s string) bool { return allRunning(s, 5) })
	c.waitScreen("node 5 to confirm a slot", 30*time.Second, false, func(s string) bool { return tableRows(s)[5].confirmed > 0 })

	c.keys("5", "p")
	c.waitScreen("the picker's preview of isolating node 5", 10*time.Second, false, func(s string) bool {
		return strings.Contains(s, "> isolate node 5") && strings.Contains(s, "side A 80.0% can confirm; side B 20.0% cannot")
	})
	c.keys("Enter")
	c.waitScreen("the confirm prompt", 10*time.Second, false, func(s string) bool {
		return strings.Contains(s, "partition isolate 5 — side A 80.0% can confirm; side B 20.0% cannot? y/n")
	})
	c.keys("y")
	c.waitScreen("the partition in the header", 15*time.Second, false, func(s string) bool {
		return strings.Contains(s, "faults: partition isolate 5")
	})

	split := c.waitScreen("node 5's peers to drop and two forks", 90*time.Second, false, func(s string) bool {
		r := tableRows(s)
		return r[5].peers == 0 && r[1].peers == 3 && strings.Contains(s, "Forks 2 — nodes 1-4 | nodes 5") && minorityForkRE.MatchString(s)
	})
	base := tableRows(split)
	c.waitScreen("the four to keep confirming while node 5's confirmed slot stays", 60*time.Second, false, func(s string) bool {
		r := tableRows(s)
		if r[5].confirmed != base[5].confirmed {
			t.Fatalf("node 5 confirmed slot %d moved from %d while cut off; screen:\n%s", r[5].confirmed, base[5].confirmed, s)
		}
		for i := 1; i <= 4; i++ {
			if r[i].confirmed < base[i].confirmed+8 {
				return false
			}
		}
		return r[5].slot > base[5].confirmed
	})

	c.keys("h")
	healed := c.waitScreen("one chain and the stopwatch stopped", 120*time.Second, false, func(s string) bool {
		return strings.Contains(s, "Forks 1 — one chain") && !strings.Contains(s, "faults:") && stoppedWatchRE.MatchString(firstLine(s, "Forks 1"))
	})
	t.Logf("heal→converged: %s", stoppedWatchRE.FindStringSubmatch(firstLine(healed, "Forks 1"))[1])

	c.keys("c")
	checks := c.waitScreen("the checks panel", 20*time.Second, false, func(s string) bool { return strings.Contains(s, "Checks ") && strings.Contains(s, "fork resolution") })
	if !forkPassRE.MatchString(checks) {
		t.Errorf("fork resolution did not pass; screen:\n%s", checks)
	}

	sessions, _ := filepath.Glob(filepath.Join(c.dir, "sessions", "*.toml"))
	if len(sessions) != 1 {
		t.Fatalf("session files %v, want one", sessions)
	}
	b, err := os.ReadFile(sessions[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"isolate = 5", "heal = true", "check = 'fork-resolution'"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("session file lacks %q:\n%s", want, b)
		}
	}

	c.keys("q")
	deadline := time.Now().Add(30 * time.Second)
	for !c.paneDead() {
		if time.Now().After(deadline) {
			t.Fatalf("the console did not exit after q; screen:\n%s", c.screen(false))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// firstLine is the first line of s that contains sub ("" when none).
func firstLine(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
