package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// searchState is the active search: matching lines are highlighted in every
// pane, and n/N move the focused pane between them.
type searchState struct {
	query string // as typed; "" = no search
	lower string
	cur   uint64 // key of the current match line in the focused pane
	has   bool   // cur is set
}

func newSearch(q string) searchState {
	return searchState{query: q, lower: strings.ToLower(q)}
}

func (s searchState) active() bool { return s.query != "" }

func (s searchState) matches(e *logEntry) bool {
	return s.lower != "" && strings.Contains(e.lower, s.lower)
}

// find returns the index of the next matching shown line from index from,
// moving by dir (-1 older, +1 newer) and wrapping around; from itself is
// checked last. It returns -1 when nothing matches.
func (s searchState) find(b *logBuf, from, dir int, keep filterFn) int {
	n := len(b.lines)
	if n == 0 || !s.active() {
		return -1
	}
	for k := 1; k <= n; k++ {
		i := ((from+dir*k)%n + n) % n
		e := &b.lines[i]
		if (keep == nil || keep(e)) && s.matches(e) {
			return i
		}
	}
	return -1
}

// count returns how many shown lines match and the 1-based rank of the
// current match among them (0 when there is none).
func (s searchState) count(b *logBuf, keep filterFn) (total, rank int) {
	if !s.active() {
		return 0, 0
	}
	for i := range b.lines {
		e := &b.lines[i]
		if (keep == nil || keep(e)) && s.matches(e) {
			total++
			if s.has && e.key == s.cur {
				rank = total
			}
		}
	}
	return total, rank
}

// highlight returns the line with every match of the search marked, cut to
// width cells. Lines with matches lose their own colours so the marks show.
func (s searchState) highlight(e *logEntry, width int, current bool, st *Styles) string {
	if !s.matches(e) {
		return truncate(e.text, width, "")
	}
	plain := ansi.Strip(e.text)
	if len(plain) != len(e.lower) { // lower-casing changed byte lengths
		return truncate(plain, width, "")
	}
	style, open, close := st.Match, st.MatchOpen, st.MatchClose
	if current {
		style, open, close = st.CurrentMatch, st.CurOpen, st.CurClose
	}
	var b strings.Builder
	rest, low := plain, e.lower
	for {
		i := strings.Index(low, s.lower)
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := i + len(s.lower)
		b.WriteString(rest[:i])
		b.WriteString(style.Render(open + rest[i:j] + close))
		rest, low = rest[j:], low[j:]
	}
	return truncate(b.String(), width, "")
}
