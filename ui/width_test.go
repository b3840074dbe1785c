package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestWidthAndTruncateMatchAnsi checks the ASCII fast paths against ansi's
// own StringWidth and Truncate, and that other text still goes through it.
func TestWidthAndTruncateMatchAnsi(t *testing.T) {
	texts := []string{
		"", "a", "slot 1234 confirmed", "\x1b[32mINFO \x1b[0m replay slot=12 parent=11",
		"\x1b[1;38;5;75mtitle\x1b[0m", "x\x1b[0m", "\x1b[0m", "trailing \x1b[31m",
		"wide 世界 text", "tab\there", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "bad \x1b[12", "bad \x1bX",
		"del\x7f", "café", strings.Repeat("long line ", 30), "«vote» ●",
		"─ node 3 running · scrolled ──────", "▁▂▃▄▅▆▇█", "812µs", "9Qx…sgkv", "◆3 → ✓ ✗ — ", "●\u0301 joined", "e\u0301",
	}
	for r := rune(0x2500); r <= 0x259f; r++ {
		texts = append(texts, string(r)+"x"+string(r))
	}
	for _, s := range texts {
		if got, want := width(s), ansi.StringWidth(s); got != want {
			t.Errorf("width(%q) = %d, want %d", s, got, want)
		}
		for w := -1; w <= ansi.StringWidth(s)+2; w++ {
			for _, tail := range []string{"", "…", ".."} {
				if got, want := truncate(s, w, tail), ansi.Truncate(s, w, tail); got != want {
					t.Errorf("truncate(%q, %d, %q) = %q, want %q", s, w, tail, got, want)
				}
			}
		}
	}
}
