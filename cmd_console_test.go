package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// standInSource is a stand-in node program for the console tests: it reads
// rpc.bind_address from the validator.toml it is given and answers getSlot
// and friends with a slot that rises with the wall clock. It is not a
// validator: tests using it check the console's own loop and output.
const standInSource = `package main

import (
	"encoding/json"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	b, err := os.ReadFile(os.Args[2])
	if err != nil {
		os.Exit(1)
	}
	addr, inRPC := "", false
	for _, l := range strings.Split(string(b), "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "[") {
			inRPC = l == "[rpc]"
		}
		if k, v, ok := strings.Cut(l, "="); inRPC && ok && strings.TrimSpace(k) == "bind_address" {
			addr = strings.Trim(strings.TrimSpace(v), "\"'")
		}
	}
	start := time.Now()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		type req struct {
			ID     json.RawMessage
			Method string
		}
		var raw json.RawMessage
		json.NewDecoder(r.Body).Decode(&raw)
		var reqs []req
		single := len(raw) > 0 && raw[0] == '{'
		if single {
			var q req
			json.Unmarshal(raw, &q)
			reqs = []req{q}
		} else {
			json.Unmarshal(raw, &reqs)
		}
		slot := uint64(time.Since(start)/(20*time.Millisecond)) + 10
		var out []map[string]any
		for _, q := range reqs {
			var res any = slot
			switch q.Method {
			case "getClusterNodes":
				res = []map[string]any{{"pubkey": "x"}, {"pubkey": "y"}}
			case "getVoteAccounts":
				res = map[string]any{"current": []any{}, "delinquent": []any{}}
			case "getEpochInfo":
				res = map[string]any{"absoluteSlot": slot, "epoch": 0, "slotIndex": slot}
			case "getLeaderSchedule":
				res = map[string]any{}
			}
			out = append(out, map[string]any{"jsonrpc": "2.0", "id": q.ID, "result": res})
		}
		if single {
			json.NewEncoder(w).Encode(out[0])
			return
		}
		json.NewEncoder(w).Encode(out)
	})
	go http.ListenAndServe(addr, nil)
	c := make(chan os.Signal, 1)
	signal.Notify(c, syscall.SIGTERM, syscall.SIGINT)
	println("stand-in serving", addr)
	<-c
}
`

// buildStandIn compiles standInSource into the test's temporary directory.
func buildStandIn(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte(standInSource), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "standin")
	if out, err := exec.Command("go", "build", "-o", bin, src).CombinedOutput(); err != nil {
		t.Fatalf("build stand-in: %v\n%s", err, out)
	}
	return bin
}

// TestHeadlessJSONLines runs the headless console for 2.5 s over two
// stand-in node processes and checks every stdout line is one JSON object
// with exactly the documented keys, that the nodes become running with
// rising slots, and that every node is stopped at the end.
func TestHeadlessJSONLines(t *testing.T) {
	bin := buildStandIn(t)
	dir := filepath.Join(t.TempDir(), "c")
	var out, errb bytes.Buffer
	code := run([]string{"--headless", "--json", "--duration", "2500ms", "--nodes", "2", "--dir", dir,
		"--addr-base", "127.0.61.1", "--validator-bin", bin}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
	var lines []map[string]json.RawMessage
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		lines = append(lines, m)
	}
	if len(lines) < 2 {
		t.Fatalf("%d status lines in 2.5 s, want at least 2:\n%s", len(lines), out.String())
	}
	var slots []uint64
	for _, m := range lines {
		if len(m) != 3 || m["t"] == nil || m["nodes"] == nil || m["forks"] == nil {
			t.Fatalf("keys of %v: want exactly t, nodes, forks", m)
		}
		var nodes []map[string]any
		if err := json.Unmarshal(m["nodes"], &nodes); err != nil || len(nodes) != 2 {
			t.Fatalf("nodes %s: %v", m["nodes"], err)
		}
		for _, n := range nodes {
			for _, k := range []string{"id", "state", "slot", "confirmed", "root", "txs", "peers", "last_vote", "leader"} {
				if _, ok := n[k]; !ok {
					t.Fatalf("node %v lacks %q", n, k)
				}
			}
			if len(n) != 9 {
				t.Fatalf("node %v has keys beyond the documented nine", n)
			}
		}
		if nodes[0]["state"] == "running" {
			slots = append(slots, uint64(nodes[0]["slot"].(float64)))
		}
	}
	if len(slots) < 2 || slots[len(slots)-1] <= slots[0] {
		t.Errorf("node 1 slots while running %v: want at least two, rising", slots)
	}
	if !strings.Contains(errb.String(), "cluster stopped") || strings.Count(errb.String(), "stopped: exit code 0") != 2 {
		t.Errorf("stderr does not show both nodes stopped:\n%s", errb.String())
	}
	for _, p := range []string{"node1/validator.pid", "node2/validator.pid"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s left behind", p)
		}
	}
}

func TestConsoleRefusesAnotherNodeCount(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	var out, errb bytes.Buffer
	if code := run([]string{"init", "--nodes", "2", "--dir", dir, "--addr-base", "127.0.62.1"}, &out, &errb); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errb.String())
	}
	errb.Reset()
	code := run([]string{"--nodes", "3", "--dir", dir, "--headless", "--duration", "1s"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "has 2 nodes but --nodes is 3") {
		t.Fatalf("exit %d, stderr %q: want 1 and a message naming both counts", code, errb.String())
	}
}

func TestConsoleFlagErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--json"}, "--json and --duration need --headless"},
		{[]string{"--duration", "1s"}, "--json and --duration need --headless"},
		{[]string{"--headless", "--duration", "-1s"}, "must not be negative"},
		{[]string{"--bogus"}, "flag provided but not defined"},
		{[]string{"--headless", "extra"}, `unexpected argument "extra"`},
		{[]string{"--validator-bin", "a", "--slonana", "b"}, "exclude each other"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if code := run(tt.args, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("run %v: exit %d, stderr %q; want 2 and %q", tt.args, code, errb.String(), tt.want)
		}
	}
}

// TestStatusOfAStoppedCluster: with no node running, status shows every
// node down and exits 1.
func TestStatusOfAStoppedCluster(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	var out, errb bytes.Buffer
	if code := run([]string{"init", "--nodes", "2", "--dir", dir, "--addr-base", "127.0.63.1"}, &out, &errb); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errb.String())
	}
	out.Reset()
	code := run([]string{"status", "--dir", dir, "--timeout", "300ms"}, &out, &errb)
	if code != 1 {
		t.Fatalf("status of a stopped cluster: exit %d, want 1\n%s", code, out.String())
	}
	if strings.Count(out.String(), " down ") != 2 {
		t.Errorf("table does not show two nodes down:\n%s", out.String())
	}
}

// TestStatusOfARunningCluster runs the headless console over two stand-in
// node processes in the background and checks `slonui status --json` sees
// both running (exit 0), with the documented keys.
func TestStatusOfARunningCluster(t *testing.T) {
	bin := buildStandIn(t)
	dir := filepath.Join(t.TempDir(), "c")
	done := make(chan int)
	go func() {
		var out, errb bytes.Buffer
		done <- run([]string{"--headless", "--duration", "4s", "--nodes", "2", "--dir", dir,
			"--addr-base", "127.0.65.1", "--validator-bin", bin}, &out, &errb)
	}()
	defer func() {
		if code := <-done; code != 0 {
			t.Errorf("headless console exit %d", code)
		}
	}()
	var last string
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		var out, errb bytes.Buffer
		code := run([]string{"status", "--dir", dir, "--json", "--timeout", "300ms"}, &out, &errb)
		last = out.String() + errb.String()
		if code == 0 {
			var st statusLine
			if err := json.Unmarshal(out.Bytes(), &st); err != nil {
				t.Fatalf("status --json: %v\n%s", err, out.String())
			}
			if len(st.Nodes) != 2 || st.Nodes[0].State != "running" || st.Nodes[1].State != "running" || st.Nodes[0].Slot == 0 || st.Nodes[0].Peers != 2 {
				t.Fatalf("status: %+v", st)
			}
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("status never exited 0; last output:\n%s", last)
}

func TestConsoleRefusesASourceDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "doc.go"), []byte("package cluster\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := run([]string{"--dir", dir, "--headless", "--duration", "1s"}, &out, &errb)
	if code != 1 || !strings.Contains(errb.String(), "holds Go source files (doc.go)") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "genesis.json")); err == nil {
		t.Error("init wrote into a source directory")
	}
}
