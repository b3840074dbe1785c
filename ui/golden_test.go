package ui

import (
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"

	"slonui/cluster"
)

// TestGoldenFrames checks View() at 80×24 and 160×48 for named states.
// Run with -update to rewrite testdata/TestGoldenFrames/*.golden.
func TestGoldenFrames(t *testing.T) {
	states := []struct {
		name  string
		setup func(t *testing.T, w, h int) Model
	}{
		{"starting", func(t *testing.T, w, h int) Model {
			f := newFake(startingSnap(3))
			f.addLogs(1, 2, func(int, uint64) string { return "starting validator, loading genesis" })
			return newTestModel(t, f, w, h)
		}},
		{"healthy", func(t *testing.T, w, h int) Model {
			f := newFake(healthySnap(10))
			for i := 1; i <= 10; i++ {
				f.addLogs(i, 60, validatorLine)
			}
			return newTestModel(t, f, w, h)
		}},
		{"grid", func(t *testing.T, w, h int) Model {
			f := newFake(healthySnap(10))
			for i := 1; i <= 10; i++ {
				f.addLogs(i, 60, validatorLine)
			}
			m := newTestModel(t, f, w, h)
			m = press(t, m, "tab")
			return settle(t, m, f)
		}},
		{"merged", func(t *testing.T, w, h int) Model {
			f := newFake(healthySnap(4))
			for i := 1; i <= 4; i++ {
				f.addLogs(i, 30, validatorLine)
			}
			m := newTestModel(t, f, w, h)
			return settle(t, press(t, m, "tab", "tab"), f)
		}},
		{"zoom_filter", func(t *testing.T, w, h int) Model {
			f := newFake(healthySnap(4))
			f.addLogs(2, 400, validatorLine)
			m := press(t, newTestModel(t, f, w, h), "2")
			m = settle(t, m, f)
			return press(t, m, "enter", "f", "g", "o", "s", "s", "i", "p", "enter", "pgup")
		}},
		{"exited", func(t *testing.T, w, h int) Model {
			s := healthySnap(5)
			s.Nodes[2].State, s.Nodes[2].ExitCode, s.Nodes[2].Pid = cluster.NodeExited, 101, 0
			s.Nodes[2].PollErr = "connection refused"
			f := newFake(s)
			f.addLogs(3, 30, validatorLine)
			f.addLogs(3, 1, func(int, uint64) string { return "thread 'main' panicked: ledger corrupt" })
			m := press(t, newTestModel(t, f, w, h), "3")
			return press(t, settle(t, m, f), "s")
		}},
		{"help", func(t *testing.T, w, h int) Model {
			f := newFake(healthySnap(3))
			return press(t, newTestModel(t, f, w, h), "?")
		}},
		{"search", func(t *testing.T, w, h int) Model {
			f := newFake(healthySnap(3))
			f.addLogs(1, 60, validatorLine)
			m := newTestModel(t, f, w, h)
			return press(t, m, "/", "v", "o", "t", "e", "enter", "n")
		}},
		{"picker", func(t *testing.T, w, h int) Model {
			f := newFake(healthySnap(5))
			return press(t, newTestModel(t, f, w, h), "5", "p")
		}},
		{"forks_two", func(t *testing.T, w, h int) Model {
			f := newFake(forkSnap(true))
			return press(t, newTestModel(t, f, w, h), "tab", "tab", "tab")
		}},
		{"forks_one", func(t *testing.T, w, h int) Model {
			f := newFake(forkSnap(false))
			return press(t, newTestModel(t, f, w, h), "tab", "tab", "tab")
		}},
		{"checks", func(t *testing.T, w, h int) Model {
			f := newFake(healthySnap(5))
			m := newTestModel(t, f, w, h)
			return update(t, m, checksMsg{report: checksReport()})
		}},
		{"load", func(t *testing.T, w, h int) Model {
			f := newFake(loadSnap())
			return press(t, newTestModel(t, f, w, h), "tab", "tab", "tab", "tab")
		}},
	}
	for _, size := range [][2]int{{80, 24}, {160, 48}} {
		for _, s := range states {
			t.Run(fmt.Sprintf("%s_%dx%d", s.name, size[0], size[1]), func(t *testing.T) {
				v := s.setup(t, size[0], size[1]).View()
				checkFrame(t, v, size[0], size[1])
				golden.RequireEqual(t, []byte(v))
			})
		}
	}
}

// checkFrame asserts the frame has exactly h lines of at most w cells.
func checkFrame(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := splitLines(v)
	if len(lines) != h {
		t.Errorf("frame has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := visibleWidth(l); lw > w {
			t.Errorf("line %d is %d cells wide, want <= %d: %q", i+1, lw, w, l)
		}
	}
}

// TestViewFitsAnySize draws every view at many terminal sizes: the frame
// always has exactly h lines, none wider than w.
func TestViewFitsAnySize(t *testing.T) {
	f := logged(10)
	base := newTestModel(t, f, 80, 24)
	for _, keys := range [][]string{nil, {"tab"}, {"tab", "tab"}, {"tab", "tab", "tab"}, {"tab", "tab", "tab", "tab"}, {"enter"}, {"?"}, {"x"}, {"p"}, {"c"}} {
		m := settle(t, press(t, base, keys...), f)
		for w := 12; w <= 200; w += 17 {
			for h := 1; h <= 60; h += 4 {
				v := update(t, m, tea.WindowSizeMsg{Width: w, Height: h}).View()
				lines := splitLines(v)
				if len(lines) != h {
					t.Fatalf("keys %v at %dx%d: %d lines", keys, w, h, len(lines))
				}
				for i, l := range lines {
					if lw := visibleWidth(l); lw > w {
						t.Fatalf("keys %v at %dx%d: line %d is %d wide: %q", keys, w, h, i+1, lw, l)
					}
				}
			}
		}
	}
}
