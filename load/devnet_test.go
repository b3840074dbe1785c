package load

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"slonui/rpc"
)

// devnetBase is this test's own loopback range: nodes at 127.0.106.1-3.
const devnetBase = "127.0.106.1"

// startDevnet builds slonui, writes a 3-node cluster and starts one
// `slonui validator` process per node; they are stopped by pid when the
// test ends. It skips while the binary has no validator subcommand.
func startDevnet(t *testing.T, n int) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("starts a 3-node devnet (-short)")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "slonui")
	build := exec.Command("go", "build", "-o", bin, "slonui")
	build.Dir = ".."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	if err := exec.Command(bin, "validator", "--help").Run(); err != nil {
		t.Skipf("slonui has no `validator` subcommand yet (%v): this test needs the built-in validator", err)
	}
	cdir := filepath.Join(dir, "cluster")
	if out, err := exec.Command(bin, "init", "--nodes", fmt.Sprint(n), "--dir", cdir, "--addr-base", devnetBase).CombinedOutput(); err != nil {
		t.Fatalf("slonui init: %v\n%s", err, out)
	}
	var urls []string
	for i := 1; i <= n; i++ {
		logf, err := os.Create(filepath.Join(dir, fmt.Sprintf("node%d.log", i)))
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(bin, "validator", "--config", filepath.Join(cdir, fmt.Sprintf("node%d", i), "config", "validator.toml"))
		cmd.Stdout, cmd.Stderr = logf, logf
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatalf("node %d: start: %v", i, err)
		}
		pid := cmd.Process.Pid
		t.Cleanup(func() {
			_ = syscall.Kill(pid, syscall.SIGTERM)
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()
			select {
			case <-waited:
			case <-time.After(5 * time.Second):
				_ = syscall.Kill(-pid, syscall.SIGKILL)
				<-waited
			}
			logf.Close()
			if t.Failed() {
				b, _ := os.ReadFile(logf.Name())
				t.Logf("node %d log tail:\n%s", i, tail(string(b), 15))
			}
		})
		ip := strings.TrimSuffix(devnetBase, "1") + fmt.Sprint(i)
		urls = append(urls, "http://"+ip+":8899")
	}
	// Wait until every node confirms slots.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, u := range urls {
		c, err := rpc.New(u, rpc.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		for {
			if s, err := c.GetSlot(ctx, rpc.Confirmed); err == nil && s > 2 {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("node %s never confirmed a slot", u)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	return urls
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}

// TestDevnetLandsAndBalancesAddUp: 20 s at 100/s over JSON-RPC against a
// real 3-node devnet lands at least 99% of what was sent, and the accounts'
// lamports are conserved except for exactly 5,000 per executed transaction.
// A second engine sends 50/s over UDP to the leaders' TPUs at the same
// time, under the same checks.
func TestDevnetLandsAndBalancesAddUp(t *testing.T) {
	urls := startDevnet(t, 3)
	type run struct {
		sender string
		rate   float64
		e      *Engine
		cfg    Config
	}
	runs := []*run{{sender: SenderRPC, rate: 100}, {sender: SenderTPU, rate: 50}}
	for _, r := range runs {
		r.cfg = DefaultConfig()
		r.cfg.URLs = urls
		r.cfg.Sender = r.sender
		r.cfg.Accounts = 64
		r.cfg.AccountLamports = 100_000_000
		r.cfg.Drain = 15 * time.Second
		var err error
		if r.e, err = New(r.cfg); err != nil {
			t.Fatal(err)
		}
		if err := r.e.Start(t.Context(), ConstantPlan(r.rate, 20*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	c, err := rpc.New(urls[0], rpc.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		<-r.e.Done()
		rep, _ := r.e.Report()
		tot := rep.Total
		t.Logf("%s: sent %d accepted %d landed %d expired %d unresolved %d dropped %d failed %v; confirmed %+v; engine errors %v",
			r.sender, tot.Sent, tot.Accepted, tot.Landed, tot.Expired, tot.Unresolved, tot.Dropped, tot.Failed, tot.Latency["confirmed"], rep.Errors)
		if rep.Phase != PhaseDone {
			t.Errorf("%s: phase %q error %q, want done", r.sender, rep.Phase, rep.Error)
			continue
		}
		planned := uint64(r.rate * 20)
		if tot.Planned != planned || float64(tot.Sent) < 0.99*float64(planned) {
			t.Errorf("%s: planned %d sent %d, want %d planned and nearly all sent", r.sender, tot.Planned, tot.Sent, planned)
		}
		if float64(tot.Landed) < 0.99*float64(tot.Sent) {
			t.Errorf("%s: landed %d of %d sent, want ≥ 99%%", r.sender, tot.Landed, tot.Sent)
		}
		var onChainFailed uint64
		for k, n := range tot.Failed {
			if strings.HasPrefix(k, "tx ") {
				onChainFailed += n
			}
		}
		// Every transaction that executed paid 5,000 lamports; the transfers
		// only moved lamports between the run's accounts.
		want := uint64(r.cfg.Accounts)*r.cfg.AccountLamports - 5000*(tot.Landed+onChainFailed)
		var got uint64
		for deadline := time.Now().Add(15 * time.Second); ; {
			got, err = sumBalances(t.Context(), c, r.e)
			if err == nil && got == want || time.Now().After(deadline) {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		if err != nil || got != want {
			t.Errorf("%s: accounts hold %d lamports (err %v), want %d = %d × %d − 5000 × %d",
				r.sender, got, err, want, r.cfg.Accounts, r.cfg.AccountLamports, tot.Landed+onChainFailed)
		}
	}
}

// sumBalances adds up the run's accounts at confirmed commitment.
func sumBalances(ctx context.Context, c *rpc.Client, e *Engine) (uint64, error) {
	accts := e.Accounts()
	if len(accts) == 0 {
		return 0, errors.New("no accounts")
	}
	var sum uint64
	for _, a := range accts {
		b, err := c.GetBalance(ctx, a, rpc.Confirmed)
		if err != nil {
			return 0, err
		}
		sum += b
	}
	return sum, nil
}
