package load

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

// flakyBackend is an in-test backend for error-kind counting only: it
// rejects every fourth load transaction with -32005, lands every fourth
// with InsufficientFundsForFee, and reports the rest finalized at once.
// Funding (airdrops, multi-transfer splits) always lands.
type flakyBackend struct {
	*rpcservertest.Fake
	mu     sync.Mutex
	n      int
	status map[solana.Signature]*rpcserver.SignatureStatus
}

func newFlakyBackend() *flakyBackend {
	return &flakyBackend{Fake: rpcservertest.NewFake(), status: map[solana.Signature]*rpcserver.SignatureStatus{}}
}

func (b *flakyBackend) land(sig solana.Signature, err any) {
	b.status[sig] = &rpcserver.SignatureStatus{Slot: 130, Err: err, ConfirmationStatus: rpcserver.Finalized}
}

func (b *flakyBackend) SendTransaction(_ context.Context, tx solana.Transaction, _ []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(tx.Message.Instructions) > 1 {
		b.land(tx.ID(), nil)
		return nil
	}
	b.n++
	switch b.n % 4 {
	case 0:
		return &rpcserver.Error{Code: rpcserver.CodeNodeUnhealthy, Message: "Node is unhealthy"}
	case 1:
		b.land(tx.ID(), "InsufficientFundsForFee")
	default:
		b.land(tx.ID(), nil)
	}
	return nil
}

func (b *flakyBackend) RequestAirdrop(ctx context.Context, to solana.Pubkey, lamports uint64) (solana.Signature, error) {
	sig, err := b.Fake.RequestAirdrop(ctx, to, lamports)
	if err == nil {
		b.mu.Lock()
		b.land(sig, nil)
		b.mu.Unlock()
	}
	return sig, err
}

func (b *flakyBackend) SignatureStatuses(sigs []solana.Signature, _ bool) []*rpcserver.SignatureStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]*rpcserver.SignatureStatus, len(sigs))
	for i, s := range sigs {
		if st, ok := b.status[s]; ok {
			cp := *st
			out[i] = &cp
		}
	}
	return out
}

// downURL is a loopback URL on which nothing listens.
func downURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func testConfig(urls ...string) Config {
	cfg := DefaultConfig()
	cfg.URLs = urls
	cfg.Accounts = 8
	cfg.AccountLamports = 1_000_000
	cfg.Workers = 2
	cfg.Batch = 4
	cfg.FundTimeout = 10 * time.Second
	cfg.Drain = 5 * time.Second
	cfg.RPC.Timeout = 2 * time.Second
	return cfg
}

// A node that is down and a node that returns errors: every failure is
// counted by kind, the run ends by itself, and Snapshot answers all along.
func TestEngineCountsErrorsByKind(t *testing.T) {
	b := newFlakyBackend()
	srv, err := rpcserver.New(b, rpcserver.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	url := serve(t, srv)
	e, err := New(testConfig(downURL(t), url))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(t.Context(), ConstantPlan(200, 2*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := e.Start(t.Context(), ConstantPlan(1, time.Second)); err != ErrRunning {
		t.Errorf("second Start = %v, want ErrRunning", err)
	}
	phases := map[string]bool{}
	for done := false; !done; {
		select {
		case <-e.Done():
			done = true
		case <-time.After(20 * time.Millisecond):
		}
		phases[e.Snapshot().Phase] = true
	}
	rep, ok := e.Report()
	if !ok || rep.Phase != PhaseDone {
		t.Fatalf("report %v phase %q error %q, want done", ok, rep.Phase, rep.Error)
	}
	if !phases[PhaseRunning] {
		t.Errorf("snapshots showed phases %v, never running", phases)
	}
	tot := rep.Total
	for _, kind := range []string{"connection refused", "rpc -32005", "tx InsufficientFundsForFee"} {
		if tot.Failed[kind] == 0 {
			t.Errorf("failed %v: no %q", tot.Failed, kind)
		}
	}
	var sendFailed, txFailed uint64
	for k, n := range tot.Failed {
		if strings.HasPrefix(k, "tx ") {
			txFailed += n
		} else {
			sendFailed += n
		}
	}
	if tot.Planned != 400 || tot.Sent+tot.Dropped != tot.Planned {
		t.Errorf("planned %d, sent %d, dropped %d; want 400 = sent + dropped", tot.Planned, tot.Sent, tot.Dropped)
	}
	if tot.Accepted+sendFailed != tot.Sent {
		t.Errorf("accepted %d + send failures %d != sent %d", tot.Accepted, sendFailed, tot.Sent)
	}
	if tot.Landed+txFailed+tot.Expired+tot.Unresolved != tot.Accepted {
		t.Errorf("landed %d + failed on chain %d + expired %d + unresolved %d != accepted %d",
			tot.Landed, txFailed, tot.Expired, tot.Unresolved, tot.Accepted)
	}
	if tot.Landed == 0 || tot.Latency["finalized"].Count != int64(tot.Landed) {
		t.Errorf("landed %d, finalized samples %d; want equal and > 0", tot.Landed, tot.Latency["finalized"].Count)
	}
	var refused uint64
	for k, n := range rep.Errors {
		if strings.HasSuffix(k, "connection refused") {
			refused += n
		}
	}
	if refused == 0 {
		t.Errorf("engine errors %v: polls of the down node not counted", rep.Errors)
	}
	if len(e.Accounts()) != 8 {
		t.Errorf("%d accounts, want 8", len(e.Accounts()))
	}
}

// serve runs srv on a fresh loopback port until the test ends.
func serve(t *testing.T, srv *rpcserver.Server) string {
	t.Helper()
	rpcLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, rpcLn, nil) }()
	t.Cleanup(func() {
		stop()
		<-served
	})
	return "http://" + rpcLn.Addr().String()
}

func TestEngineWithEveryNodeDownFails(t *testing.T) {
	e, err := New(testConfig(downURL(t), downURL(t)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(t.Context(), ConstantPlan(10, time.Second)); err != nil {
		t.Fatal(err)
	}
	<-e.Done()
	rep, _ := e.Report()
	if rep.Phase != PhaseFailed || !strings.Contains(rep.Error, "airdrop") {
		t.Errorf("phase %q error %q, want failed at the airdrop", rep.Phase, rep.Error)
	}
	if s := e.Snapshot(); s.Phase != PhaseFailed || s.Err == "" {
		t.Errorf("snapshot phase %q err %q, want failed with the error", s.Phase, s.Err)
	}
}

func TestEngineStopEndsTheRun(t *testing.T) {
	b := newFlakyBackend()
	srv, err := rpcserver.New(b, rpcserver.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(testConfig(serve(t, srv)))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Start(t.Context(), ConstantPlan(50, time.Hour)); err != nil {
		t.Fatal(err)
	}
	for e.Snapshot().Sent == 0 {
		time.Sleep(10 * time.Millisecond)
	}
	e.SetRate(100)
	e.Stop()
	rep, _ := e.Report()
	if rep.Phase != PhaseStopped || rep.Total.Sent == 0 {
		t.Errorf("phase %q sent %d, want stopped after some sends", rep.Phase, rep.Total.Sent)
	}
	if err := e.Start(t.Context(), ConstantPlan(1, time.Second)); err != nil {
		t.Errorf("Start after Stop = %v, want a new run", err)
	}
	e.Stop()
}

func TestConfigValidate(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Sender = "carrier pigeon"
	cfg.Accounts = 1
	cfg.Batch = 1000
	err := cfg.Validate()
	for _, want := range []string{"no node URL", "sender must be", "accounts must be at least 2", "batch must be at most 256"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate = %v, missing %q", err, want)
		}
	}
}
