//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"slonui/config"
	"slonui/validator/netfault"
)

// statusLine is one line of `slonui --headless --json`.
type statusLine struct {
	T     string
	Forks int
	Nodes []struct {
		ID    int
		State string
		Slot  uint64
	}
}

// TestForksDuringPartition runs 3 built-in nodes under the headless
// console, cuts node 3 off from nodes 1 and 2 through the validators' admin
// API, and checks the console's fork count goes from 1 to 2 and back to 1
// after healing; then SIGINT stops everything with exit 0.
func TestForksDuringPartition(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	dir := filepath.Join(t.TempDir(), "cluster")
	cmd := exec.Command(binary, "--headless", "--json", "--nodes", "3", "--dir", dir, "--addr-base", "127.0.40.1", "--duration", "120s")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := false
	t.Cleanup(func() {
		if !exited {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			cmd.Wait()
		}
	})
	lines := make(chan statusLine, 256)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var l statusLine
			if json.Unmarshal(sc.Bytes(), &l) == nil {
				lines <- l
			}
		}
	}()
	var last statusLine
	waitLine := func(what string, timeout time.Duration, ok func(statusLine) bool) {
		t.Helper()
		deadline := time.After(timeout)
		for {
			select {
			case l, open := <-lines:
				if !open {
					t.Fatalf("console ended waiting for %s; stderr:\n%s", what, stderr.String())
				}
				last = l
				if ok(l) {
					return
				}
			case <-deadline:
				t.Fatalf("timed out after %v waiting for %s; last line: %+v", timeout, what, last)
			}
		}
	}
	healthy := func(l statusLine) bool {
		if len(l.Nodes) != 3 || l.Forks != 1 {
			return false
		}
		for _, n := range l.Nodes {
			if n.State != "running" || n.Slot < 5 {
				return false
			}
		}
		return true
	}
	waitLine("3 running nodes on one fork", 60*time.Second, healthy)

	admin := func(i int) *netfault.Client {
		vc, err := config.LoadValidatorConfig(filepath.Join(dir, config.NodeConfigPath(i)))
		if err != nil {
			t.Fatal(err)
		}
		tok, err := os.ReadFile(vc.Devnet.AdminTokenPath)
		if err != nil {
			t.Fatal(err)
		}
		return netfault.NewClient(vc.Devnet.AdminAddress, strings.TrimSpace(string(tok)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ip := func(i int) string { return fmt.Sprintf("127.0.40.%d", i) }
	for i, peers := range map[int][]string{1: {ip(3)}, 2: {ip(3)}, 3: {ip(1), ip(2)}} {
		if _, err := admin(i).Partition(ctx, peers); err != nil {
			t.Fatalf("partition node %d: %v", i, err)
		}
	}
	waitLine("2 forks while node 3 is cut off", 30*time.Second, func(l statusLine) bool { return l.Forks == 2 })

	for i := 1; i <= 3; i++ {
		if _, err := admin(i).Heal(ctx); err != nil {
			t.Fatalf("heal node %d: %v", i, err)
		}
	}
	waitLine("one fork again after healing", 30*time.Second, healthy)

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	err = cmd.Wait()
	exited = true
	if err != nil {
		t.Fatalf("console after SIGINT: %v; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "cluster stopped") {
		t.Errorf("stderr does not report the cluster stopped:\n%s", stderr.String())
	}
}
