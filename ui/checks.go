package ui

import (
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// runChecks starts a checks run; its results open the checks panel.
func (m Model) runChecks() (Model, tea.Cmd) {
	m.checking = true
	m = m.setStatus("running checks…", false)
	return m, checksCmd(m.ctx, m.cl, m.opts.Recorder, !m.snap.HealAt.IsZero(), m.opts.ActionTimeout)
}

// handleChecks keeps a finished report and opens the panel.
func (m Model) handleChecks(msg checksMsg) Model {
	r := msg.report
	m.checking = false
	m.report = &r
	m.panel = panelChecks
	pass := 0
	for _, c := range r.Results {
		if c.Pass {
			pass++
		}
	}
	return m.setStatus(fmt.Sprintf("checks: %d/%d pass", pass, len(r.Results)), pass != len(r.Results))
}

// checksLines draws the results panel: name, value, target, PASS/FAIL and
// the reason of a failure under it.
func (m Model) checksLines(r rect) []string {
	st := m.st
	if m.report == nil {
		return block([]string{st.Label.Render("no checks run yet: press c")}, r.H)
	}
	rep := m.report
	lines := []string{spread(st.Title.Render("Checks")+st.Label.Render(fmt.Sprintf("  %d rounds of samples — esc closes, c runs again", rep.Rounds)),
		st.Label.Render(rep.At.UTC().Format(time.TimeOnly)), r.W)}
	nameW, valW := 16, 22
	if r.W >= 120 {
		valW = 30
	}
	lines = append(lines, st.TableHead.Render(fit(fmt.Sprintf("%-*s %-*s %-*s %s", nameW, "check", valW, "value", valW+8, "target", "result"), r.W)))
	for _, c := range rep.Results {
		verdict := st.Pass.Render("PASS")
		if !c.Pass {
			verdict = st.Fail.Render("FAIL")
		}
		row := pad(c.Name, nameW) + " " + pad(c.Value, valW) + " " + pad(c.Target, valW+8) + " " + verdict
		lines = append(lines, fit(row, r.W))
		if c.Detail != "" {
			lines = append(lines, fit("  "+st.Label.Render(c.Detail), r.W))
		}
	}
	return block(lines, r.H)
}
