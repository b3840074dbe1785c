package ui

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/cluster"
)

// run executes a command the model returned and returns its message.
func run(t *testing.T, cmd tea.Cmd) tea.Msg {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command returned")
	}
	return cmd()
}

// step presses a key and returns the model and the key's command.
func step(t *testing.T, m Model, k string) (Model, tea.Cmd) {
	t.Helper()
	nm, cmd := m.Update(keyMsg(k))
	return nm.(Model), cmd
}

func logged(n int) *fakeCluster {
	f := newFake(healthySnap(n))
	for i := 1; i <= n; i++ {
		f.addLogs(i, 60, validatorLine)
	}
	return f
}

func TestRestartCallsClusterWithSelectedNode(t *testing.T) {
	f := logged(3)
	m := press(t, newTestModel(t, f, 80, 24), "2")
	m, cmd := step(t, m, "r")
	if !strings.Contains(m.status, "restarting node 2") {
		t.Errorf("status %q, want restarting node 2", m.status)
	}
	msg := run(t, cmd)
	done, ok := msg.(actionDoneMsg)
	if !ok || done.act != actRestart || done.node != 2 || done.err != nil {
		t.Fatalf("command returned %#v, want actionDoneMsg restart node 2", msg)
	}
	if got := f.Calls(); !slices.Equal(got, []string{"restart 2"}) {
		t.Errorf("cluster calls %v, want [restart 2]", got)
	}
	m = update(t, m, msg)
	if m.status != "node 2 restarted" {
		t.Errorf("status %q", m.status)
	}
	m = update(t, m, pull(f, m.pullRequest()))
	if got := m.snap.Nodes[1].State; got != cluster.NodeStarting {
		t.Errorf("after restart node 2 is %v, want starting", got)
	}
	m = update(t, m, pull(f, m.pullRequest()))
	if got := m.snap.Nodes[1].State; got != cluster.NodeRunning {
		t.Errorf("later node 2 is %v, want running", got)
	}
}

func TestKillAsksToConfirm(t *testing.T) {
	f := logged(3)
	m := newTestModel(t, f, 80, 24)
	m, cmd := step(t, m, "x")
	if cmd != nil || m.confirm == nil || !strings.Contains(m.View(), "kill node 1 (SIGKILL)? y/n") {
		t.Fatalf("x did not ask to confirm (cmd %v)", cmd)
	}
	m, cmd = step(t, m, "n")
	if cmd != nil || m.confirm != nil || len(f.Calls()) != 0 {
		t.Fatalf("n did not cancel: calls %v", f.Calls())
	}
	m, _ = step(t, m, "x")
	m, cmd = step(t, m, "y")
	if done := run(t, cmd).(actionDoneMsg); done.act != actKill || done.node != 1 {
		t.Errorf("y ran %#v, want kill node 1", done)
	}
	if got := f.Calls(); !slices.Equal(got, []string{"kill 1"}) {
		t.Errorf("calls %v, want [kill 1]", got)
	}
}

func TestPauseThenContinue(t *testing.T) {
	f := logged(2)
	m := newTestModel(t, f, 80, 24)
	m, cmd := step(t, m, "z")
	m = update(t, m, run(t, cmd))
	m = update(t, m, pull(f, m.pullRequest()))
	if m.snap.Nodes[0].State != cluster.NodePaused {
		t.Fatalf("node 1 is %v, want paused", m.snap.Nodes[0].State)
	}
	if got := m.keys.Nodes.Pause.Help().Desc; got != "continue node" {
		t.Errorf("z help says %q on a paused node", got)
	}
	_, cmd = step(t, m, "s") // s is an alias of z
	run(t, cmd)
	if got := f.Calls(); !slices.Equal(got, []string{"pause 1", "resume 1"}) {
		t.Errorf("calls %v", got)
	}
}

func TestDisabledKeysSayWhy(t *testing.T) {
	exited := healthySnap(3)
	exited.Nodes[2].State, exited.Nodes[2].ExitCode = cluster.NodeExited, 1
	tests := []struct {
		name     string
		snap     cluster.Snapshot
		readOnly bool
		keys     []string
		want     string
	}{
		{"pause on exited node", exited, false, []string{"3", "z"}, "pause node: node 3 is exited"},
		{"kill on exited node", exited, false, []string{"3", "x"}, "kill node: node 3 is exited"},
		{"restart read-only", healthySnap(3), true, []string{"r"}, "restart node: read-only console"},
		{"kill read-only", healthySnap(3), true, []string{"x"}, "kill node: read-only console"},
		{"next match without search", healthySnap(3), false, []string{"n"}, "no search: press / first"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(tc.snap)
			o := testOptions()
			o.ReadOnly = tc.readOnly
			m := New(f, o)
			m = settle(t, update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}), f)
			var cmd tea.Cmd
			for _, k := range tc.keys {
				m, cmd = step(t, m, k)
			}
			if cmd != nil || m.confirm != nil {
				t.Errorf("a disabled key started something")
			}
			if !strings.Contains(m.status, tc.want) || !m.statusErr {
				t.Errorf("status %q, want %q", m.status, tc.want)
			}
			if len(f.Calls()) != 0 {
				t.Errorf("cluster called: %v", f.Calls())
			}
		})
	}
}

func TestQuitStopsClusterThenExits(t *testing.T) {
	f := logged(2)
	m := newTestModel(t, f, 80, 24)
	m, cmd := step(t, m, "q")
	if !m.quitting || !strings.Contains(m.View(), "stopping cluster") {
		t.Fatal("q did not start stopping")
	}
	m = update(t, m, eventMsg{Kind: cluster.EventStopProgress, Detail: "1 of 2 nodes left"})
	if !strings.Contains(m.View(), "stopping cluster: 1 of 2 nodes left") {
		t.Errorf("stop progress not shown:\n%s", m.View())
	}
	msg := run(t, cmd)
	if got := f.Calls(); !slices.Equal(got, []string{"stopall"}) {
		t.Errorf("calls %v", got)
	}
	nm, cmd := m.Update(msg)
	if _, ok := run(t, cmd).(tea.QuitMsg); !ok {
		t.Error("stop done did not quit")
	}
	if err := nm.(Model).Err(); err != nil {
		t.Errorf("Err() = %v after a clean stop", err)
	}
}

func TestSecondQuitForces(t *testing.T) {
	for _, second := range []string{"q", "ctrl+c"} {
		t.Run(second, func(t *testing.T) {
			m := newTestModel(t, logged(2), 80, 24)
			m, _ = step(t, m, "q")
			m, cmd := step(t, m, second)
			if _, ok := run(t, cmd).(tea.QuitMsg); !ok {
				t.Fatal("second quit did not quit")
			}
			if !errors.Is(m.Err(), ErrForced) {
				t.Errorf("Err() = %v, want ErrForced", m.Err())
			}
		})
	}
}

func TestStopErrorIsReported(t *testing.T) {
	f := logged(1)
	f.stopErr = errors.New("node 1: stop: timeout")
	m := newTestModel(t, f, 80, 24)
	m, cmd := step(t, m, "q")
	m = update(t, m, run(t, cmd))
	if m.Err() == nil || !strings.Contains(m.Err().Error(), "timeout") {
		t.Errorf("Err() = %v", m.Err())
	}
}

func TestEventShownAndListenerRearmed(t *testing.T) {
	f := logged(2)
	m := newTestModel(t, f, 80, 24)
	nm, cmd := m.Update(eventMsg{Kind: cluster.EventNodeExited, Node: 2, Detail: "exit code 1"})
	if got := nm.(Model).status; got != "node 2 exited (exit code 1)" {
		t.Errorf("status %q", got)
	}
	f.events <- cluster.Event{Kind: cluster.EventNodeRestarted, Node: 2}
	if got, ok := run(t, cmd).(eventMsg); !ok || got.Node != 2 || got.Kind != cluster.EventNodeRestarted {
		t.Errorf("re-armed listener returned %#v", got)
	}
	close(f.events)
	if _, ok := run(t, listenCmd(m.ctx, f.events)).(eventsClosedMsg); !ok {
		t.Error("closed channel not reported")
	}
}

func TestPullOnlyWhenSeqMoved(t *testing.T) {
	f := logged(2)
	m := newTestModel(t, f, 80, 24)
	before := f.pulls
	msg := pull(f, m.pullRequest())
	if f.pulls != before || msg.logs != nil {
		t.Errorf("pulled logs (%d calls) although no sequence moved", f.pulls-before)
	}
	f.addLogs(1, 3, validatorLine)
	f.addLogs(2, 3, validatorLine) // node 2 is not visible in the node view
	msg = pull(f, m.pullRequest())
	if f.pulls != before+1 || len(msg.logs[1]) != 3 || msg.logs[2] != nil {
		t.Errorf("want one LogsSince of node 1's 3 new lines; calls %d, logs %v", f.pulls-before, msg.logs)
	}
}

func TestScrollBackIsBounded(t *testing.T) {
	f := newFake(healthySnap(1))
	f.addLogs(1, 500, validatorLine)
	o := testOptions()
	o.ScrollBack = 50
	m := New(f, o)
	m = settle(t, update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}), f)
	for range 3 {
		f.addLogs(1, 200, validatorLine)
		m = update(t, m, pull(f, m.pullRequest()))
	}
	b := m.bufs[1]
	if len(b.lines) != 50 || b.lines[49].key != 1100 {
		t.Errorf("buffer holds %d lines ending at %d, want 50 ending at 1100", len(b.lines), b.lines[len(b.lines)-1].key)
	}
}

func TestFollowStopsOnScrollUpAndResumesAtEnd(t *testing.T) {
	f := logged(1)
	m := newTestModel(t, f, 80, 24)
	m = press(t, m, "pgup")
	if m.paneState(1).follow {
		t.Fatal("still following after pgup")
	}
	frame := paneText(m)
	f.addLogs(1, 5, func(int, uint64) string { return "NEW LINE" })
	m = update(t, m, pull(f, m.pullRequest()))
	if got := paneText(m); got != frame || strings.Contains(got, "NEW LINE") {
		t.Errorf("scrolled pane moved when lines arrived")
	}
	m = press(t, m, "end")
	if !m.paneState(1).follow || !strings.Contains(paneText(m), "NEW LINE") {
		t.Errorf("end did not resume follow:\n%s", paneText(m))
	}
	// Scrolling back down to the bottom also resumes follow.
	m = press(t, m, "right", "up", "up", "down", "down")
	if !m.paneState(1).follow {
		t.Errorf("scrolling down to the newest line did not resume follow")
	}
}

// paneText is the log area of the frame.
func paneText(m Model) string {
	return strings.Join(m.logLines(m.layoutNow().Logs), "\n")
}

func TestFilterHidesOtherLines(t *testing.T) {
	m := newTestModel(t, logged(1), 80, 24)
	m = press(t, m, "f", "t", "o", "w", "e", "r", "enter")
	lines := m.logLines(m.layoutNow().Logs)
	shown := 0
	for _, l := range lines[1:] {
		if l == "" {
			continue
		}
		shown++
		if !strings.Contains(l, "tower") {
			t.Errorf("filter let through %q", l)
		}
	}
	if shown == 0 {
		t.Error("filter hid every line")
	}
	m = press(t, m, "f", "ctrl+u", "enter")
	m = press(t, m, "esc")
	if m.filter != "" {
		t.Errorf("filter %q after clearing", m.filter)
	}
}

func TestSearchNextAndPreviousMatch(t *testing.T) {
	m := newTestModel(t, logged(1), 80, 24)
	m = press(t, m, "/", "v", "o", "t", "e", "enter")
	if !m.search.has {
		t.Fatal("no current match")
	}
	first := m.search.cur
	m = press(t, m, "n")
	older := m.search.cur
	if older >= first {
		t.Errorf("n moved from line %d to %d, want an older line", first, older)
	}
	if !strings.Contains(paneText(m), "»vote«") {
		t.Errorf("current match not marked:\n%s", paneText(m))
	}
	m = press(t, m, "N")
	if m.search.cur != first {
		t.Errorf("N went to %d, want back to %d", m.search.cur, first)
	}
	m = press(t, m, "/", "z", "z", "z", "enter")
	if m.search.has || !strings.Contains(m.status, "no match") {
		t.Errorf("missing word: status %q", m.status)
	}
}

func TestSaveWritesVisibleLinesInCommand(t *testing.T) {
	dir := t.TempDir()
	f := logged(1)
	o := testOptions()
	o.SaveDir = dir
	m := New(f, o)
	m = settle(t, update(t, m, tea.WindowSizeMsg{Width: 80, Height: 24}), f)
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatal("file written before the command ran")
	}
	m, cmd := step(t, m, "ctrl+s")
	msg := run(t, cmd).(savedMsg)
	if msg.err != nil {
		t.Fatal(msg.err)
	}
	m = update(t, m, msg)
	if filepath.Dir(msg.path) != dir || !strings.Contains(m.status, msg.path) {
		t.Errorf("saved to %s, status %q", msg.path, m.status)
	}
	data, err := os.ReadFile(msg.path)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	h := m.focusHeight()
	if len(got) != h || got[h-1] != validatorLine(1, 60) {
		t.Errorf("saved %d lines ending %q, want %d ending with line 60", len(got), got[len(got)-1], h)
	}
}

func TestResizeIsDebouncedAndSizesVisiblePtys(t *testing.T) {
	f := logged(3)
	m := newTestModel(t, f, 80, 24)
	nm, cmd := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	m = nm.(Model)
	due := run(t, cmd).(resizeDueMsg)
	m = update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40}) // a newer resize
	if _, cmd = m.Update(due); cmd != nil {
		t.Error("a stale resize was sent")
	}
	nm, cmd = m.Update(resizeDueMsg{gen: m.resizeGen})
	run(t, cmd)
	l := nm.(Model).layoutNow()
	want := [2]int{120, l.Panes[0].H - 1}
	if got := f.resized; len(got) != 1 || got[1] != want {
		t.Errorf("resized %v, want only node 1 at %v", got, want)
	}
}

func TestTabCyclesViewsAndZoom(t *testing.T) {
	m := newTestModel(t, logged(3), 80, 24)
	var seen []viewKind
	for range 5 {
		seen = append(seen, m.view)
		m = press(t, m, "tab")
	}
	if !slices.Equal(seen, []viewKind{viewSelected, viewGrid, viewMerged, viewForks, viewLoad}) || m.view != viewSelected {
		t.Errorf("views %v then %v", seen, m.view)
	}
	m = press(t, m, "tab", "enter")
	if l := m.layoutNow(); !m.zoomed || len(l.Panes) != 1 || l.Panes[0].H != 23 {
		t.Errorf("zoom: %+v", l)
	}
	if v := m.visiblePanes(); len(v) != 1 || v[0].node != 1 {
		t.Errorf("zoomed grid shows %+v, want node 1", v)
	}
	m = press(t, m, "esc")
	if m.zoomed {
		t.Error("esc did not unzoom")
	}
}

func TestMergedViewPrefixesNode(t *testing.T) {
	f := logged(3)
	m := settle(t, press(t, newTestModel(t, f, 80, 24), "tab", "tab"), f)
	text := paneText(m)
	for _, p := range []string{" 1│ ", " 2│ ", " 3│ "} {
		if !strings.Contains(text, p) {
			t.Errorf("merged view lacks %q:\n%s", p, text)
		}
	}
}

func TestSelectionKeys(t *testing.T) {
	tests := []struct {
		keys []string
		want int
	}{
		{[]string{"3"}, 3}, {[]string{"0"}, 10}, {[]string{"down", "down"}, 3},
		{[]string{"j", "k", "k"}, 1}, {[]string{"9", "j", "j"}, 10},
	}
	for _, tc := range tests {
		m := press(t, newTestModel(t, logged(10), 80, 24), tc.keys...)
		if got := m.selectedID(); got != tc.want {
			t.Errorf("%v selected node %d, want %d", tc.keys, got, tc.want)
		}
	}
}

func TestNewFillsZeroOptions(t *testing.T) {
	m := New(newFake(healthySnap(1)), Options{NoColor: true})
	d := DefaultOptions()
	if m.opts.Tick != d.Tick || m.opts.ScrollBack != d.ScrollBack || m.opts.ActionTimeout != d.ActionTimeout {
		t.Errorf("zero options not defaulted: %+v", m.opts)
	}
	if err := m.opts.Validate(); err != nil {
		t.Errorf("defaulted options invalid: %v", err)
	}
}

func TestOptionsValidate(t *testing.T) {
	if err := DefaultOptions().Validate(); err != nil {
		t.Errorf("defaults invalid: %v", err)
	}
	o := Options{}
	err := o.Validate()
	for _, want := range []string{"tick", "action timeout", "stop timeout", "scroll-back"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("zero options: error %v does not mention %q", err, want)
		}
	}
}

// Regression: a view change scheduled its resize on a model value that was
// then discarded, so the debounced resize never matched and grid panes kept
// their old pty size.
func TestResizeAfterViewChangeReachesPtys(t *testing.T) {
	f := logged(4)
	m := newTestModel(t, f, 80, 24)
	m, cmd := step(t, m, "tab")
	nm, cmd := m.Update(run(t, cmd))
	if cmd == nil {
		t.Fatal("the view change's resize was dropped as stale")
	}
	run(t, cmd)
	panes := nm.(Model).visiblePanes()
	if len(f.resized) != 4 || len(panes) != 4 {
		t.Fatalf("resized %v for %d panes, want all 4 grid panes", f.resized, len(panes))
	}
	for _, p := range panes {
		if got, want := f.resized[p.node], [2]int{p.r.W, p.r.H - 1}; got != want {
			t.Errorf("node %d pty %v, want %v", p.node, got, want)
		}
	}
}

// Regression: keys typed fast arrive as one multi-rune message ("/vote"),
// which matched no binding, so the search never opened.
func TestFastTypedKeysAreSplit(t *testing.T) {
	m := newTestModel(t, logged(1), 80, 24)
	m = update(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/vote")})
	if m.mode != inputSearch || m.input.Value() != "vote" {
		t.Fatalf("mode %v, input %q; want search with \"vote\"", m.mode, m.input.Value())
	}
	m = press(t, m, "enter")
	if !m.search.has {
		t.Errorf("no match after enter: status %q", m.status)
	}
}

func TestMouseWheelScrollsAndClickSelects(t *testing.T) {
	f := logged(5)
	m := newTestModel(t, f, 80, 24)
	m = update(t, m, tea.MouseMsg{Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if m.paneState(1).follow {
		t.Error("wheel up did not stop follow")
	}
	m = update(t, m, tea.MouseMsg{Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if !m.paneState(1).follow {
		t.Error("wheel down to the bottom did not resume follow")
	}
	row4 := m.layoutNow().Table.Y + 4 // title row, then nodes 1..
	m = update(t, m, tea.MouseMsg{X: 5, Y: row4, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if m.selectedID() != 4 {
		t.Errorf("click on row %d selected node %d, want 4", row4, m.selectedID())
	}
	m = settle(t, press(t, m, "tab"), f)
	p3 := m.visiblePanes()[2]
	m = update(t, m, tea.MouseMsg{X: p3.r.X + 1, Y: p3.r.Y + 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if m.selectedID() != 3 {
		t.Errorf("click on tile 3 selected node %d", m.selectedID())
	}
}
