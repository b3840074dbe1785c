package ui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// BenchmarkView10Nodes measures View() with 10 nodes, full scroll-back and
// every node's log visible in the grid (goal: < 5 ms per frame).
func BenchmarkView10Nodes(b *testing.B) {
	for _, colour := range []bool{false, true} {
		for _, size := range [][2]int{{80, 24}, {160, 48}, {240, 64}} {
			b.Run(fmt.Sprintf("grid_%dx%d_colour=%v", size[0], size[1], colour), func(b *testing.B) {
				if colour {
					lipgloss.SetColorProfile(termenv.TrueColor)
					defer lipgloss.SetColorProfile(termenv.Ascii)
				}
				f := newFake(healthySnap(10))
				for i := 1; i <= 10; i++ {
					f.addLogs(i, 2000, func(node int, seq uint64) string {
						return "\x1b[32mINFO\x1b[0m " + validatorLine(node, seq)
					})
				}
				o := testOptions()
				o.NoColor = !colour
				m := New(f, o)
				m = update(b, m, tea.WindowSizeMsg{Width: size[0], Height: size[1]})
				m = press(b, m, "tab")
				m = settle(b, m, f)
				m = press(b, m, "/", "v", "o", "t", "e", "enter")
				if len(m.visiblePanes()) != 10 {
					b.Fatalf("%d panes visible, want 10", len(m.visiblePanes()))
				}
				b.ReportAllocs()
				b.ResetTimer()
				for range b.N {
					_ = m.View()
				}
			})
		}
	}
}

// BenchmarkTick measures one tick's Update: a snapshot with 100 new lines
// for each of 10 visible nodes.
func BenchmarkTick(b *testing.B) {
	f := newFake(healthySnap(10))
	m := New(f, testOptions())
	m = update(b, m, tea.WindowSizeMsg{Width: 160, Height: 48})
	m = settle(b, press(b, m, "tab"), f)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for i := 1; i <= 10; i++ {
			f.addLogs(i, 100, validatorLine)
		}
		msg := pull(f, m.pullRequest())
		b.StartTimer()
		m = update(b, m, msg)
	}
}

// BenchmarkFloodTick measures one tick in which one node of ten flooded its
// log: the pull brings a full scroll-back (2,000 lines) for it and 5 lines
// for each other node, all visible in the grid.
func BenchmarkFloodTick(b *testing.B) {
	f := newFake(healthySnap(10))
	m := New(f, testOptions())
	m = update(b, m, tea.WindowSizeMsg{Width: 160, Height: 48})
	m = settle(b, press(b, m, "tab"), f)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		f.addLogs(1, 2*m.opts.ScrollBack, validatorLine)
		for i := 2; i <= 10; i++ {
			f.addLogs(i, 5, validatorLine)
		}
		msg := pull(f, m.pullRequest())
		b.StartTimer()
		m = update(b, m, msg)
		_ = m.View()
	}
}

// BenchmarkLiveTick measures what the console does per tick while a healthy
// cluster runs in the grid view, in colour: a pull in which every node's
// slot moved and half the nodes logged a line, its Update, and the View.
func BenchmarkLiveTick(b *testing.B) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	f := newFake(healthySnap(10))
	for i := 1; i <= 10; i++ {
		f.addLogs(i, 200, func(node int, seq uint64) string {
			return "\x1b[32mINFO\x1b[0m " + validatorLine(node, seq)
		})
	}
	o := testOptions()
	o.NoColor = false
	m := New(f, o)
	m = update(b, m, tea.WindowSizeMsg{Width: 160, Height: 48})
	m = settle(b, press(b, m, "tab"), f)
	_ = m.View()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		f.mu.Lock()
		for k := range f.snap.Nodes {
			f.snap.Nodes[k].Slot++
			f.snap.Nodes[k].RPCLatency += time.Microsecond
		}
		f.mu.Unlock()
		for n := 1 + i%2; n <= 10; n += 2 {
			f.addLogs(n, 1, validatorLine)
		}
		b.StartTimer()
		m = update(b, m, pull(f, m.pullRequest()))
		_ = m.View()
	}
}
