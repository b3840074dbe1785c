//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// floodRate is how many lines per second the flooding node writes.
const floodRate = 50000

// BenchmarkFlood runs the console twice over the same number of built-in
// nodes (E2E_FLOOD_NODES, default 5) in the grid view, where every log is
// on screen: once quiet, once with node 1 also writing floodRate lines a
// second into its pty (a child started beside its validator, in its
// process group). For the other nodes it reports how often their slot
// cell changed on screen (updates/s per node, read from tmux captures
// every 100 ms) and the longest time one went unchanged; and the key to
// frame latency (a selection key sent with tmux until the selection mark
// moved in a capture), median and worst of 20 keys. Also the console's
// CPU seconds over the window (E2E_FLOOD_SECONDS, default 20) and the
// flood's real rate, counted from node 1's validator.log.
func BenchmarkFlood(b *testing.B) {
	if skipReason != "" {
		b.Skip(skipReason)
	}
	if os.Getenv("E2E_VALIDATOR_BIN") != "" {
		b.Skip("E2E_VALIDATOR_BIN is set: the flood wraps the built-in validator")
	}
	n := envInt("E2E_FLOOD_NODES", 5)
	window := time.Duration(envInt("E2E_FLOOD_SECONDS", 20)) * time.Second
	wrapper := buildFlooder(b)
	for b.Loop() {
		quiet := measureFlood(b, n, "127.0.32.1", wrapper, false, window)
		flood := measureFlood(b, n, "127.0.33.1", wrapper, true, window)
		for _, r := range []struct {
			name string
			m    floodRun
		}{{"quiet", quiet}, {"flood", flood}} {
			b.ReportMetric(r.m.updatesPerSec, r.name+"-updates/s")
			b.ReportMetric(r.m.maxGap.Seconds(), r.name+"-max-gap-s")
			b.ReportMetric(float64(r.m.keyP50.Microseconds())/1000, r.name+"-key-p50-ms")
			b.ReportMetric(float64(r.m.keyMax.Microseconds())/1000, r.name+"-key-max-ms")
			b.ReportMetric(r.m.cpu, r.name+"-console-cpu-s")
			b.ReportMetric(float64(r.m.rssKB)/1024, r.name+"-rss-MB")
		}
		b.ReportMetric(flood.floodLinesPerSec, "flood-lines/s")
	}
}

// floodRun is what one console run measured.
type floodRun struct {
	updatesPerSec    float64       // slot cell changes per second, per other node
	maxGap           time.Duration // longest an other node's slot stayed unchanged
	keyP50, keyMax   time.Duration // key → frame
	cpu              float64       // console CPU seconds over the window
	rssKB            int           // console VmRSS at the end of the window
	floodLinesPerSec float64       // node 1's log lines per second (flood runs)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// flooderSource wraps the built-in validator: for node 1's config it first
// starts itself as "flood" (writing floodRate lines/s to the inherited
// pty until a write fails), then execs the validator either way.
const flooderSource = `package main

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const real = %q
const rate = %d

func main() {
	if len(os.Args) > 1 && os.Args[1] == "flood" {
		flood()
		return
	}
	args := os.Args[1:]
	if strings.Contains(strings.Join(args, " "), string(os.PathSeparator)+"node1"+string(os.PathSeparator)) {
		if self, err := os.Executable(); err == nil {
			cmd := exec.Command(self, "flood")
			cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
			_ = cmd.Start()
		}
	}
	err := syscall.Exec(real, append([]string{real, "validator"}, args...), os.Environ())
	os.Stderr.WriteString("exec " + real + ": " + err.Error() + "\n")
	os.Exit(1)
}

func flood() {
	w := bufio.NewWriterSize(os.Stdout, 64<<10)
	per := rate / 100
	n := 0
	tick := time.NewTicker(10 * time.Millisecond)
	buf := make([]byte, 0, 128)
	for range tick.C {
		for i := 0; i < per; i++ {
			n++
			buf = append(buf[:0], "flood line "...)
			buf = strconv.AppendInt(buf, int64(n), 10)
			buf = append(buf, " the quick brown fox jumps over the lazy dog\n"...)
			w.Write(buf)
		}
		if w.Flush() != nil {
			return
		}
	}
}
`

// buildFlooder builds the wrapper program and returns its path.
func buildFlooder(b *testing.B) string {
	dir := b.TempDir()
	src := filepath.Join(dir, "flooder.go")
	if err := os.WriteFile(src, fmt.Appendf(nil, flooderSource, binary, floodRate), 0o644); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "flooder")
	cmd := exec.Command("go", "build", "-o", out, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GO111MODULE=off")
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("build flooder: %v\n%s", err, msg)
	}
	return out
}

// measureFlood runs one console of n nodes (through wrapper, which floods
// from node 1 when flood is set) in the grid view and measures it.
func measureFlood(b *testing.B, n int, base, wrapper string, flood bool, window time.Duration) floodRun {
	tmp := b.TempDir()
	c := &console{t: b, sock: filepath.Join(tmp, "tmux.sock"), dir: filepath.Join(tmp, "cluster"), n: n}
	// The flood run wraps every node's validator (the wrapper floods only
	// beside node 1's); the quiet run uses the built-in validator itself.
	cmd := fmt.Sprintf("%s --nodes %d --dir %s --addr-base %s", binary, n, c.dir, base)
	if flood {
		cmd += " --validator-bin " + wrapper
	}
	c.tmux("new-session", "-d", "-x", "160", "-y", "48", "-s", "e2e", cmd, ";",
		"set-option", "-t", "e2e", "remain-on-exit", "on")
	b.Cleanup(c.cleanup)
	c.waitScreen(fmt.Sprintf("%d running rows", n), 120*time.Second, false, func(s string) bool { return allRunning(s, n) })
	c.keys("Tab")
	c.waitScreen("the grid view", 10*time.Second, false, func(s string) bool { return strings.Contains(s, "grid · ") })
	pid := c.consolePid()
	log1 := filepath.Join(c.dir, "node1", "validator.log")

	var run floodRun
	lines0 := countLines(log1)
	cpu0 := cpuSeconds(b, pid)
	start := time.Now()

	// Slot cadence of nodes 2..n from captures every 100 ms.
	last := map[int]uint64{}
	lastAt := map[int]time.Time{}
	changes := 0
	for time.Since(start) < window {
		now := time.Now()
		for id, r := range rows(c.screen(false)) {
			if id < 2 || r.slot == 0 {
				continue
			}
			if prev, ok := last[id]; !ok || prev != r.slot {
				if ok {
					changes++
					run.maxGap = max(run.maxGap, now.Sub(lastAt[id]))
				}
				last[id], lastAt[id] = r.slot, now
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	end := time.Now()
	for id := range lastAt {
		run.maxGap = max(run.maxGap, end.Sub(lastAt[id]))
	}
	elapsed := end.Sub(start).Seconds()
	run.cpu = cpuSeconds(b, pid) - cpu0
	run.rssKB = vmRSS(pid)
	run.updatesPerSec = float64(changes) / elapsed / float64(max(n-1, 1))
	if flood {
		run.floodLinesPerSec = float64(countLines(log1)-lines0) / elapsed
	}

	// Key → frame: select nodes 2 and 3 in turn, wait for the mark.
	var lat []time.Duration
	for i := range 20 {
		want := 2 + i%2
		sent := time.Now()
		c.keys(strconv.Itoa(want))
		for selected(c.screen(false)) != want {
			if time.Since(sent) > 10*time.Second {
				b.Fatalf("selecting node %d: no frame within 10 s; screen:\n%s", want, c.screen(false))
			}
		}
		lat = append(lat, time.Since(sent))
		time.Sleep(50 * time.Millisecond)
	}
	slices.Sort(lat)
	run.keyP50, run.keyMax = lat[len(lat)/2], lat[len(lat)-1]

	c.keys("q")
	deadline := time.Now().Add(30 * time.Second)
	for !c.paneDead() && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	c.cleanup()
	return run
}

// selected is the id of the row carrying the selection mark, 0 if none.
func selected(screen string) int {
	for _, line := range strings.Split(screen, "\n") {
		if !strings.HasPrefix(line, ">") {
			continue
		}
		if m := rowRE.FindStringSubmatch(line); m != nil {
			id, _ := strconv.Atoi(m[1])
			return id
		}
	}
	return 0
}

// countLines counts the newlines in path (0 when it cannot be read).
func countLines(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	buf := make([]byte, 1<<20)
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if err != nil {
			return n
		}
	}
}

// vmRSS is pid's resident set size in kB (0 when unknown).
func vmRSS(pid int) int {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.Atoi(f[0])
				return kb
			}
		}
	}
	return 0
}
