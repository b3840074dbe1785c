package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles is every style the console draws with, built once in New. Views
// use these and never a colour literal.
type Styles struct {
	Plain bool // no colour: matches are marked with MatchOpen/MatchClose

	Title     lipgloss.Style // header: product and cluster name
	Label     lipgloss.Style // header: field names
	Value     lipgloss.Style // header: numbers
	Fault     lipgloss.Style // header: active faults
	Load      lipgloss.Style // header: load state
	TableHead lipgloss.Style
	Row       lipgloss.Style
	Selected  lipgloss.Style // the selected table row
	Leader    lipgloss.Style
	Spark     lipgloss.Style

	Starting lipgloss.Style
	Running  lipgloss.Style
	Paused   lipgloss.Style
	Exited   lipgloss.Style
	Stopped  lipgloss.Style

	PaneTitle       lipgloss.Style // a log pane's title bar
	PaneTitleActive lipgloss.Style // the title of the focused pane
	NodeTag         lipgloss.Style // "n3 " prefix in the merged stream
	Match           lipgloss.Style // a search match
	CurrentMatch    lipgloss.Style // the match n/N moved to

	Status  lipgloss.Style
	Error   lipgloss.Style
	Confirm lipgloss.Style
	Help    help.Styles

	Forks      []lipgloss.Style // one colour per fork in the fork view, in order
	Pass, Fail lipgloss.Style   // check verdicts
	Minority   lipgloss.Style   // a leader cut off in a minority

	MatchOpen, MatchClose string // marks around matches when Plain
	CurOpen, CurClose     string // marks around the current match when Plain
	Cursor                string // marks the selected row
	LeaderMark            string
}

// newStyles builds the console's styles. plain (NoColor, or a terminal with
// the Ascii profile) draws no colour and marks search matches with «».
func newStyles(plain bool) Styles {
	if lipgloss.ColorProfile() == termenv.Ascii {
		plain = true
	}
	s := Styles{Plain: plain, Cursor: ">", LeaderMark: "●"}
	n := lipgloss.NewStyle
	if plain {
		s.Title = n().Bold(true)
		s.Label, s.Value, s.Fault, s.Load = n(), n().Bold(true), n().Bold(true), n()
		s.TableHead, s.Row, s.Selected = n().Bold(true), n(), n().Reverse(true)
		s.Leader, s.Spark = n(), n()
		s.Starting, s.Running, s.Paused, s.Exited, s.Stopped = n(), n(), n(), n().Bold(true), n()
		s.PaneTitle, s.PaneTitleActive, s.NodeTag = n(), n().Bold(true), n()
		s.Match, s.CurrentMatch = n().Reverse(true), n().Reverse(true).Bold(true)
		s.Status, s.Error, s.Confirm = n(), n().Bold(true), n().Bold(true)
		s.Forks = []lipgloss.Style{n(), n().Bold(true), n().Underline(true)}
		s.Pass, s.Fail, s.Minority = n(), n().Bold(true), n().Bold(true)
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
	s.Title = n().Bold(true).Foreground(accent)
	s.Label = n().Foreground(dim)
	s.Value = n().Bold(true)
	s.Fault = n().Bold(true).Foreground(bad)
	s.Load = n().Foreground(warn)
	s.TableHead = n().Bold(true).Foreground(dim)
	s.Row = n()
	s.Selected = n().Background(selBg).Bold(true)
	s.Leader = n().Foreground(warn)
	s.Spark = n().Foreground(accent)
	s.Starting = n().Foreground(warn)
	s.Running = n().Foreground(good)
	s.Paused = n().Foreground(warn).Bold(true)
	s.Exited = n().Foreground(bad).Bold(true)
	s.Stopped = n().Foreground(dim)
	s.PaneTitle = n().Foreground(dim).Background(titleBg)
	s.PaneTitleActive = n().Bold(true).Foreground(accent).Background(titleBg)
	s.NodeTag = n().Foreground(accent)
	s.Match = n().Background(matchBg).Foreground(black)
	s.CurrentMatch = n().Background(curBg).Foreground(black).Bold(true)
	s.Status = n().Foreground(dim)
	s.Error = n().Foreground(bad).Bold(true)
	s.Confirm = n().Foreground(warn).Bold(true)
	s.Forks = []lipgloss.Style{n().Foreground(good), n().Foreground(bad).Bold(true), n().Foreground(accent).Bold(true), n().Foreground(warn).Bold(true)}
	s.Pass = n().Foreground(good).Bold(true)
	s.Fail = n().Foreground(bad).Bold(true)
	s.Minority = n().Foreground(bad).Bold(true)
	s.Help = help.New().Styles
	return s
}
