package ui

import (
	"strconv"
	"strings"
)

// View draws the screen from the model. It only formats: no I/O, no clock.
func (m Model) View() string {
	if m.w <= 0 || m.h <= 0 {
		return "slonui: starting…"
	}
	l := m.layoutNow()
	out := make([]string, 0, m.h)
	out = append(out, m.headerLines(l.Header)...)
	out = append(out, m.tableLines(l.Table)...)
	switch {
	case m.showHelp:
		out = append(out, m.helpLines(l.Logs)...)
	case m.panel == panelPicker:
		out = append(out, m.pickerLines(l.Logs)...)
	case m.panel == panelChecks:
		out = append(out, m.checksLines(l.Logs)...)
	case m.view == viewForks:
		out = append(out, m.forkLines(l.Logs)...)
	case m.view == viewLoad:
		out = append(out, m.loadLines(l.Logs)...)
	default:
		out = append(out, m.logLines(l.Logs)...)
	}
	if l.Status.H > 0 {
		out = append(out, m.statusLine(l.Status.W))
	}
	if l.Keys.H > 0 {
		out = append(out, m.shortHelpLine(l.Keys.W))
	}
	return strings.Join(out, "\n")
}

// fit cuts s to w cells.
func fit(s string, w int) string {
	if width(s) <= w {
		return s
	}
	return truncate(s, w, "…")
}

// pad cuts or pads s to exactly w cells.
func pad(s string, w int) string {
	sw := width(s)
	switch {
	case sw > w:
		return truncate(s, w, "")
	case sw < w:
		return s + strings.Repeat(" ", w-sw)
	}
	return s
}

// padLeft right-aligns s in w cells.
func padLeft(s string, w int) string {
	sw := width(s)
	if sw >= w {
		return truncate(s, w, "")
	}
	return strings.Repeat(" ", w-sw) + s
}

// block returns exactly h lines: lines cut to h, padded with blank lines.
func block(lines []string, h int) []string {
	if len(lines) > h {
		return lines[:h]
	}
	for len(lines) < h {
		lines = append(lines, "")
	}
	return lines
}

// shortHelpLine is the key help under the status line, drawn again only
// when a key's help or enabled state or the width changed.
func (m Model) shortHelpLine(w int) string {
	keys := m.keys.ShortHelp()
	var k strings.Builder
	k.WriteString(strconv.Itoa(w))
	k.WriteByte(' ')
	k.WriteString(strconv.Itoa(m.help.Width))
	for _, b := range keys {
		h := b.Help()
		k.WriteByte(0)
		if b.Enabled() {
			k.WriteByte('+')
		}
		k.WriteString(h.Key)
		k.WriteByte(1)
		k.WriteString(h.Desc)
	}
	return m.cache.helpLine(k.String(), func() string { return fit(m.help.ShortHelpView(keys), w) })
}
