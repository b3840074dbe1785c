package cluster

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// The test binary doubles as the stand-in node process of the supervisor
// tests: with CLUSTER_TEST_CHILD set, TestMain serves fakeRPC instead of
// running the tests. It is a real process with a real socket, but it is not
// a validator; the tests that use it test the supervisor and the pollers.
const childEnv = "CLUSTER_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// runChild serves fakeRPC on --rpc, prints a log line every 50 ms, exits 0
// on SIGTERM, exits with ?code=N when /exit is requested and reports its
// terminal size on /size.
func runChild(args []string) int {
	fs := flag.NewFlagSet("child", flag.ContinueOnError)
	addr := fs.String("rpc", "", "rpc address")
	id := fs.String("identity", "", "identity")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	l, err := net.Listen("tcp4", *addr)
	if err != nil {
		fmt.Println("listen:", err)
		return 1
	}
	f := &fakeRPC{identity: *id, start: time.Now().Add(-time.Second), slot: 50 * time.Millisecond, txPerSlot: 3}
	mux := http.NewServeMux()
	mux.Handle("/", f)
	mux.HandleFunc("/exit", func(w http.ResponseWriter, r *http.Request) {
		code, _ := strconv.Atoi(r.URL.Query().Get("code"))
		fmt.Printf("exiting with code %d\n", code)
		os.Exit(code)
	})
	mux.HandleFunc("/size", func(w http.ResponseWriter, r *http.Request) {
		var ws struct{ Rows, Cols, X, Y uint16 }
		_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, os.Stdin.Fd(), syscall.TIOCGWINSZ, uintptr(unsafe.Pointer(&ws)))
		if errno != 0 {
			http.Error(w, errno.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintf(w, "%d %d", ws.Cols, ws.Rows)
	})
	go http.Serve(l, mux)
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM, syscall.SIGINT)
	fmt.Printf("stand-in node %s pid %d serving %s\n", *id, os.Getpid(), *addr)
	fmt.Printf("env TERM=%s dropped=%q\n", os.Getenv("TERM"), os.Getenv("CLUSTER_TEST_DROPPED"))
	tick := time.NewTicker(50 * time.Millisecond)
	for n := 1; ; n++ {
		select {
		case <-term:
			fmt.Println("terminated, bye")
			return 0
		case <-tick.C:
			fmt.Printf("\x1b[32mtick\x1b[0m %d slot %d\n", n, f.currentSlot())
		}
	}
}

// freeAddr returns a loopback address:port that was free a moment ago.
func freeAddr(t *testing.T, host string) string {
	t.Helper()
	l, err := net.Listen("tcp4", host+":0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// standInCluster makes a Cluster of n stand-in child processes on
// addresses 127.0.<net>.i.
func standInCluster(t *testing.T, n int, netByte int) (*Cluster, []string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.Dir = dir
	cfg.PollInterval = 50 * time.Millisecond
	cfg.PollTimeout = 500 * time.Millisecond
	cfg.StopGrace = time.Second
	cfg.Env = []string{childEnv + "=1"}
	cfg.EnvDrop = []string{"CLUSTER_TEST_DROPPED"}
	var addrs []string
	for i := 1; i <= n; i++ {
		addr := freeAddr(t, fmt.Sprintf("127.0.%d.%d", netByte, i))
		addrs = append(addrs, addr)
		ident := fmt.Sprintf("Node%d", i)
		cfg.Nodes = append(cfg.Nodes, NodeSpec{
			ID:       i,
			Dir:      fmt.Sprintf("%s/node%d", dir, i),
			Identity: ident,
			RPCURL:   "http://" + addr,
			Listen:   []Endpoint{{Name: "rpc", Network: "tcp", Addr: addr}},
			Command:  []string{exe, "--rpc", addr, "--identity", ident},
		})
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c.StopAll(ctx)
	})
	return c, addrs
}

// waitFor polls cond every 20 ms until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool, last func() string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s; last: %s", timeout, what, last())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// nextEvent waits for an event of kind for node.
func nextEvent(t *testing.T, c *Cluster, kind EventKind, node int) Event {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case e, ok := <-c.Events():
			if !ok {
				t.Fatalf("event channel closed waiting for kind %d node %d", kind, node)
			}
			if e.Kind == kind && e.Node == node {
				return e
			}
		case <-timeout:
			t.Fatalf("no event of kind %d for node %d", kind, node)
		}
	}
}

func alive(pid int) bool { return pid > 0 && syscall.Kill(pid, 0) == nil }
