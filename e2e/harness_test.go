//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

var (
	binary     string // the slonui binary built by TestMain
	skipReason string // why every test skips, "" when they run
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if _, err := exec.LookPath("tmux"); err != nil {
		skipReason = "tmux is not installed"
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "slonui-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "slonui")
	build := exec.Command("go", "build", "-o", binary, "slonui")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build: %v\n%s", err, out)
		return 1
	}
	// `slonui validator --help` exits 0 once the built-in validator exists;
	// before that the dispatcher says "unknown command" and exits 2.
	if standIn := os.Getenv("E2E_VALIDATOR_BIN"); standIn != "" {
		fmt.Fprintf(os.Stderr, "e2e: E2E_VALIDATOR_BIN=%s: nodes run that program, NOT the built-in validator (harness check only)\n", standIn)
	} else if err := exec.Command(binary, "validator", "--help").Run(); err != nil {
		skipReason = "slonui has no `validator` subcommand yet (" + err.Error() + "): the end-to-end tests need the built-in validator"
	}
	return m.Run()
}

// console is one slonui console running in a private tmux server.
type console struct {
	t    testing.TB
	sock string
	dir  string // the cluster directory
	n    int
}

// startConsole runs `slonui --nodes n --dir DIR --addr-base base` in a new
// private tmux server, 160x48.
func startConsole(t testing.TB, n int, base string) *console {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	tmp := t.TempDir()
	c := &console{t: t, sock: filepath.Join(tmp, "tmux.sock"), dir: filepath.Join(tmp, "cluster"), n: n}
	cmd := fmt.Sprintf("%s --nodes %d --dir %s --addr-base %s", binary, n, c.dir, base)
	if standIn := os.Getenv("E2E_VALIDATOR_BIN"); standIn != "" {
		t.Logf("nodes run %s, not the built-in validator", standIn)
		cmd += " --validator-bin " + standIn
	}
	c.tmux("new-session", "-d", "-x", "160", "-y", "48", "-s", "e2e", cmd, ";",
		"set-option", "-t", "e2e", "remain-on-exit", "on")
	t.Cleanup(c.cleanup)
	return c
}

// tmux runs a tmux command against the private server.
func (c *console) tmux(args ...string) string {
	c.t.Helper()
	out, err := c.tmuxErr(args...)
	if err != nil {
		c.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return out
}

func (c *console) tmuxErr(args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-S", c.sock, "-f", "/dev/null"}, args...)...)
	cmd.Env = append(os.Environ(), "TMUX=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// cleanup stops the tmux server and, should the console have left any, the
// validators recorded in the pidfiles (by pid only).
func (c *console) cleanup() {
	c.tmuxErr("kill-server")
	for _, pid := range c.pids() {
		syscall.Kill(-pid, syscall.SIGKILL)
	}
}

// screen is the pane's text; with esc, SGR sequences are kept.
func (c *console) screen(esc bool) string {
	args := []string{"capture-pane", "-p", "-t", "e2e"}
	if esc {
		args = append(args, "-e")
	}
	out, _ := c.tmuxErr(args...)
	return out
}

// keys types keys into the pane (tmux key names: "Enter", "Escape", "q").
func (c *console) keys(keys ...string) {
	c.t.Helper()
	c.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...)
}

// waitScreen polls the screen every 100 ms until ok holds for it, and fails
// with the last screen after timeout.
func (c *console) waitScreen(what string, timeout time.Duration, esc bool, ok func(string) bool) string {
	c.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		s := c.screen(esc)
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("timed out after %v waiting for %s; last screen:\n%s", timeout, what, c.screen(false))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// paneDead reports whether the console has exited (its pane remains).
func (c *console) paneDead() bool {
	out, err := c.tmuxErr("display-message", "-p", "-t", "e2e", "#{pane_dead}")
	return err != nil || strings.TrimSpace(out) == "1"
}

// consolePid is the pid of the process running in the pane (the console).
func (c *console) consolePid() int {
	c.t.Helper()
	out := c.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}")
	pid, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		c.t.Fatalf("pane pid %q: %v", out, err)
	}
	return pid
}

// pids are the validator pids recorded in the nodes' pidfiles now.
func (c *console) pids() []int {
	var pids []int
	for i := 1; i <= c.n; i++ {
		if pid := c.pid(i); pid > 0 {
			pids = append(pids, pid)
		}
	}
	return pids
}

// pid is node i's pid from its pidfile, 0 when there is none.
func (c *console) pid(i int) int {
	b, err := os.ReadFile(filepath.Join(c.dir, fmt.Sprintf("node%d", i), "validator.pid"))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	pid, _ := strconv.Atoi(f[0])
	return pid
}

// alive reports whether pid is a live (not zombie) process.
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// row is one node row of the table.
type row struct {
	id    int
	state string
	slot  uint64
}

// rowRE matches a table row: optional selection mark, id, state, identity,
// slot ("  2 running     9QxC…sgkv    1202 …").
var rowRE = regexp.MustCompile(`^[> ]\s*(\d+) (\S+)\s+\S+\s+(\d+)\s`)

// rows parses the node rows of a screen, by id.
func rows(screen string) map[int]row {
	out := map[int]row{}
	for _, line := range strings.Split(screen, "\n") {
		m := rowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		id, _ := strconv.Atoi(m[1])
		slot, _ := strconv.ParseUint(m[3], 10, 64)
		if _, seen := out[id]; !seen {
			out[id] = row{id: id, state: m[2], slot: slot}
		}
	}
	return out
}

// allRunning reports whether the screen shows n running rows with a slot
// above zero.
func allRunning(screen string, n int) bool {
	r := rows(screen)
	for i := 1; i <= n; i++ {
		if r[i].state != "running" || r[i].slot == 0 {
			return false
		}
	}
	return true
}
