package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"slonui/scenario"
)

// frameRate is the most frames a second the console draws.
const frameRate = 20

// Run shows the console for cl on the terminal (alt screen, mouse cell
// motion) until the user quits. q stops the cluster gracefully first; a
// second q or ctrl+c quits at once and Run returns ErrForced. Cancelling
// ctx ends the program without stopping the cluster and returns ctx's
// error. Whatever Run returns, the caller still owns the cluster and should
// stop it (StopAll after a completed stop finds nothing left to do).
func Run(ctx context.Context, cl Cluster, opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	if !opts.NoColor {
		// Ask the terminal for its background (adaptive colours) now,
		// before the program reads the keyboard.
		_ = lipgloss.HasDarkBackground()
	}
	var recErr error
	if opts.Recorder == nil && !opts.NoRecord {
		// Every action is appended to DIR/sessions/<start>.toml, a
		// scenario that replays the session. Without it the console
		// still runs, and says so.
		start := time.Now()
		snap := cl.Snapshot()
		if snap.Dir != "" {
			rec, err := scenario.NewRecorder(scenario.SessionPath(snap.Dir, start), start, len(snap.Nodes), 0)
			if err != nil {
				recErr = err
			} else {
				opts.Recorder = rec
			}
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the event listener
	m := New(cl, opts).withContext(ctx)
	if recErr != nil {
		m = m.setStatus("session not recorded: "+recErr.Error(), true)
	}
	// At most frameRate frames a second: the screen changes a few times a
	// second, and every frame of the renderer costs a copy and a compare of
	// the whole screen even when nothing changed.
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx), tea.WithFPS(frameRate))
	final, err := p.Run()
	if err != nil && errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		return fmt.Errorf("ui: run: %w", err)
	}
	if fm, ok := final.(Model); ok {
		return fm.Err()
	}
	return nil
}
