package node

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// BenchmarkReaderFlood measures what the reader sustains from a child that
// writes as fast as it can under a pty: one op is one child writing
// floodLines lines, read into the ring and appended to a log file. It
// reports lines/s, heap allocations per line of the whole test process, and
// the CPU time this process (reader, splitter, log writer) spent per line.
func BenchmarkReaderFlood(b *testing.B) {
	const floodLines = 200000
	cfg := childConfig(b, "chatty", strconv.Itoa(floodLines))
	dir := b.TempDir()
	var elapsed, cpu time.Duration
	var mallocs uint64
	var ms runtime.MemStats
	for i := 0; b.Loop(); i++ {
		cfg.LogFile = filepath.Join(dir, fmt.Sprint("flood", i, ".log"))
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		cpu0 := selfCPU(b)
		start := time.Now()
		p, err := Start(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		<-p.Done()
		elapsed += time.Since(start)
		cpu += selfCPU(b) - cpu0
		runtime.ReadMemStats(&ms)
		mallocs += ms.Mallocs - before
		if p.Ring().Last() != floodLines {
			b.Fatalf("ring got %d lines, want %d", p.Ring().Last(), floodLines)
		}
	}
	lines := float64(b.N) * floodLines
	b.ReportMetric(lines/elapsed.Seconds(), "lines/s")
	b.ReportMetric(float64(mallocs)/lines, "allocs/line")
	b.ReportMetric(float64(cpu.Nanoseconds())/lines, "cpu-ns/line")
}

// selfCPU is the user+system CPU time of this process so far (the console
// side only: the child's time is not included).
func selfCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSplitter is the pure line splitter over validator-like text with
// CRLF and colour, without a process: it bounds what the reader can do.
func BenchmarkSplitter(b *testing.B) {
	var in bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&in, "[2026-11-25 18:00:00.%03d] \x1b[32mINFO\x1b[0m PoH tick %d slot: %d ✅\r\n", i%1000, i*100, i/4)
	}
	data := in.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var s splitter
	n := 0
	emit := func([]byte) { n++ }
	for b.Loop() {
		s.write(data, emit)
	}
	if n != 1000*b.N {
		b.Fatalf("got %d lines, want %d", n, 1000*b.N)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
}
