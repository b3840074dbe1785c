package load

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"slonui/rpc"
	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

func sigOf(i byte) solana.Signature { return solana.Signature{i, 1, 2, 3} }

// The tracker against the real rpcserver: statuses move transactions to
// processed, confirmed and finalized, on-chain errors count by kind, and an
// unseen transaction whose blockhash is past its last valid height expires.
func TestTrackerFollowsStatusesFromTheRPCServer(t *testing.T) {
	fake := rpcservertest.NewFake() // confirmed slot 128: block height 125
	url, _ := rpcservertest.Start(t, fake, rpcserver.DefaultConfig())
	c, err := rpc.New(url, rpc.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	st := newStats(1, now)
	var engineErrs errLog
	trk := newTracker([]*rpc.Client{c}, RealClock, st, engineErrs.add, 1, 0)
	for i, lastValid := range []uint64{1000, 1000, 1000, 10, 1000} {
		trk.add(Tx{Sig: sigOf(byte(i + 1)), LastValid: lastValid}, now.Add(-time.Second), 0)
	}
	one := uint64(1)
	fake.SetStatus(sigOf(1), &rpcserver.SignatureStatus{Slot: 129, Confirmations: &one, ConfirmationStatus: rpcserver.Processed})
	fake.SetStatus(sigOf(2), &rpcserver.SignatureStatus{Slot: 128, Confirmations: &one, ConfirmationStatus: rpcserver.Confirmed})
	fake.SetStatus(sigOf(3), &rpcserver.SignatureStatus{Slot: 128, Confirmations: &one, Err: "BlockhashNotFound", ConfirmationStatus: rpcserver.Confirmed})
	trk.poll(t.Context())

	tot := st.total
	if tot.landed != 2 || tot.hist[LatProcessed].TotalCount() != 2 || tot.hist[LatConfirmed].TotalCount() != 1 {
		t.Errorf("landed %d, processed %d, confirmed %d; want 2, 2, 1",
			tot.landed, tot.hist[LatProcessed].TotalCount(), tot.hist[LatConfirmed].TotalCount())
	}
	if tot.failed["tx BlockhashNotFound"] != 1 {
		t.Errorf("failed %v, want tx BlockhashNotFound 1", tot.failed)
	}
	if tot.expired != 1 {
		t.Errorf("expired %d, want 1 (last valid height 10 < block height 125)", tot.expired)
	}
	if n := trk.count(); n != 3 {
		t.Errorf("following %d, want 3 (processed, confirmed, unseen)", n)
	}
	if p50 := tot.hist[LatProcessed].ValueAtQuantile(50); p50 < int64(time.Second/time.Microsecond) {
		t.Errorf("processed latency %d µs, want ≥ 1 s: it is measured from the intended time", p50)
	}

	fake.SetStatus(sigOf(1), &rpcserver.SignatureStatus{Slot: 129, ConfirmationStatus: rpcserver.Finalized})
	trk.poll(t.Context())
	if tot.hist[LatFinalized].TotalCount() != 1 || tot.hist[LatConfirmed].TotalCount() != 2 {
		t.Errorf("finalized %d, confirmed %d; want 1, 2 (a jump to finalized passes confirmed)",
			tot.hist[LatFinalized].TotalCount(), tot.hist[LatConfirmed].TotalCount())
	}
	if tot.landed != 2 {
		t.Errorf("landed %d after finalizing, want still 2", tot.landed)
	}
	trk.finish()
	if tot.unseen != 1 || trk.count() != 0 {
		t.Errorf("unresolved %d, following %d; want 1, 0", tot.unseen, trk.count())
	}
	if errs := engineErrs.all(); len(errs) != 0 {
		t.Errorf("engine errors %v against a healthy server", errs)
	}
}

func TestErrName(t *testing.T) {
	tests := []struct{ raw, want string }{
		{`"BlockhashNotFound"`, "BlockhashNotFound"},
		{`{"InstructionError":[0,{"Custom":1}]}`, "InstructionError"},
		{` { "InsufficientFundsForRent" : {"account_index":1}}`, "InsufficientFundsForRent"},
		{``, "unknown"},
	}
	for _, tc := range tests {
		if got := errName([]byte(tc.raw)); got != tc.want {
			t.Errorf("errName(%s) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

func TestJudge(t *testing.T) {
	lat := func(p99 float64) map[string]Percentiles {
		return map[string]Percentiles{"confirmed": {Count: 10, P99: p99}}
	}
	tests := []struct {
		name      string
		landed    []float64
		total     StepReport
		thr, conf string
		pass      bool
	}{
		{"target", []float64{100, 10000}, StepReport{Latency: lat(900)}, GradeTarget, GradeTarget, true},
		{"pass", []float64{8001}, StepReport{Latency: lat(1999)}, GradePass, GradePass, true},
		{"at the pass line fails", []float64{8000}, StepReport{Latency: lat(2000)}, GradeFail, GradeFail, false},
		{"slow confirmation", []float64{12000}, StepReport{Latency: lat(2500)}, GradeTarget, GradeFail, false},
		{"nothing confirmed", []float64{12000}, StepReport{}, GradeTarget, GradeFail, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var steps []StepReport
			for _, l := range tc.landed {
				steps = append(steps, StepReport{LandedTPS: l})
			}
			v := Judge(steps, tc.total)
			if v.Throughput != tc.thr || v.Confirmation != tc.conf || v.Pass != tc.pass {
				t.Errorf("Judge = %+v, want throughput %s confirmation %s pass %v", v, tc.thr, tc.conf, tc.pass)
			}
		})
	}
}

func TestTrackerFollowsASampleToFinalized(t *testing.T) {
	fake := rpcservertest.NewFake()
	url, _ := rpcservertest.Start(t, fake, rpcserver.DefaultConfig())
	c, err := rpc.New(url, rpc.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	st := newStats(1, time.Now())
	trk := newTracker([]*rpc.Client{c}, RealClock, st, func(string) {}, 3, 0)
	one := uint64(1)
	for i := byte(1); i <= 6; i++ {
		trk.add(Tx{Sig: sigOf(i), LastValid: 1000}, time.Now(), 0)
		fake.SetStatus(sigOf(i), &rpcserver.SignatureStatus{Slot: 128, Confirmations: &one, ConfirmationStatus: rpcserver.Confirmed})
	}
	trk.poll(t.Context())
	if n := trk.count(); n != 2 {
		t.Errorf("following %d after all confirmed, want 2 (1 in 3 of 6 go on to finalized)", n)
	}
	if got := st.total.hist[LatConfirmed].TotalCount(); got != 6 {
		t.Errorf("%d confirmed samples, want 6", got)
	}
	// The confirmed two are asked about in slow rounds only.
	if n := len(trk.due(false)); n != 0 {
		t.Errorf("a poll asks about %d confirmed transactions, want 0", n)
	}
	if n := len(trk.due(true)); n != 2 {
		t.Errorf("a slow round asks about %d, want the 2 going on to finalized", n)
	}
	for i := byte(1); i <= 6; i++ {
		fake.SetStatus(sigOf(i), &rpcserver.SignatureStatus{Slot: 128, ConfirmationStatus: rpcserver.Finalized})
	}
	slowPoll := func() {
		trk.mu.Lock()
		trk.lastSlow = time.Time{} // the next poll is a slow round
		trk.mu.Unlock()
		trk.poll(t.Context())
	}
	// The node's finalized slot (100) is below their slot (128): a slow
	// round does not ask about them yet.
	slowPoll()
	if n := trk.count(); n != 2 {
		t.Errorf("following %d while their slot is not finalized, want 2", n)
	}
	fake.Mu.Lock()
	fake.Slots[rpcserver.Finalized] = 128
	fake.Mu.Unlock()
	slowPoll()
	if n := trk.count(); n != 0 {
		t.Errorf("following %d after all finalized, want 0", n)
	}
	if got := st.total.hist[LatFinalized].TotalCount(); got != 2 {
		t.Errorf("%d finalized samples, want 2", got)
	}
}

// cutBodies serves h on loopback but answers -32600 to any body over
// limit bytes, as the real slonana does past ~4 KB.
func cutBodies(t *testing.T, h http.Handler, limit int) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if len(body) > limit {
			io.WriteString(w, `{"jsonrpc":"2.0","error":{"code":-32600,"message":"Invalid request"},"id":null}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

func TestTrackerShrinksStatusBatchesAfterInvalidRequest(t *testing.T) {
	fake := rpcservertest.NewFake()
	srv, err := rpcserver.New(fake, rpcserver.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	url := cutBodies(t, srv.Handler(), 4096)
	c, err := rpc.New(url, rpc.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	st := newStats(1, time.Now())
	var log errLog
	trk := newTracker([]*rpc.Client{c}, RealClock, st, log.add, 1, 0)
	one := uint64(1)
	for i := 0; i < 100; i++ {
		sig := solana.Signature{byte(i), byte(i >> 8), 7}
		trk.add(Tx{Sig: sig, LastValid: 1000}, time.Now(), 0)
		fake.SetStatus(sig, &rpcserver.SignatureStatus{Slot: 128, Confirmations: &one, ConfirmationStatus: rpcserver.Processed})
	}
	for range 4 {
		trk.poll(t.Context())
	}
	errs := log.all()
	if st.total.landed != 100 {
		t.Errorf("landed %d of 100 after shrinking to %d per call; errors %v", st.total.landed, trk.batchSize(), errs)
	}
	if trk.batchSize() > 44 || len(errs) == 0 {
		t.Errorf("batch %d, errors %v; want ≤ 44 (4 KB of signatures) after counted -32600s", trk.batchSize(), errs)
	}
}

// errLog collects engine error kinds from many goroutines.
type errLog struct {
	mu   sync.Mutex
	list []string
}

func (l *errLog) add(kind string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, kind)
}

func (l *errLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.list...)
}

// manualClock is a Clock that moves only when told.
type manualClock struct{ t time.Time }

func (c *manualClock) Now() time.Time                       { return c.t }
func (c *manualClock) After(time.Duration) <-chan time.Time { return make(chan time.Time) }

// At 10,000 sends a second with TimedRate 2,000, about one in five is
// timed; every one is counted landed, only the timed ones' latencies are
// recorded, and the untimed ones are asked about once a second, not every
// poll. At 1,000 a second, and with TimedRate 0, every one is timed.
func TestTrackerTimesAUniformSample(t *testing.T) {
	sig := func(i int) solana.Signature { return solana.Signature{byte(i), byte(i >> 8), byte(i >> 16), 9} }
	run := func(n int, gap time.Duration, timedRate float64) (*tracker, *stats, *manualClock, []solana.Signature) {
		clk := &manualClock{t: time.Unix(1_700_000_000, 0)}
		st := newStats(1, clk.t)
		trk := newTracker(nil, clk, st, func(string) {}, 1, timedRate)
		var sigs []solana.Signature
		for i := range n {
			clk.t = clk.t.Add(gap)
			trk.add(Tx{Sig: sig(i), LastValid: 1 << 40}, clk.t, 0)
			sigs = append(sigs, sig(i))
		}
		return trk, st, clk, sigs
	}
	timedCount := func(trk *tracker) int { return len(trk.timed) }

	trk, st, clk, sigs := run(10_000, 100*time.Microsecond, 2000)
	timed := timedCount(trk)
	if timed < 1900 || timed > 2210 {
		t.Fatalf("%d of 10,000 timed at 10,000/s with TimedRate 2,000; want about 2,000", timed)
	}
	poll := func(at time.Time) int { return len(trk.due(trk.slowRound(at))) }
	if n := poll(clk.t); n != 10_000 {
		t.Fatalf("first poll asks about %d, want all 10,000", n)
	}
	if n := poll(clk.t.Add(200 * time.Millisecond)); n != timed {
		t.Fatalf("poll 200 ms later asks about %d, want only the %d timed", n, timed)
	}
	if n := poll(clk.t.Add(1100 * time.Millisecond)); n != 10_000 {
		t.Fatalf("poll 1.1 s later asks about %d, want all 10,000 again", n)
	}
	one := uint64(1)
	sts := make([]*rpc.SignatureStatus, len(sigs))
	for i := range sts {
		sts[i] = &rpc.SignatureStatus{Slot: 5, Confirmations: &one, ConfirmationStatus: rpc.Processed}
	}
	trk.apply(sigs, sts, clk.t.Add(time.Second))
	if st.total.landed != 10_000 {
		t.Errorf("landed %d, want 10,000: untimed ones count too", st.total.landed)
	}
	if got := st.total.hist[LatProcessed].TotalCount(); got != int64(timed) {
		t.Errorf("%d processed latencies recorded, want the %d timed", got, timed)
	}
	if n := trk.count(); n != timed {
		t.Errorf("still following %d, want the %d timed ones (untimed are done once landed)", n, timed)
	}

	if trk, _, _, _ := run(1000, time.Millisecond, 2000); timedCount(trk) != 1000 {
		t.Errorf("%d of 1,000 timed at 1,000/s with TimedRate 2,000; want all", timedCount(trk))
	}
	if trk, _, _, _ := run(5000, 10*time.Microsecond, 0); timedCount(trk) != 5000 {
		t.Errorf("%d of 5,000 timed with TimedRate 0; want all", timedCount(trk))
	}
}

// Polls keep their schedule whatever a poll takes: a 30 ms poll does not
// push the next one 30 ms later (that time would be added to every
// latency it finds); a poll longer than the interval skips the slots it
// missed instead of being followed at once (a slow cluster would be asked
// more and more often).
func TestNextPollKeepsTheSchedule(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	every := 100 * time.Millisecond
	if got := nextPoll(t0, t0.Add(30*time.Millisecond), every); !got.Equal(t0.Add(every)) {
		t.Errorf("after a 30 ms poll the next is at +%v, want +100ms", got.Sub(t0))
	}
	if got := nextPoll(t0, t0.Add(every), every); !got.Equal(t0.Add(every)) {
		t.Errorf("after a 100 ms poll the next is at +%v, want +100ms", got.Sub(t0))
	}
	if got := nextPoll(t0, t0.Add(250*time.Millisecond), every); !got.Equal(t0.Add(300 * time.Millisecond)) {
		t.Errorf("after a 250 ms poll the next is at +%v, want the next slot, +300ms", got.Sub(t0))
	}
	if got := nextPoll(t0, t0.Add(200*time.Millisecond), every); !got.Equal(t0.Add(200 * time.Millisecond)) {
		t.Errorf("after a 200 ms poll the next is at +%v, want +200ms", got.Sub(t0))
	}
}
