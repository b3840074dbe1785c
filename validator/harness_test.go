package validator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"slonui/config"
)

// testCluster is a cluster directory written by config.InitCluster whose
// nodes run as child processes of the test binary.
type testCluster struct {
	t     testing.TB
	init  config.InitResult
	token string

	mu    sync.Mutex
	procs map[int]*exec.Cmd // node id → running process
	waits map[int]chan error
}

type clusterOpts struct {
	nodes        int
	slotMS       int
	peerExpiryMS int
	base         netip.Addr // node 1's address; each test its own
}

// newCluster writes a cluster; start its nodes with startAll or start.
func newCluster(t testing.TB, o clusterOpts) *testCluster {
	t.Helper()
	io := config.DefaultInitOptions()
	io.Dir = t.TempDir()
	io.Nodes = o.nodes
	io.SlotMS = o.slotMS
	io.SlotsPerEpoch = 64
	io.AddrBase = o.base
	io.LogLevel = "info"
	// Slot 0 a little ahead, so the nodes start together at its beginning.
	io.CreationTime = time.Now().Add(500 * time.Millisecond)
	res, err := config.InitCluster(io)
	if err != nil {
		t.Fatal(err)
	}
	if o.peerExpiryMS > 0 {
		for _, n := range res.Nodes {
			cfg, err := config.LoadValidatorConfig(n.ConfigPath)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Devnet.PeerExpiryMS = o.peerExpiryMS
			b, err := config.EncodeValidatorConfig(cfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(n.ConfigPath, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	tok, err := os.ReadFile(res.AdminTokenPath)
	if err != nil {
		t.Fatal(err)
	}
	c := &testCluster{t: t, init: res, token: string(bytes.TrimSpace(tok)), procs: map[int]*exec.Cmd{}, waits: map[int]chan error{}}
	t.Cleanup(c.killAll)
	return c
}

func (c *testCluster) node(id int) config.InitNode { return c.init.Nodes[id-1] }

func (c *testCluster) url(id int) string { return "http://" + c.node(id).Addrs.RPC.String() }

// start runs node id as a child process, its log appended to node/validator.log.
func (c *testCluster) start(id int) {
	c.t.Helper()
	n := c.node(id)
	logf, err := os.OpenFile(filepath.Join(n.Dir, "validator.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envConfig+"="+n.ConfigPath, "NO_COLOR=1")
	cmd.Stdout = logf
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	logf.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	c.mu.Lock()
	c.procs[id] = cmd
	c.waits[id] = done
	c.mu.Unlock()
}

func (c *testCluster) startAll() {
	for _, n := range c.init.Nodes {
		c.start(n.ID)
	}
}

// stop sends sig to node id and waits for its exit; it returns how long that
// took and the process's exit error.
func (c *testCluster) stop(id int, sig syscall.Signal) (took time.Duration, exitErr error) {
	c.mu.Lock()
	cmd, done := c.procs[id], c.waits[id]
	delete(c.procs, id)
	delete(c.waits, id)
	c.mu.Unlock()
	if cmd == nil {
		return 0, nil
	}
	start := time.Now()
	_ = cmd.Process.Signal(sig)
	select {
	case err := <-done:
		return time.Since(start), err
	case <-time.After(10 * time.Second):
		_ = cmd.Process.Kill()
		<-done
		return time.Since(start), fmt.Errorf("node %d did not exit within 10 s of %v", id, sig)
	}
}

func (c *testCluster) killAll() {
	c.mu.Lock()
	ids := make([]int, 0, len(c.procs))
	for id := range c.procs {
		ids = append(ids, id)
	}
	c.mu.Unlock()
	for _, id := range ids {
		c.stop(id, syscall.SIGKILL)
	}
	if c.t.Failed() {
		for _, n := range c.init.Nodes {
			b, _ := os.ReadFile(filepath.Join(n.Dir, "validator.log"))
			if len(b) > 3000 {
				b = b[len(b)-3000:]
			}
			c.t.Logf("node %d log tail:\n%s", n.ID, b)
		}
	}
}

// rpcCall posts one JSON-RPC request and decodes the result into out.
func rpcCall(url, method string, params any, out any) error {
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var env struct {
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
		return err
	}
	if env.Error != nil {
		return fmt.Errorf("%s: rpc error %d: %s", method, env.Error.Code, env.Error.Message)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(env.Result, out)
}

func slotAt(url, commitment string) (uint64, error) {
	var s uint64
	err := rpcCall(url, "getSlot", []any{map[string]any{"commitment": commitment}}, &s)
	return s, err
}

// eventually polls cond every 100 ms until it holds or bound passes.
func eventually(t testing.TB, bound time.Duration, what string, cond func() (bool, string)) time.Duration {
	t.Helper()
	start := time.Now()
	last := ""
	for time.Since(start) < bound {
		ok, why := cond()
		if ok {
			return time.Since(start)
		}
		last = why
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: not within %v (last: %s)", what, bound, last)
	return 0
}

// peersSeen is how many cluster nodes (itself included) node id lists.
func peersSeen(url string) (int, error) {
	var nodes []map[string]any
	if err := rpcCall(url, "getClusterNodes", nil, &nodes); err != nil {
		return 0, err
	}
	return len(nodes), nil
}

// allSeeAll waits until every running node lists every node, and returns
// how long that took from the call.
func (c *testCluster) allSeeAll(t testing.TB, ids []int, want int, bound time.Duration) time.Duration {
	return eventually(t, bound, fmt.Sprintf("every node sees %d nodes", want), func() (bool, string) {
		for _, id := range ids {
			n, err := peersSeen(c.url(id))
			if err != nil || n != want {
				return false, fmt.Sprintf("node %d sees %d (%v)", id, n, err)
			}
		}
		return true, ""
	})
}

// commonFinalizedHash waits until every node's finalized slot reaches a
// slot they all hold, then compares getBlock's blockhash there.
func (c *testCluster) sameFinalizedBlock(t testing.TB, ids []int, bound time.Duration) uint64 {
	return c.sameFinalizedBlockAbove(t, ids, 1, bound)
}

// sameFinalizedBlockAbove is sameFinalizedBlock at a slot ≥ above.
func (c *testCluster) sameFinalizedBlockAbove(t testing.TB, ids []int, above uint64, bound time.Duration) uint64 {
	t.Helper()
	var slot uint64
	eventually(t, bound, "a common finalized slot with one blockhash", func() (bool, string) {
		low := ^uint64(0)
		for _, id := range ids {
			s, err := slotAt(c.url(id), "finalized")
			if err != nil {
				return false, err.Error()
			}
			low = min(low, s)
		}
		if low < above {
			return false, fmt.Sprintf("lowest finalized slot %d < %d", low, above)
		}
		var blocks []uint64
		if err := rpcCall(c.url(ids[0]), "getBlocks", []any{low - min(low, 16), low}, &blocks); err != nil || len(blocks) == 0 {
			return false, fmt.Sprintf("getBlocks: %v %v", blocks, err)
		}
		slot = blocks[len(blocks)-1]
		var first string
		for _, id := range ids {
			var blk struct {
				Blockhash string `json:"blockhash"`
			}
			if err := rpcCall(c.url(id), "getBlock", []any{slot, map[string]any{"commitment": "finalized", "transactionDetails": "none", "rewards": false}}, &blk); err != nil {
				return false, fmt.Sprintf("node %d getBlock %d: %v", id, slot, err)
			}
			if first == "" {
				first = blk.Blockhash
			} else if blk.Blockhash != first {
				t.Fatalf("slot %d: node %d blockhash %s, node %d %s", slot, ids[0], first, id, blk.Blockhash)
			}
		}
		return true, ""
	})
	return slot
}

func ids(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}
