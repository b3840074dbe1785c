//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestConsoleJourney: 3 built-in nodes show as 3 running rows whose slots
// rise; slonui status beside it sees them running; ? opens the help; / and a word highlight its matches; r restarts
// node 2, whose row returns to running; q stops everything and exits, and
// no validator pid from the pidfiles remains.
func TestConsoleJourney(t *testing.T) {
	c := startConsole(t, 3, "127.0.10.1")

	first := c.waitScreen("3 running rows", 60*time.Second, false, func(s string) bool { return allRunning(s, 3) })
	before := rows(first)
	c.waitScreen("every node's slot to rise", 20*time.Second, false, func(s string) bool {
		now := rows(s)
		for i := 1; i <= 3; i++ {
			if now[i].slot <= before[i].slot {
				return false
			}
		}
		return true
	})

	// slonui status, run beside the console, sees the same 3 nodes running
	// with 2 peers each (polled: gossip may still be filling in).
	statusOK := func() (bool, string) {
		out, err := exec.Command(binary, "status", "--dir", c.dir, "--json").Output()
		if err != nil {
			return false, fmt.Sprintf("exit %v: %s", err, out)
		}
		var st struct {
			Nodes []struct {
				State string
				Slot  uint64
				Peers int
			}
		}
		if err := json.Unmarshal(out, &st); err != nil || len(st.Nodes) != 3 {
			return false, fmt.Sprintf("decode: %v: %s", err, out)
		}
		for _, n := range st.Nodes {
			if n.State != "running" || n.Slot == 0 || n.Peers != 2 {
				return false, string(out)
			}
		}
		return true, ""
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		ok, why := statusOK()
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("slonui status never showed 3 running nodes with 2 peers each; last: %s", why)
		}
		time.Sleep(200 * time.Millisecond)
	}

	// ? shows the full help; ? closes it.
	c.keys("?")
	c.waitScreen("the full help", 10*time.Second, false, func(s string) bool {
		return strings.Contains(s, "Navigate") && strings.Contains(s, "restart node") && strings.Contains(s, "next view")
	})
	c.keys("?")
	c.waitScreen("the help to close", 10*time.Second, false, func(s string) bool { return !strings.Contains(s, "Navigate") })

	// / + a word from node 1's log highlights it: with an SGR sequence on a
	// colour terminal, between «» (the current match »«) where the console
	// draws no colour (NO_COLOR, or termenv's Ascii profile, which it picks
	// whenever CI is set in the environment, as it is on CI machines).
	word := c.logWord()
	marked := regexp.MustCompile(`(\x1b\[[0-9;]*m|[«»])` + regexp.QuoteMeta(word))
	plain := len(marked.FindAllString(c.screen(true), -1))
	c.keys("/")
	c.keys("-l", word)
	c.keys("Enter")
	c.waitScreen("matches of "+word+" highlighted", 10*time.Second, true, func(s string) bool {
		return len(marked.FindAllString(s, -1)) > plain
	})
	c.keys("Escape")

	// r restarts node 2 (selected with 2): a new pid, and the row runs again.
	oldPid := c.pid(2)
	if oldPid == 0 {
		t.Fatal("node 2 has no pidfile while running")
	}
	c.keys("2")
	c.keys("r")
	deadline := time.Now().Add(20 * time.Second)
	for c.pid(2) == oldPid || c.pid(2) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("node 2 was not restarted (pid still %d); screen:\n%s", c.pid(2), c.screen(false))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if alive(oldPid) {
		t.Errorf("node 2's old pid %d is alive after the restart", oldPid)
	}
	c.waitScreen("node 2 running again", 60*time.Second, false, func(s string) bool {
		return rows(s)[2].state == "running" && allRunning(s, 3)
	})

	// q stops every node and exits; no validator pid remains.
	pids := c.pids()
	if len(pids) != 3 {
		t.Fatalf("want 3 pidfiles before quitting, got %v", pids)
	}
	c.keys("q")
	deadline = time.Now().Add(30 * time.Second)
	for !c.paneDead() {
		if time.Now().After(deadline) {
			t.Fatalf("the console did not exit after q; screen:\n%s", c.screen(false))
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("validator pid %d alive after q", pid)
		}
	}
	if left := c.pids(); len(left) > 0 {
		t.Errorf("pidfiles left after q: %v", left)
	}
}

// TestKill9OfTheConsole: when the console is killed with SIGKILL (no chance
// to stop anything), every validator it started is gone within 2 s.
func TestKill9OfTheConsole(t *testing.T) {
	c := startConsole(t, 3, "127.0.20.1")
	c.waitScreen("3 running rows", 60*time.Second, false, func(s string) bool { return allRunning(s, 3) })
	pids := c.pids()
	if len(pids) != 3 {
		t.Fatalf("want 3 validator pids, got %v", pids)
	}
	if err := syscall.Kill(c.consolePid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		var left []int
		for _, pid := range pids {
			if alive(pid) {
				left = append(left, pid)
			}
		}
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("validators %v still alive 2 s after kill -9 of the console", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logWord picks a word of at least 4 letters from the newest lines of the
// selected node's log pane (below the "─ node" title, above the status
// line and the key bar) to search for.
func (c *console) logWord() string {
	c.t.Helper()
	word := regexp.MustCompile(`[A-Za-z]{4,}`)
	var found string
	c.waitScreen("a word in node 1's log pane", 20*time.Second, false, func(s string) bool {
		lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
		if len(lines) > 2 {
			lines = lines[:len(lines)-2] // the status line and the key bar
		}
		in := false
		for _, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), "─ node") {
				in = true
				continue
			}
			if in {
				if w := word.FindString(l); w != "" {
					found = w
				}
			}
		}
		return found != ""
	})
	return found
}
