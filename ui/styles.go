package ui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is every style the console draws with, built once in New. Views
// use these and never a colour literal.
type Styles struct {
	Plain bool // no colour: matches are marked with MatchOpen/MatchClose

	Title     style // header: product and cluster name
	Label     style // header: field names
	Value     style // header: numbers
	Fault     style // header: active faults
	Load      style // header: load state
	TableHead style
	Row       style
	Selected  style // the selected table row
	Leader    style
	Spark     style

	Starting style
	Running  style
	Paused   style
	Exited   style
	Stopped  style

	PaneTitle       style // a log pane's title bar
	PaneTitleActive style // the title of the focused pane
	NodeTag         style // "n3 " prefix in the merged stream
	Match           style // a search match
	CurrentMatch    style // the match n/N moved to

	Status  style
	Error   style
	Confirm style
	Help    help.Styles

	Forks      []style // one colour per fork in the fork view, in order
	Pass, Fail style   // check verdicts
	Minority   style   // a leader cut off in a minority

	MatchOpen, MatchClose string // marks around matches when Plain
	CurOpen, CurClose     string // marks around the current match when Plain
	Cursor                string // marks the selected row
	LeaderMark            string
}

// newStyles builds the console's styles. plain (NoColor, or a terminal with
// the Ascii profile) draws no colour and marks search matches with «».
// Colours are resolved for the terminal and each style's escape sequences
// worked out once, here, not on every Render.
func newStyles(plain bool) Styles {
	s := styleSet(plain)
	p, dark := lipgloss.ColorProfile(), false
	if !s.Plain {
		dark = lipgloss.HasDarkBackground()
	}
	for _, st := range s.all() {
		if !s.Plain {
			st.Style = resolveStyle(st.Style, p, dark)
		}
		*st = newStyle(st.Style)
	}
	if !s.Plain {
		for _, st := range []*lipgloss.Style{&s.Help.Ellipsis, &s.Help.ShortKey, &s.Help.ShortDesc,
			&s.Help.ShortSeparator, &s.Help.FullKey, &s.Help.FullDesc, &s.Help.FullSeparator} {
			*st = resolveStyle(*st, p, dark)
		}
	}
	return s
}

// all lists every style of s (the fork colours copied, so s owns them).
func (s *Styles) all() []*style {
	out := []*style{
		&s.Title, &s.Label, &s.Value, &s.Fault, &s.Load, &s.TableHead, &s.Row, &s.Selected, &s.Leader, &s.Spark,
		&s.Starting, &s.Running, &s.Paused, &s.Exited, &s.Stopped,
		&s.PaneTitle, &s.PaneTitleActive, &s.NodeTag, &s.Match, &s.CurrentMatch,
		&s.Status, &s.Error, &s.Confirm, &s.Pass, &s.Fail, &s.Minority,
	}
	s.Forks = slices.Clone(s.Forks)
	for i := range s.Forks {
		out = append(out, &s.Forks[i])
	}
	return out
}

// style is a lipgloss style that draws a one-line string between two
// strings worked out once: lipgloss builds the same escape sequences again
// on every Render, which was most of the cost of drawing a frame. Styles
// that do more than wrap the text (underline, which styles spaces apart;
// widths; padding) and text with line breaks or tabs go through lipgloss.
type style struct {
	lipgloss.Style
	pre, post string
	fast      bool
}

// newStyle works out st's sequences, keeping the fast path only when it
// draws every probe exactly as lipgloss does.
func newStyle(st lipgloss.Style) style {
	const mark = "\x1a"
	s := style{Style: st}
	pre, post, ok := strings.Cut(st.Render(mark), mark)
	if !ok || strings.Contains(post, mark) {
		return s
	}
	for _, probe := range []string{"", "a", "a b", " x ", "─ node 1 · running ─", "«m»", "\x1b[32mINFO\x1b[0m x"} {
		if st.Render(probe) != pre+probe+post {
			return s
		}
	}
	s.pre, s.post, s.fast = pre, post, true
	return s
}

// Render draws strs joined by spaces, as lipgloss.Style.Render does.
func (s style) Render(strs ...string) string {
	str := strings.Join(strs, " ")
	if !s.fast || strings.ContainsAny(str, "\n\r\t") {
		return s.Style.Render(str)
	}
	return s.pre + str + s.post
}

// styleSet is the console's styles with their colours as written.
func styleSet(plain bool) Styles {
	if lipgloss.ColorProfile() == termenv.Ascii {
		plain = true
	}
	s := Styles{Plain: plain, Cursor: ">", LeaderMark: "●"}
	n := lipgloss.NewStyle
	w := func(st lipgloss.Style) style { return style{Style: st} }
	if plain {
		s.Title = w(n().Bold(true))
		s.Label, s.Value, s.Fault, s.Load = w(n()), w(n().Bold(true)), w(n().Bold(true)), w(n())
		s.TableHead, s.Row, s.Selected = w(n().Bold(true)), w(n()), w(n().Reverse(true))
		s.Leader, s.Spark = w(n()), w(n())
		s.Starting, s.Running, s.Paused, s.Exited, s.Stopped = w(n()), w(n()), w(n()), w(n().Bold(true)), w(n())
		s.PaneTitle, s.PaneTitleActive, s.NodeTag = w(n()), w(n().Bold(true)), w(n())
		s.Match, s.CurrentMatch = w(n().Reverse(true)), w(n().Reverse(true).Bold(true))
		s.Status, s.Error, s.Confirm = w(n()), w(n().Bold(true)), w(n().Bold(true))
		s.Forks = []style{w(n()), w(n().Bold(true)), w(n().Underline(true))}
		s.Pass, s.Fail, s.Minority = w(n()), w(n().Bold(true)), w(n().Bold(true))
		s.MatchOpen, s.MatchClose = "«", "»"
		s.CurOpen, s.CurClose = "»", "«"
		s.Help = help.Styles{
			Ellipsis: n(), ShortKey: n().Bold(true), ShortDesc: n(), ShortSeparator: n(),
			FullKey: n().Bold(true), FullDesc: n(), FullSeparator: n(),
		}
		return s
	}
	var (
		accent  = lipgloss.AdaptiveColor{Light: "#005FAF", Dark: "#5FAFFF"}
		dim     = lipgloss.AdaptiveColor{Light: "#767676", Dark: "#8A8A8A"}
		good    = lipgloss.AdaptiveColor{Light: "#008700", Dark: "#5FD75F"}
		warn    = lipgloss.AdaptiveColor{Light: "#AF8700", Dark: "#FFD75F"}
		bad     = lipgloss.AdaptiveColor{Light: "#D70000", Dark: "#FF5F5F"}
		selBg   = lipgloss.AdaptiveColor{Light: "#D0D0D0", Dark: "#3A3A3A"}
		titleBg = lipgloss.AdaptiveColor{Light: "#E4E4E4", Dark: "#262626"}
		matchBg = lipgloss.AdaptiveColor{Light: "#FFD700", Dark: "#AF8700"}
		curBg   = lipgloss.AdaptiveColor{Light: "#FF8700", Dark: "#FF8700"}
		black   = lipgloss.Color("#000000")
	)
	s.Title = w(n().Bold(true).Foreground(accent))
	s.Label = w(n().Foreground(dim))
	s.Value = w(n().Bold(true))
	s.Fault = w(n().Bold(true).Foreground(bad))
	s.Load = w(n().Foreground(warn))
	s.TableHead = w(n().Bold(true).Foreground(dim))
	s.Row = w(n())
	s.Selected = w(n().Background(selBg).Bold(true))
	s.Leader = w(n().Foreground(warn))
	s.Spark = w(n().Foreground(accent))
	s.Starting = w(n().Foreground(warn))
	s.Running = w(n().Foreground(good))
	s.Paused = w(n().Foreground(warn).Bold(true))
	s.Exited = w(n().Foreground(bad).Bold(true))
	s.Stopped = w(n().Foreground(dim))
	s.PaneTitle = w(n().Foreground(dim).Background(titleBg))
	s.PaneTitleActive = w(n().Bold(true).Foreground(accent).Background(titleBg))
	s.NodeTag = w(n().Foreground(accent))
	s.Match = w(n().Background(matchBg).Foreground(black))
	s.CurrentMatch = w(n().Background(curBg).Foreground(black).Bold(true))
	s.Status = w(n().Foreground(dim))
	s.Error = w(n().Foreground(bad).Bold(true))
	s.Confirm = w(n().Foreground(warn).Bold(true))
	s.Forks = []style{w(n().Foreground(good)), w(n().Foreground(bad).Bold(true)), w(n().Foreground(accent).Bold(true)), w(n().Foreground(warn).Bold(true))}
	s.Pass = w(n().Foreground(good).Bold(true))
	s.Fail = w(n().Foreground(bad).Bold(true))
	s.Minority = w(n().Foreground(bad).Bold(true))
	s.Help = help.New().Styles
	return s
}

// resolveStyle resolves the foreground and background colours st sets to
// the colours the terminal's profile shows (light or dark, then the nearest
// of 16 or 256 colours), once; lipgloss does it on every Render otherwise,
// and the nearest-colour search was the largest part of drawing a frame.
// The escape sequences are the same.
func resolveStyle(st lipgloss.Style, p termenv.Profile, dark bool) lipgloss.Style {
	if _, none := st.GetForeground().(lipgloss.NoColor); !none {
		st = st.Foreground(resolveColor(st.GetForeground(), p, dark))
	}
	if _, none := st.GetBackground().(lipgloss.NoColor); !none {
		st = st.Background(resolveColor(st.GetBackground(), p, dark))
	}
	return st
}

// resolveColor is c as profile p shows it, as a colour lipgloss passes
// through without converting: an ANSI or ANSI256 index, or a hex RGB.
func resolveColor(c lipgloss.TerminalColor, p termenv.Profile, dark bool) lipgloss.TerminalColor {
	var s string
	switch c := c.(type) {
	case lipgloss.AdaptiveColor:
		s = c.Light
		if dark {
			s = c.Dark
		}
	case lipgloss.Color:
		s = string(c)
	default:
		return c
	}
	switch tc := p.Color(s).(type) {
	case termenv.ANSIColor:
		return lipgloss.Color(strconv.Itoa(int(tc)))
	case termenv.ANSI256Color:
		return lipgloss.Color(strconv.Itoa(int(tc)))
	case termenv.RGBColor:
		return lipgloss.Color(string(tc))
	}
	return c
}
