package ui

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// TestResolvedStylesDrawTheSame checks that the styles as the console uses
// them (colours resolved once, sequences worked out once) draw exactly what
// lipgloss draws for the styles as written, on every colour profile and
// background, with and without colour.
func TestResolvedStylesDrawTheSame(t *testing.T) {
	defer lipgloss.SetColorProfile(termenv.Ascii)
	defer lipgloss.SetHasDarkBackground(lipgloss.HasDarkBackground())
	texts := []string{"", "x", "node 3 running ─ x", " padded ", "«vote»", "\x1b[32mINFO\x1b[0m slot 12", "two\nlines", "tab\there"}
	for _, p := range []termenv.Profile{termenv.Ascii, termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		for _, dark := range []bool{false, true} {
			for _, plain := range []bool{false, true} {
				t.Run(fmt.Sprintf("profile=%d,dark=%v,plain=%v", p, dark, plain), func(t *testing.T) {
					lipgloss.SetColorProfile(p)
					lipgloss.SetHasDarkBackground(dark)
					raw, res := styleSet(plain), newStyles(plain)
					ra, rs := raw.all(), res.all()
					if len(ra) != len(rs) {
						t.Fatalf("%d styles, want %d", len(rs), len(ra))
					}
					fast := 0
					for i := range ra {
						if rs[i].fast {
							fast++
						}
						for _, s := range texts {
							if got, want := rs[i].Render(s), ra[i].Render(s); got != want {
								t.Errorf("style %d: draws %q as %q, want %q", i, s, got, want)
							}
						}
					}
					if fast == 0 {
						t.Error("no style takes the fast path")
					}
					if p != termenv.Ascii && !plain && raw.Title.Render("x") == "x" {
						t.Error("the test draws no colour at all")
					}
				})
			}
		}
	}
	for _, p := range []termenv.Profile{termenv.ANSI, termenv.ANSI256, termenv.TrueColor} {
		lipgloss.SetColorProfile(p)
		lipgloss.SetHasDarkBackground(true)
		s := newStyles(false)
		if got, want := s.Help.ShortKey.Render("q"), styleSet(false).Help.ShortKey.Render("q"); got != want {
			t.Errorf("profile %d: help key drawn %q, want %q", p, got, want)
		}
	}
}
