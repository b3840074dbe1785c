//go:build e2e

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// BenchmarkConsoleVsTmux10Nodes measures, over the same wall time
// (E2E_BENCH_SECONDS, default 60), the CPU seconds of the slonui console
// showing 10 built-in validators with every log visible in the grid view,
// and of a tmux server showing the same 10 validators (the same cluster
// files) in 10 tiled panes, as the guide's start script does. It reports
// both and their ratio (console/tmux; the goal is <= 1.0), and the
// console's resident memory (VmRSS) at the end of its window with the TUI
// up (goal < 150 MB). The validators' own CPU is in neither figure.
func BenchmarkConsoleVsTmux10Nodes(b *testing.B) {
	if skipReason != "" {
		b.Skip(skipReason)
	}
	secs := 60
	if s, err := strconv.Atoi(os.Getenv("E2E_BENCH_SECONDS")); err == nil && s > 0 {
		secs = s
	}
	window := time.Duration(secs) * time.Second
	for b.Loop() {
		consoleCPU, rssKB := measureConsole(b, window)
		tmuxCPU := measureTmux(b, window)
		b.ReportMetric(consoleCPU, "console-cpu-s")
		b.ReportMetric(float64(rssKB)/1024, "console-rss-MB")
		b.ReportMetric(tmuxCPU, "tmux-cpu-s")
		if tmuxCPU > 0 {
			b.ReportMetric(consoleCPU/tmuxCPU, "console/tmux")
		}
	}
}

// measureConsole runs the console with 10 nodes in the grid view and
// returns its CPU seconds over window and its VmRSS in kB at the end.
func measureConsole(b *testing.B, window time.Duration) (float64, int) {
	c := startConsole(b, 10, "127.0.30.1")
	c.waitScreen("10 running rows", 120*time.Second, false, func(s string) bool { return allRunning(s, 10) })
	c.keys("Tab")
	c.waitScreen("the grid view", 10*time.Second, false, func(s string) bool { return strings.Contains(s, "grid · ") })
	pid := c.consolePid()
	start := cpuSeconds(b, pid)
	time.Sleep(window) // the measurement window itself, not a wait for a condition
	used := cpuSeconds(b, pid) - start
	rss := vmRSS(pid)
	c.keys("q")
	deadline := time.Now().Add(30 * time.Second)
	for !c.paneDead() && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	return used, rss
}

// measureTmux runs the same 10 validators in 10 tiled panes of a private
// tmux server and returns the server's CPU seconds over window.
func measureTmux(b *testing.B, window time.Duration) float64 {
	tmp := b.TempDir()
	dir := filepath.Join(tmp, "cluster")
	if out, err := exec.Command(binary, "init", "--nodes", "10", "--dir", dir, "--addr-base", "127.0.31.1").CombinedOutput(); err != nil {
		b.Fatalf("init: %v\n%s", err, out)
	}
	c := &console{t: b, sock: filepath.Join(tmp, "tmux.sock"), dir: dir, n: 10}
	b.Cleanup(c.cleanup)
	node := func(i int) string {
		return fmt.Sprintf("%s validator --config %s", binary, filepath.Join(dir, fmt.Sprintf("node%d", i), "config", "validator.toml"))
	}
	c.tmux("new-session", "-d", "-x", "160", "-y", "48", "-s", "e2e", node(1))
	for i := 2; i <= 10; i++ {
		c.tmux("split-window", "-t", "e2e", node(i))
		c.tmux("select-layout", "-t", "e2e", "tiled")
	}
	// Wait until every validator answers, as the console's rows did.
	for i := 1; i <= 10; i++ {
		addr := fmt.Sprintf("127.0.31.%d:8899", i)
		deadline := time.Now().Add(60 * time.Second)
		for !answers(addr) {
			if time.Now().After(deadline) {
				b.Fatalf("validator %d at %s never answered; screen:\n%s", i, addr, c.screen(false))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	out := c.tmux("display-message", "-p", "-t", "e2e", "#{pid}")
	pid, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		b.Fatalf("tmux server pid %q: %v", out, err)
	}
	start := cpuSeconds(b, pid)
	time.Sleep(window) // the measurement window itself
	used := cpuSeconds(b, pid) - start
	c.tmuxErr("kill-server")
	return used
}

// answers reports whether a JSON-RPC getSlot to addr succeeds.
func answers(addr string) bool {
	hc := http.Client{Timeout: time.Second}
	resp, err := hc.Post("http://"+addr, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"getSlot"}`))
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return strings.Contains(string(body), `"result"`)
}

// cpuSeconds is the user+system CPU time of pid so far.
func cpuSeconds(b *testing.B, pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatalf("cpu of pid %d: %v", pid, err)
	}
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / 100 // USER_HZ is 100 on Linux
}
