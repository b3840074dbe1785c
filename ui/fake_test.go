package ui

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"slonui/chaos"
	"slonui/cluster"
)

func TestMain(m *testing.M) {
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// fixedNow is the time of every test snapshot, so frames are deterministic.
var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeCluster is an in-memory Cluster for model and flow tests. It records
// the calls it receives; restart moves a node to starting, and the next
// snapshot shows it running again.
type fakeCluster struct {
	mu      sync.Mutex
	snap    cluster.Snapshot
	logs    map[int][]cluster.LogLine
	events  chan cluster.Event
	calls   []string
	resized map[int][2]int
	pending map[int]int // restarted node -> snapshots left until it runs again
	pulls   int         // LogsSince and LogTail calls
	stopErr error

	topo    chaos.Topology      // zero: equal stakes over the snapshot's nodes
	noChaos bool                // Chaos reports no backend
	report  cluster.CheckReport // what RunChecks returns
}

func newFake(snap cluster.Snapshot) *fakeCluster {
	return &fakeCluster{
		snap:    snap,
		logs:    map[int][]cluster.LogLine{},
		events:  make(chan cluster.Event, 16),
		resized: map[int][2]int{},
		pending: map[int]int{},
	}
}

func (f *fakeCluster) Snapshot() cluster.Snapshot {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, left := range f.pending {
		if left <= 1 {
			f.node(id).State = cluster.NodeRunning
			delete(f.pending, id)
			continue
		}
		f.pending[id] = left - 1
	}
	s := f.snap
	s.Nodes = slices.Clone(f.snap.Nodes)
	for i := range s.Nodes {
		s.Nodes[i].SlotRate = slices.Clone(s.Nodes[i].SlotRate)
		if l := f.logs[s.Nodes[i].ID]; len(l) > 0 {
			s.Nodes[i].LogSeq = l[len(l)-1].Seq
		}
	}
	return s
}

// node returns the node with id; f.mu must be held.
func (f *fakeCluster) node(id int) *cluster.NodeSnapshot {
	for i := range f.snap.Nodes {
		if f.snap.Nodes[i].ID == id {
			return &f.snap.Nodes[i]
		}
	}
	panic(fmt.Sprintf("no node %d", id))
}

func (f *fakeCluster) Events() <-chan cluster.Event { return f.events }

func (f *fakeCluster) LogsSince(node int, seq uint64, max int) []cluster.LogLine {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pulls++
	var out []cluster.LogLine
	for _, l := range f.logs[node] {
		if l.Seq > seq {
			out = append(out, l)
		}
	}
	if len(out) > max {
		out = out[len(out)-max:]
	}
	return slices.Clone(out)
}

func (f *fakeCluster) LogTail(node int, n int) []cluster.LogLine {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pulls++
	l := f.logs[node]
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return slices.Clone(l)
}

func (f *fakeCluster) record(format string, a ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, a...))
}

func (f *fakeCluster) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeCluster) Restart(ctx context.Context, node int) error {
	f.record("restart %d", node)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.node(node).State = cluster.NodeStarting
	f.pending[node] = 2 // one snapshot shows it starting
	return nil
}

func (f *fakeCluster) Kill(ctx context.Context, node int) error {
	f.record("kill %d", node)
	f.mu.Lock()
	defer f.mu.Unlock()
	n := f.node(node)
	n.State, n.ExitCode, n.Signal = cluster.NodeExited, -1, "SIGKILL"
	return nil
}

func (f *fakeCluster) Pause(ctx context.Context, node int) error {
	f.record("pause %d", node)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.node(node).State = cluster.NodePaused
	return nil
}

func (f *fakeCluster) Resume(ctx context.Context, node int) error {
	f.record("resume %d", node)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.node(node).State = cluster.NodeRunning
	return nil
}

func (f *fakeCluster) StopAll(ctx context.Context) error {
	f.record("stopall")
	return f.stopErr
}

func (f *fakeCluster) Resize(node int, cols, rows int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.resized[node] = [2]int{cols, rows}
}

// addLogs appends n lines to a node's log, numbered after its last line.
func (f *fakeCluster) addLogs(node, n int, format func(node int, seq uint64) string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var seq uint64
	if l := f.logs[node]; len(l) > 0 {
		seq = l[len(l)-1].Seq
	}
	for range n {
		seq++
		f.logs[node] = append(f.logs[node], cluster.LogLine{Seq: seq, Text: format(node, seq)})
	}
}

// validatorLine is a log line in the style of the built-in validator.
func validatorLine(node int, seq uint64) string {
	slot := 100 + seq
	switch seq % 4 {
	case 0:
		return fmt.Sprintf("03:04:%02d INFO  replay: node %d froze slot %d bank_hash 7Yx%03d", seq%60, node, slot, seq)
	case 1:
		return fmt.Sprintf("03:04:%02d INFO  tower: node %d vote slot %d lockout 2", seq%60, node, slot-1)
	case 2:
		return fmt.Sprintf("03:04:%02d DEBUG gossip: node %d push 3 values to %d peers", seq%60, node, 9)
	}
	return fmt.Sprintf("03:04:%02d INFO  rpc: getSlot processed=%d", seq%60, slot)
}

var identities = []string{
	"7nYp3GsRuUoAzdX4Xbf1cdUmKDRQTXkWvEK1iHNcKMdq",
	"9QxCLckBiJc783jnMvXZubK4wH86Eqqvashtrwvcsgkv",
	"H3mKc6wE4uZWBkJQ7o5D9x7QdsRpZ3c8e3Ftm8pVYzvF",
	"Bq7Bk4TjDmkE2Y8xq8N3m4vZb1tWuZDoP3sXq2u5MXgR",
	"4fYNw3dojWmQ4dXtSGE9epjRGy9pFSx62YypT7avPYvA",
	"CakcnaRDHka2gXyfbEd2d3xsvkJkqsLw2akB3zsN1D2S",
	"GdnSyH3YtwcxFvQrVVJMm1JhTS4QVX7MFsX56uJLUfiZ",
	"FKsC411dik9ktS6xPADxs4Fk2SCENvAiuccQHLAPndvk",
	"DE1bawNcRJB9rVm3buyMVfr8mBEoyyu73NBovf2oXJsJ",
	"5p8qKVyKthA9DUb1rwQDzjcmTkaZdwN97J3LiaEywUjd",
}

// healthySnap is n running nodes with fixed numbers; node 1 leads.
func healthySnap(n int) cluster.Snapshot {
	s := cluster.Snapshot{
		Now: fixedNow, Dir: "/tmp/slonui-test/cluster", Name: "cluster",
		Forks: 1, TPS: 42.5,
	}
	for i := 1; i <= n; i++ {
		s.Nodes = append(s.Nodes, cluster.NodeSnapshot{
			ID: i, State: cluster.NodeRunning, Pid: 1000 + i,
			Identity:   identities[(i-1)%len(identities)],
			RPCURL:     fmt.Sprintf("http://127.0.0.%d:8899", i),
			Polled:     fixedNow.Add(-100 * time.Millisecond),
			RPCLatency: time.Duration(800+i*150) * time.Microsecond,
			Slot:       uint64(1200 + i%3), Confirmed: 1198, Root: 1168,
			Txs: uint64(5000 + 17*i), Peers: n - 1, LastVote: 1199,
			Leader:   i == 1,
			SlotRate: []float64{2.5, 2.5, 2.4, 2.5, 2.6, 2.5, 2.5, 2.5 - float64(i%3)/10},
		})
	}
	return s
}

// startingSnap is n nodes that have not answered RPC yet.
func startingSnap(n int) cluster.Snapshot {
	s := cluster.Snapshot{Now: fixedNow, Dir: "/tmp/slonui-test/cluster", Name: "cluster"}
	for i := 1; i <= n; i++ {
		s.Nodes = append(s.Nodes, cluster.NodeSnapshot{
			ID: i, State: cluster.NodeStarting, Pid: 1000 + i,
			Identity: identities[(i-1)%len(identities)],
		})
	}
	return s
}

// testOptions are the defaults with colour off.
func testOptions() Options {
	o := DefaultOptions()
	o.NoColor = true
	o.ResizeDelay = 0
	return o
}

// newTestModel builds a model at w×h over f, pulled until its panes hold
// the fake's logs. It drives Update directly with the messages the tick
// commands would produce.
func newTestModel(t testing.TB, f *fakeCluster, w, h int) Model {
	t.Helper()
	m := New(f, testOptions())
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m = update(t, m, topoCmd(f)())
	return settle(t, m, f)
}

// settle pulls twice: once to learn the nodes, once for their logs.
func settle(t testing.TB, m Model, f *fakeCluster) Model {
	t.Helper()
	for range 2 {
		m = update(t, m, pull(f, m.pullRequest()))
	}
	return m
}

// update applies one message and returns the new model.
func update(t testing.TB, m Model, msg tea.Msg) Model {
	t.Helper()
	nm, _ := m.Update(msg)
	mm, ok := nm.(Model)
	if !ok {
		t.Fatalf("Update returned %T", nm)
	}
	return mm
}

// press applies key presses given as tea key names ("r", "tab", "enter").
func press(t testing.TB, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		m = update(t, m, keyMsg(k))
	}
	return m
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "pgup":
		return tea.KeyMsg{Type: tea.KeyPgUp}
	case "pgdown":
		return tea.KeyMsg{Type: tea.KeyPgDown}
	case "end":
		return tea.KeyMsg{Type: tea.KeyEnd}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

func splitLines(s string) []string { return strings.Split(s, "\n") }
