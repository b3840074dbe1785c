package ui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/cluster"
)

// uncached is m's frame drawn with an empty cache.
func uncached(m Model) string {
	m.cache = newViewCache()
	return m.View()
}

// TestViewDrawsOnlyChangedPanes checks that a frame draws again only the
// log panes whose inputs changed, and that a frame built from cached parts
// is the frame drawn from nothing.
func TestViewDrawsOnlyChangedPanes(t *testing.T) {
	f := newFake(healthySnap(10))
	for i := 1; i <= 10; i++ {
		f.addLogs(i, 60, validatorLine)
	}
	m := settle(t, press(t, newTestModel(t, f, 160, 48), "tab"), f)
	if n := len(m.visiblePanes()); n != 10 {
		t.Fatalf("%d panes visible, want the grid of 10", n)
	}
	steps := []struct {
		name  string
		act   func(m Model) Model
		drawn int // panes drawn for the step's frame
	}{
		{"first frame", func(m Model) Model { return m }, 10},
		{"nothing changed", func(m Model) Model { return m }, 0},
		{"a pull with nothing new", func(m Model) Model { return settle(t, m, f) }, 0},
		{"node 3 logged", func(m Model) Model {
			f.addLogs(3, 2, validatorLine)
			return settle(t, m, f)
		}, 1},
		{"node 5 exited", func(m Model) Model {
			f.node(5).State, f.node(5).ExitCode = cluster.NodeExited, 1
			return settle(t, m, f)
		}, 1},
		{"the selection moved", func(m Model) Model { return press(t, m, "down") }, 2},
		{"a search", func(m Model) Model { return press(t, m, "/", "s", "l", "o", "t", "enter") }, 10},
		{"the terminal shrank", func(m Model) Model { return update(t, m, tea.WindowSizeMsg{Width: 120, Height: 40}) }, 10},
	}
	for _, s := range steps {
		m = s.act(m)
		before := m.cache.drawn
		got := m.View()
		if d := m.cache.drawn - before; d != s.drawn {
			t.Errorf("%s: %d panes drawn, want %d", s.name, d, s.drawn)
		}
		if want := uncached(m); got != want {
			t.Fatalf("%s: the cached frame differs from the frame drawn from nothing:\n%s\nwant:\n%s", s.name, got, want)
		}
	}
}
