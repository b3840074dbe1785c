package node

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// pidRecord is what a pidfile holds: the pid and its kernel start time, so a
// recycled pid is never mistaken for our child.
type pidRecord struct {
	pid       int
	startTime uint64
}

func (r pidRecord) marshal() []byte {
	return fmt.Appendf(nil, "%d %d\n", r.pid, r.startTime)
}

func parsePidRecord(b []byte) (pidRecord, error) {
	f := bytes.Fields(b)
	if len(f) != 2 {
		return pidRecord{}, fmt.Errorf("want \"pid starttime\", got %q", b)
	}
	pid, err := strconv.Atoi(string(f[0]))
	if err != nil || pid <= 0 {
		return pidRecord{}, fmt.Errorf("bad pid %q", f[0])
	}
	st, err := strconv.ParseUint(string(f[1]), 10, 64)
	if err != nil {
		return pidRecord{}, fmt.Errorf("bad start time %q", f[1])
	}
	return pidRecord{pid: pid, startTime: st}, nil
}

// writePidfile writes rec to path atomically (temp file and rename).
func writePidfile(path string, rec pidRecord) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write pidfile: %w", err)
	}
	_, werr := tmp.Write(rec.marshal())
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write pidfile %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write pidfile: %w", err)
	}
	return nil
}

// SweepStale stops the children a previous, crashed run left behind. For
// each pidfile: when its pid is alive and its start time matches the one
// recorded (our old child, not a recycled pid), its process group gets
// SIGTERM, then SIGKILL after DefaultStopGrace; the pidfile is removed in
// every case where it could be read. Missing pidfiles are skipped. It returns
// the pids it stopped and every problem met, joined. Nothing is ever looked up
// or killed by name.
func SweepStale(pidfiles []string) ([]int, error) {
	var stopped []int
	var errs []error
	for _, path := range pidfiles {
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: %w", path, err))
			continue
		}
		rec, err := parsePidRecord(b)
		if err != nil {
			errs = append(errs, fmt.Errorf("sweep %s: %w", path, err))
			continue
		}
		if running(rec.pid, rec.startTime) {
			if err := stopStale(rec, DefaultStopGrace); err != nil {
				errs = append(errs, fmt.Errorf("sweep %s: pid %d: %w", path, rec.pid, err))
				continue
			}
			stopped = append(stopped, rec.pid)
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, fmt.Errorf("sweep: %w", err))
		}
	}
	return stopped, errors.Join(errs...)
}

// stopStale sends SIGTERM, then SIGKILL after grace, to the stale child's
// process group (or to the pid alone if it no longer leads its group), and
// waits until it is gone (exited or a zombie nobody reaps).
func stopStale(rec pidRecord, grace time.Duration) error {
	target := rec.pid
	if st, err := readProcStat(rec.pid); err == nil && st.pgrp == rec.pid {
		target = -rec.pid
	}
	gone := func() bool {
		return !running(rec.pid, rec.startTime) && (target > 0 || !groupAlive(rec.pid))
	}
	if err := syscall.Kill(target, syscall.SIGTERM); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("sigterm: %w", err)
	}
	_ = syscall.Kill(target, syscall.SIGCONT) // a stopped process acts on TERM only once continued
	if pollUntil(gone, grace) {
		return nil
	}
	if err := syscall.Kill(target, syscall.SIGKILL); err != nil && !errors.Is(err, syscall.ESRCH) {
		return fmt.Errorf("sigkill: %w", err)
	}
	if pollUntil(gone, grace) {
		return nil
	}
	return errors.New("still running after SIGKILL")
}

// pollUntil checks cond every 10 ms until it holds or d has passed.
func pollUntil(cond func() bool, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}
