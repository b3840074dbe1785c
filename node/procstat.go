package node

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// procStat is what the console needs from /proc/PID/stat.
type procStat struct {
	state     byte   // field 3: R, S, D, Z, T …
	pgrp      int    // field 5
	startTime uint64 // field 22: clock ticks after boot; with pid, names a process uniquely
}

// errNoProcess means no process (not even a zombie) has the pid.
var errNoProcess = errors.New("node: no such process")

// readProcStat reads /proc/PID/stat. It returns errNoProcess when the pid
// does not exist.
func readProcStat(pid int) (procStat, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if errors.Is(err, os.ErrNotExist) {
		return procStat{}, errNoProcess
	}
	if err != nil {
		return procStat{}, fmt.Errorf("read stat of pid %d: %w", pid, err)
	}
	return parseProcStat(b)
}

// parseProcStat parses the text of /proc/PID/stat. The command name (field 2)
// is in parentheses and may itself hold spaces and parentheses, so fields are
// counted from the last ')'.
func parseProcStat(b []byte) (procStat, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return procStat{}, fmt.Errorf("parse stat %q: no command name", b)
	}
	f := bytes.Fields(b[i+1:]) // f[0] is field 3
	if len(f) < 20 {
		return procStat{}, fmt.Errorf("parse stat: %d fields after the name, want at least 20", len(f))
	}
	pgrp, err := strconv.Atoi(string(f[5-3]))
	if err != nil {
		return procStat{}, fmt.Errorf("parse stat pgrp: %w", err)
	}
	start, err := strconv.ParseUint(string(f[22-3]), 10, 64)
	if err != nil {
		return procStat{}, fmt.Errorf("parse stat start time: %w", err)
	}
	if len(f[0]) != 1 {
		return procStat{}, fmt.Errorf("parse stat state %q", f[0])
	}
	return procStat{state: f[0][0], pgrp: pgrp, startTime: start}, nil
}

// running reports whether pid is a live process (not a zombie) started at
// startTime. A pid that was reused by another process reports false.
func running(pid int, startTime uint64) bool {
	st, err := readProcStat(pid)
	return err == nil && st.state != 'Z' && st.startTime == startTime
}

// groupAlive reports whether any live (non-zombie) process is in process
// group pgid. It asks kill(2) first, which is cheap and says no for an empty
// group, and only then scans /proc, because kill also counts zombies that
// nobody has reaped yet (an orphan of a container whose init does not reap).
func groupAlive(pgid int) bool {
	if err := syscall.Kill(-pgid, 0); err != nil {
		return !errors.Is(err, syscall.ESRCH)
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return true // cannot tell: assume alive, the caller escalates
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		st, err := readProcStat(pid)
		if err == nil && st.pgrp == pgid && st.state != 'Z' {
			return true
		}
	}
	return false
}
