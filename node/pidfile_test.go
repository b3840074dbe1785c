package node

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParsePidRecord(t *testing.T) {
	tests := []struct {
		in      string
		want    pidRecord
		wantErr bool
	}{
		{"123 456\n", pidRecord{123, 456}, false},
		{"  9\t10  ", pidRecord{9, 10}, false},
		{"123\n", pidRecord{}, true},
		{"123 456 789", pidRecord{}, true},
		{"0 5", pidRecord{}, true},
		{"-4 5", pidRecord{}, true},
		{"x 5", pidRecord{}, true},
		{"5 y", pidRecord{}, true},
		{"", pidRecord{}, true},
	}
	for _, tt := range tests {
		got, err := parsePidRecord([]byte(tt.in))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parsePidRecord(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			if back, _ := parsePidRecord(got.marshal()); back != got {
				t.Errorf("round trip of %+v gave %+v", got, back)
			}
		}
	}
}

func TestParseProcStat(t *testing.T) {
	tail := " 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 987654 23 24" // fields 7 … 24
	tests := []struct {
		name    string
		in      string
		want    procStat
		wantErr bool
	}{
		{"plain", "42 (slonui) S 1 42 42" + tail, procStat{'S', 42, 987654}, false},
		{"name with spaces and parens", "42 (a) b (c)) Z 1 7 42" + tail, procStat{'Z', 7, 987654}, false},
		{"no name", "42 S 1 42 42" + tail, procStat{}, true},
		{"too short", "42 (x) S 1 42", procStat{}, true},
		{"bad start", "42 (x) S 1 42 42 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 zz 23", procStat{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseProcStat([]byte(tt.in))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("got %+v, %v; want %+v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestReadProcStatOfSelf(t *testing.T) {
	st, err := readProcStat(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if st.pgrp != syscall.Getpgrp() || st.startTime == 0 || st.state == 'Z' {
		t.Fatalf("own stat %+v, want pgrp %d and a start time", st, syscall.Getpgrp())
	}
	if _, err := readProcStat(1 << 30); !errors.Is(err, errNoProcess) {
		t.Fatalf("stat of a pid beyond pid_max: %v, want errNoProcess", err)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := DefaultConfig()
	ok.Path = "/bin/true"
	tests := []struct {
		name  string
		edit  func(*Config)
		wants []string
	}{
		{"default with path", func(*Config) {}, nil},
		{"ring given instead of lines", func(c *Config) { c.RingLines = 0; c.Ring = NewRing(5) }, nil},
		{"everything wrong", func(c *Config) {
			c.ID, c.Path, c.RingLines, c.Cols, c.StopGrace = -1, "", 0, 0, 0
			c.LogFile, c.PidFile = "x", "x"
		}, []string{"id -1", "path is empty", "ring lines 0", "pty size 0x40", "stop grace", "same path"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			err := c.Validate()
			if (err != nil) != (len(tt.wants) > 0) {
				t.Fatalf("Validate() = %v, want problems %q", err, tt.wants)
			}
			for _, w := range tt.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %v, missing %q", err, w)
				}
			}
		})
	}
}

// startLoose starts a sleeping child in its own session, as a node of a
// crashed earlier run would be, with no console watching it.
func startLoose(t *testing.T) (*exec.Cmd, procStat) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := exec.Command(exe)
	c.Env = append(os.Environ(), childEnv+"=sleep")
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		c.Process.Kill()
		c.Wait()
	})
	st, err := readProcStat(c.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	return c, st
}

func TestSweepStale(t *testing.T) {
	dir := t.TempDir()
	stale, staleSt := startLoose(t)
	other, otherSt := startLoose(t)
	dead := exec.Command("/bin/true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}

	files := map[string]pidRecord{
		"stale.pid":    {stale.Process.Pid, staleSt.startTime},
		"recycled.pid": {other.Process.Pid, otherSt.startTime + 1}, // same pid, another process
		"dead.pid":     {dead.Process.Pid, 1},
	}
	var paths []string
	for name, rec := range files {
		p := filepath.Join(dir, name)
		if err := writePidfile(p, rec); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	paths = append(paths, filepath.Join(dir, "never-written.pid"))

	stopped, err := SweepStale(paths)
	if err != nil {
		t.Fatalf("sweep: %v", err)
	}
	if !slices.Equal(stopped, []int{stale.Process.Pid}) {
		t.Fatalf("stopped %v, want only the stale pid %d", stopped, stale.Process.Pid)
	}
	if err := stale.Wait(); err == nil {
		t.Fatal("stale child exited cleanly, want killed by a signal")
	} else if ws := stale.ProcessState.Sys().(syscall.WaitStatus); !ws.Signaled() || ws.Signal() != syscall.SIGTERM {
		t.Fatalf("stale child ended with %v, want SIGTERM", stale.ProcessState)
	}
	if !running(other.Process.Pid, otherSt.startTime) {
		t.Fatalf("the unrelated pid %d was touched", other.Process.Pid)
	}
	for _, p := range paths {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s not removed: %v", filepath.Base(p), err)
		}
	}
}

func TestSweepStaleReportsBadPidfile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "garbage.pid")
	if err := os.WriteFile(p, []byte("not a pid\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stopped, err := SweepStale([]string{p})
	if len(stopped) != 0 || err == nil || !strings.Contains(err.Error(), "garbage.pid") {
		t.Fatalf("got %v, %v; want no pids and an error naming the file", stopped, err)
	}
}

// A middle process (the console) starts a child through Start and is then
// SIGKILLed: Pdeathsig must take the child down with it.
func TestChildDiesWithTheConsole(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	middle := exec.Command(exe)
	middle.Env = append(os.Environ(), childEnv+"=middle")
	out, err := middle.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := middle.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		middle.Process.Kill()
		middle.Wait()
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("read middle's output: %v", err)
	}
	child, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(line, "child ")))
	if err != nil {
		t.Fatalf("middle said %q", line)
	}
	if pidGone(child) {
		t.Fatalf("child %d not running before the middle dies", child)
	}
	if err := middle.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	middle.Wait()
	if !pollUntil(func() bool { return pidGone(child) }, 5*time.Second) {
		syscall.Kill(-child, syscall.SIGKILL)
		t.Fatalf("child %d still alive 5 s after its console was SIGKILLed", child)
	}
}
