package load

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"slonui/solana"
)

// sinkServer answers every sendTransaction of a request or batch with a
// fixed signature, parsing no more than the ids, so that what a benchmark
// measures is the generator.
func sinkServer(b *testing.B) string {
	b.Helper()
	sig := []byte(`","result":"` + solana.Signature{1}.String() + `"}`)
	idKey := []byte(`"id":`)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var out bytes.Buffer
		batch := len(body) > 0 && body[0] == '['
		if batch {
			out.WriteByte('[')
		}
		n := 0
		for rest := body; ; {
			i := bytes.Index(rest, idKey)
			if i < 0 {
				break
			}
			rest = rest[i+len(idKey):]
			j := bytes.IndexAny(rest, ",}")
			if n > 0 {
				out.WriteByte(',')
			}
			out.WriteString(`{"jsonrpc":"2.0","id":"`)
			out.Write(rest[:j])
			out.Write(sig)
			n++
		}
		if batch {
			out.WriteByte(']')
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out.Bytes())
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	b.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkGeneratorRPCSink measures the generator's own cost: signing,
// batching and sending transfers with sendTransaction to a local sink,
// through the same workers, pipeline and sender a run uses. It reports
// sends/s and the process's CPU time per send (the sink's small share
// included).
func BenchmarkGeneratorRPCSink(b *testing.B) {
	for _, batch := range []int{1, 16} {
		b.Run("batch="+strconv.Itoa(batch), func(b *testing.B) { benchGenerator(b, batch) })
	}
}

func benchGenerator(b *testing.B, batch int) {
	cfg := DefaultConfig()
	cfg.URLs = []string{sinkServer(b)}
	cfg.Batch = batch
	e, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	accounts, err := newAccounts(cfg.Accounts)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	r := &runState{e: e, plan: ConstantPlan(1e6, time.Hour), clock: RealClock, start: now}
	r.f = &factory{accounts: accounts}
	r.f.setBlockhash(solana.HashOf([]byte("bench")), 1<<40, now)
	r.send = newRPCSender(e.clients)
	defer r.send.Close()
	r.st = newStats(1, now)
	r.trk = newTracker(e.clients, RealClock, r.st, e.countErr, 1, 0)
	r.sched = &scheduler{plan: r.plan, clock: RealClock, out: make(chan slot, cfg.Queue), st: r.st}
	r.pipe = &pipeline{f: r.f, out: make(chan Tx, signAhead), clock: RealClock, lead: func() int { return 1024 }, errs: e.countErr}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var signers sync.WaitGroup
	for range cfg.Signers {
		signers.Add(1)
		go func() { defer signers.Done(); r.pipe.run(ctx) }()
	}
	var workers sync.WaitGroup
	b.ResetTimer()
	cpu0, t0 := cpuTime(), time.Now()
	for range cfg.Workers {
		workers.Add(1)
		go func() { defer workers.Done(); r.worker(ctx) }()
	}
	for range b.N {
		r.sched.out <- slot{intended: time.Now(), step: 0}
	}
	close(r.sched.out)
	workers.Wait()
	wall, cpu := time.Since(t0), cpuTime()-cpu0
	b.StopTimer()
	cancel()
	signers.Wait()
	if r.st.total.accepted != uint64(b.N) {
		b.Fatalf("accepted %d of %d (failed %v)", r.st.total.accepted, b.N, r.st.total.failed)
	}
	b.ReportMetric(float64(b.N)/wall.Seconds(), "sends/s")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/send")
}

// BenchmarkSignTransfer is the signing share of a send: one transfer
// built, signed and encoded by the factory. bench/loadgen_vs_vegeta.sh
// reads its cpu-ns/op to report the generator's cost without signing.
func BenchmarkSignTransfer(b *testing.B) {
	accounts, err := newAccounts(256)
	if err != nil {
		b.Fatal(err)
	}
	f := &factory{accounts: accounts}
	f.setBlockhash(solana.HashOf([]byte("bench")), 1<<40, time.Now())
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := f.make(); err != nil {
			b.Fatal(err)
		}
	}
	// CPU rather than wall time, so a busy machine does not inflate it.
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}
