// Package ui is slonui's console screen: a bubbletea v1 program that shows a
// running cluster (header, node table, log panes) and turns keys into
// intents sent to the cluster.
//
// What it owns:
//  1. The model (Model) and its Update, split into handleKey, handleSnapshot,
//     handleEvent and handleAction.
//  2. The views: header.go, table.go, logview.go, help.go, status.go, all
//     formatting only what the model already holds.
//  3. The key map (keys.go), styles (styles.go) and the pure screen layout
//     (layout.go).
//  4. A bounded scroll-back of each visible node's log (logs.go); the full log
//     is on disk and is never read here.
//  5. The chaos, checks and load screens: the partition picker (picker.go,
//     each preset previewed with its sides' stake before a y/n confirm), the
//     loss/delay form (faultform.go), the fork view with the heal→converged
//     stopwatch and the leader timeline (forkview.go, a tab view), the checks
//     panel (checks.go) and the load form and panel (loadpanel.go).
//  6. Session recording: every action that succeeds is appended, with the
//     time it was taken, to DIR/sessions/<start>.toml as a scenario step
//     through a Recorder (ops.go; Run makes a scenario.Recorder).
//
// How data arrives: a tea.Every on the wall clock (Options.Tick) pulls one
// copied cluster.Snapshot plus the new log lines of the visible panes (by
// sequence number, only when a pane's sequence moved); rare events come through a re-armed listen command; user
// actions are commands that call the Cluster with a context and report
// actionDoneMsg.
//
// What it must not do: Update never does I/O and never blocks; View never
// calls time.Now (the time comes from the snapshot) and does no I/O. The
// package reads cluster value types only through the Cluster interface in
// cluster.go and never reaches into the engine's internals.
package ui
