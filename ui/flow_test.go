package ui

import (
	"bytes"
	"regexp"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

// startFlow runs the console over f in a teatest program at 80×24.
func startFlow(t *testing.T, f *fakeCluster) *teatest.TestModel {
	t.Helper()
	o := testOptions()
	o.Tick = 20 * time.Millisecond
	tm := teatest.NewTestModel(t, New(f, o), teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	return tm
}

// waitFor waits until the program's output contains re.
func waitFor(t *testing.T, tm *teatest.TestModel, re string) {
	t.Helper()
	rx := regexp.MustCompile(re)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return rx.Match(b) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// finalView quits the program and returns the last model's View.
func finalView(t *testing.T, tm *teatest.TestModel) (Model, []byte) {
	t.Helper()
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	return fm, []byte(fm.View())
}

func TestFlowHelp(t *testing.T) {
	f := logged(3)
	tm := startFlow(t, f)
	waitFor(t, tm, `tower: node 1 vote slot 156`)
	tm.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("?")})
	waitFor(t, tm, `focus table`)
	fm, v := finalView(t, tm)
	if !fm.showHelp || !bytes.Contains(v, []byte("Navigate")) {
		t.Errorf("help not open at the end:\n%s", v)
	}
	golden.RequireEqual(t, v)
}

func TestFlowSearch(t *testing.T) {
	f := logged(3)
	tm := startFlow(t, f)
	waitFor(t, tm, `tower: node 1 vote slot 156`)
	tm.Type("/vote")
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	waitFor(t, tm, `match 15/15 for "vote"`)
	tm.Type("n")
	waitFor(t, tm, `match 14/15 for "vote"`)
	fm, v := finalView(t, tm)
	if !fm.search.has || !bytes.Contains(v, []byte("»vote«")) || !bytes.Contains(v, []byte("«vote»")) {
		t.Errorf("matches not highlighted at the end:\n%s", v)
	}
	golden.RequireEqual(t, v)
}

func TestFlowRestart(t *testing.T) {
	f := logged(3)
	tm := startFlow(t, f)
	waitFor(t, tm, `tower: node 1 vote slot 156`)
	tm.Type("2")
	waitFor(t, tm, `node 2 running`)
	tm.Type("r")
	// One wait over the whole stream: the row goes to starting, then back
	// to running, and the action reports done (in either order).
	starting := regexp.MustCompile(`>\s+2 starting`)
	running := regexp.MustCompile(`>\s+2 running`)
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		i := starting.FindIndex(b)
		return i != nil && running.Match(b[i[1]:]) && bytes.Contains(b, []byte("node 2 restarted"))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	fm, v := finalView(t, tm)
	if got := f.Calls(); len(got) != 1 || got[0] != "restart 2" {
		t.Errorf("cluster calls %v, want [restart 2]", got)
	}
	if fm.snap.Nodes[1].State.String() != "running" || fm.status != "node 2 restarted" {
		t.Errorf("node 2 %v, status %q", fm.snap.Nodes[1].State, fm.status)
	}
	golden.RequireEqual(t, v)
}
