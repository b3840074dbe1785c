package main

import (
	"context"
	"encoding/json"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"slonui/load"
	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

func TestLoadUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no target", []string{}, "give exactly one of --dir and --url"},
		{"both targets", []string{"--dir", "x", "--url", "http://127.0.0.1:1"}, "give exactly one of --dir and --url"},
		{"bad ramp", []string{"--url", "http://127.0.0.1:1", "--ramp", "100,fast"}, `--ramp: "fast" is not a rate`},
		{"negative rate", []string{"--url", "http://127.0.0.1:1", "--tps", "-5"}, "rate 1 is -5"},
		{"bad sender", []string{"--url", "http://127.0.0.1:1", "--sender", "quic"}, `--sender "quic"`},
		{"zero step", []string{"--url", "http://127.0.0.1:1", "--ramp", "guide", "--step", "0s"}, "step length must be positive"},
		{"stray argument", []string{"--url", "http://127.0.0.1:1", "now"}, `unexpected argument "now"`},
		{"bad flag", []string{"--rate", "5"}, "flag provided but not defined: -rate"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCmd(t, append([]string{"load"}, tc.args...)...)
			if code != exitUsage || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, exitUsage, tc.want)
			}
		})
	}
}

func TestLoadPlanFromFlags(t *testing.T) {
	base := loadFlags{sender: "rpc", tps: 100, duration: time.Minute, step: 10 * time.Second, cooldown: 5 * time.Second}
	tests := []struct {
		name  string
		ramp  string
		kind  load.PlanKind
		rates []float64
		dur   time.Duration
	}{
		{"constant", "", load.Constant, []float64{100}, time.Minute},
		{"guide", "guide", load.Steps, load.GuideRates, 6*10*time.Second + 5*5*time.Second},
		{"custom", "10, 20", load.Steps, []float64{10, 20}, 25 * time.Second},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := base
			f.ramp = tc.ramp
			p, err := loadPlan(f)
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != tc.kind || len(p.Rates) != len(tc.rates) || p.Duration() != tc.dur {
				t.Fatalf("plan %+v (duration %s), want %s %v %s", p, p.Duration(), tc.kind, tc.rates, tc.dur)
			}
			for i := range tc.rates {
				if p.Rates[i] != tc.rates[i] {
					t.Errorf("rate %d = %v, want %v", i, p.Rates[i], tc.rates[i])
				}
			}
		})
	}
}

func TestLoadDownNodeFailsWithTheReason(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	code, _, errs := runCmd(t, "load", "--url", url, "--tps", "10", "--duration", "1s", "--json")
	if code != exitFail || !strings.Contains(errs, "airdrop") || !strings.Contains(errs, "connection refused") {
		t.Errorf("exit %d, stderr %q; want 1 naming the failed airdrop", code, errs)
	}
}

func TestLoadDirWithoutClusterFails(t *testing.T) {
	code, _, errs := runCmd(t, "load", "--dir", filepath.Join(t.TempDir(), "none"))
	if code != exitFail || !strings.Contains(errs, "no cluster here") {
		t.Errorf("exit %d, stderr %q; want 1 and no cluster", code, errs)
	}
}

// landingBackend lands every transaction and airdrop at once (finalized),
// so the command's output can be checked without a cluster.
type landingBackend struct {
	*rpcservertest.Fake
	mu     sync.Mutex
	landed map[solana.Signature]bool
}

func (b *landingBackend) SendTransaction(_ context.Context, tx solana.Transaction, _ []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.landed[tx.ID()] = true
	return nil
}

func (b *landingBackend) RequestAirdrop(ctx context.Context, to solana.Pubkey, lamports uint64) (solana.Signature, error) {
	sig, err := b.Fake.RequestAirdrop(ctx, to, lamports)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.landed[sig] = true
	return sig, err
}

func (b *landingBackend) SignatureStatuses(sigs []solana.Signature, _ bool) []*rpcserver.SignatureStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]*rpcserver.SignatureStatus, len(sigs))
	for i, s := range sigs {
		if b.landed[s] {
			out[i] = &rpcserver.SignatureStatus{Slot: 130, ConfirmationStatus: rpcserver.Finalized}
		}
	}
	return out
}

func TestLoadJSONReport(t *testing.T) {
	b := &landingBackend{Fake: rpcservertest.NewFake(), landed: map[solana.Signature]bool{}}
	srv, err := rpcserver.New(b, rpcserver.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln, nil) }()
	defer func() { stop(); <-served }()

	code, out, errs := runCmd(t, "load", "--url", "http://"+ln.Addr().String(), "--ramp", "20,40", "--step", "1s",
		"--cooldown", "500ms", "--accounts", "4", "--drain", "3s", "--json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep load.Report
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("stdout is not one report: %v\n%s", err, out)
	}
	if dec.More() {
		t.Errorf("stdout holds more than one JSON value:\n%s", out)
	}
	if rep.Phase != load.PhaseDone || len(rep.Steps) != 2 {
		t.Fatalf("phase %q, %d steps; want done, 2", rep.Phase, len(rep.Steps))
	}
	for i, want := range []uint64{20, 40} {
		s := rep.Steps[i]
		if s.Sent != want || s.Landed != want || s.TargetTPS != float64(want) {
			t.Errorf("step %d: target %v sent %d landed %d, want %d each", i+1, s.TargetTPS, s.Sent, s.Landed, want)
		}
		if s.Latency["finalized"].Count != int64(want) {
			t.Errorf("step %d: %d finalized samples, want %d", i+1, s.Latency["finalized"].Count, want)
		}
	}
	if rep.Total.Sent != 60 || rep.Verdict.Throughput != load.GradeFail {
		t.Errorf("total sent %d, throughput %q; want 60 and fail (far below 8,000/s)", rep.Total.Sent, rep.Verdict.Throughput)
	}
}
