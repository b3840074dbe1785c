package ui

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Most of what the console draws is ASCII and the few symbols it uses
// itself (box drawing, blocks, ●, …), at most coloured with SGR sequences
// (log levels, styles). For such text every character is one cell, and
// width and truncate below work that out directly; anything else (wide or
// combining characters, other escapes) goes through ansi's grapheme-aware
// parser, which was a tenth of the console's CPU.

// narrow reports whether r is one of the one-cell symbols the console
// draws, none of which joins a neighbour into one grapheme.
func narrow(r rune) bool {
	switch {
	case r >= 0x2500 && r <= 0x259f: // box drawing, block elements
		return true
	case r == '●', r == '◆', r == '…', r == 'µ', r == '«', r == '»', r == '·', r == '—', r == '→', r == '✓', r == '✗':
		return true
	}
	return false
}

// sgrASCIIWidth returns s's width in cells when s is printable ASCII,
// narrow symbols and SGR sequences (ESC [ digits and semicolons m) only.
func sgrASCIIWidth(s string) (int, bool) {
	w := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == 0x1b:
			j, ok := sgrEnd(s, i)
			if !ok {
				return 0, false
			}
			i = j
			continue
		case c >= 0x80:
			r, n := utf8.DecodeRuneInString(s[i:])
			if !narrow(r) {
				return 0, false
			}
			i += n
			w++
			continue
		case c < 0x20 || c == 0x7f:
			return 0, false
		}
		w++
		i++
	}
	return w, true
}

// sgrEnd returns the index after the SGR sequence starting at s[i] (ESC).
func sgrEnd(s string, i int) (int, bool) {
	if i+1 >= len(s) || s[i+1] != '[' {
		return 0, false
	}
	for j := i + 2; j < len(s); j++ {
		switch c := s[j]; {
		case c == 'm':
			return j + 1, true
		case c != ';' && (c < '0' || c > '9'):
			return 0, false
		}
	}
	return 0, false
}

// width is s's width in cells, escape sequences excluded.
func width(s string) int {
	if w, ok := sgrASCIIWidth(s); ok {
		return w
	}
	return ansi.StringWidth(s)
}

// truncate cuts s to w cells with tail at the end when it is cut, keeping
// every escape sequence, exactly as ansi.Truncate does.
func truncate(s string, w int, tail string) string {
	sw, ok := sgrASCIIWidth(s)
	if !ok {
		return ansi.Truncate(s, w, tail)
	}
	if sw <= w {
		return s
	}
	w -= width(tail)
	if w < 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s) + len(tail))
	cur, cut := 0, false
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			j, _ := sgrEnd(s, i)
			b.WriteString(s[i:j])
			i = j
			continue
		}
		if cur >= w && !cut {
			cut = true
			b.WriteString(tail)
		}
		n := 1
		if s[i] >= 0x80 {
			_, n = utf8.DecodeRuneInString(s[i:])
		}
		if !cut {
			b.WriteString(s[i : i+n])
			cur++
		}
		i += n
	}
	return b.String()
}
