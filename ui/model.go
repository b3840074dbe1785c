package ui

import (
	"context"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"slonui/cluster"
	"slonui/load"
)

// inputMode is what the status line's text input is collecting.
type inputMode int

const (
	inputNone inputMode = iota
	inputSearch
	inputFilter
	inputSpec  // a custom partition spec (the picker stays open)
	inputFault // loss / delay
	inputLoad  // a load plan
)

// panelKind is a panel that replaces the log area until closed.
type panelKind int

const (
	panelNone   panelKind = iota
	panelPicker           // the partition picker
	panelChecks           // the checks results
)

// confirmation is a dangerous action waiting for y/n: a node action, or
// an op (then act and node are unused).
type confirmation struct {
	act    actionKind
	node   int
	prompt string
	op     *op
	then   viewKind // the view to show once the op starts (with op)
}

// Model is the console's bubbletea model. Build it with New.
type Model struct {
	cl   Cluster
	ctx  context.Context
	opts Options
	st   *Styles // built once in New; shared by copies, never changed
	keys keyMap
	help help.Model

	w, h int
	snap cluster.Snapshot
	sel  int // index into snap.Nodes of the selected node

	view      viewKind
	zoomed    bool
	focusLogs bool
	showHelp  bool

	bufs   map[int]*logBuf // per node id
	merged *logBuf
	// mergedLive: merged holds every line since it came into view.
	mergedLive bool
	panes      map[int]pane // per node id; 0 is the merged stream
	filter     string
	search     searchState

	mode    inputMode
	input   textinput.Model
	confirm *confirmation

	status    string
	statusErr bool

	topo     topology // the cluster's fault topology (pulled at Init)
	panel    panelKind
	picker   pickerState
	report   *cluster.CheckReport // the last checks run
	checking bool                 // a checks run is going

	cache *viewCache // what View drew last (shared by copies)

	quitting  bool  // StopAll is running
	forced    bool  // quit before the cluster stopped
	stopErr   error // StopAll's result
	resizeGen int
}

// mergedPane is the panes key of the merged stream.
const mergedPane = 0

// New builds the console's model for cl; zero durations and sizes in opts
// take their defaults. It does no I/O: the first snapshot is pulled by the
// command Init returns.
func New(cl Cluster, opts Options) Model {
	opts = opts.withDefaults()
	ti := textinput.New()
	ti.Cursor.SetMode(cursor.CursorStatic)
	ti.CharLimit = 200
	m := Model{
		cl:     cl,
		ctx:    context.Background(),
		opts:   opts,
		st:     ptr(newStyles(opts.NoColor)),
		keys:   newKeyMap(),
		help:   help.New(),
		bufs:   map[int]*logBuf{},
		merged: newLogBuf(2 * opts.ScrollBack),
		panes:  map[int]pane{mergedPane: {follow: true}},
		input:  ti,
		cache:  newViewCache(),
	}
	m.help.Styles = m.st.Help
	m.keys.update(m.keyState())
	return m
}

// withContext sets the context actions and the event listener run under.
func (m Model) withContext(ctx context.Context) Model {
	m.ctx = ctx
	return m
}

// Init pulls the first snapshot at once and starts listening for events.
func (m Model) Init() tea.Cmd {
	return tea.Batch(pullCmd(m.cl, m.pullRequest(), 0), listenCmd(m.ctx, m.cl.Events()), topoCmd(m.cl))
}

// Update routes one message to its handler. It never blocks and does no I/O.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.help.Width = msg.Width
		m, cmd = m.scheduleResize()
	case tea.KeyMsg:
		m, cmd = m.handleKey(msg)
	case tea.MouseMsg:
		m = m.handleMouse(msg)
	case snapshotMsg:
		m, cmd = m.handleSnapshot(msg)
	case eventMsg:
		m, cmd = m.handleEvent(cluster.Event(msg))
	case eventsClosedMsg:
		// Nothing more will come; the listener is not re-armed.
	case actionDoneMsg:
		m, cmd = m.handleAction(msg)
	case savedMsg:
		m = m.handleSaved(msg)
	case opDoneMsg:
		m = m.handleOp(msg)
	case checksMsg:
		m = m.handleChecks(msg)
	case topoMsg:
		m.topo = msg.topo
	case resizeDueMsg:
		if msg.gen == m.resizeGen {
			cmd = resizeCmd(m.cl, m.ptySizes())
		}
	default:
		if m.mode != inputNone {
			m.input, cmd = m.input.Update(msg)
		}
	}
	m.keys.update(m.keyState())
	return m, cmd
}

func (m Model) keyState() keyState {
	return keyState{
		readOnly:  m.opts.ReadOnly,
		quitting:  m.quitting,
		node:      m.selected(),
		searching: m.search.active(),

		chaosErr:    m.chaosReason(),
		faulted:     m.snap.Faults != "" || m.snap.Partition != nil,
		loadRunning: loadRunning(m.snap.LoadRun.Phase),
		checking:    m.checking,
	}
}

// chaosReason is why network faults cannot be applied, "" when they can.
func (m Model) chaosReason() string {
	switch {
	case m.topo.err != nil:
		return m.topo.err.Error()
	case m.topo.topo.Len() == 0:
		return "the cluster's topology is not known yet"
	}
	return ""
}

// loadRunning reports whether a load run in this phase is still going.
func loadRunning(phase string) bool {
	return phase == load.PhaseFunding || phase == load.PhaseRunning || phase == load.PhaseDraining
}

// selected returns the selected node, nil when there is none.
func (m Model) selected() *cluster.NodeSnapshot {
	if m.sel < 0 || m.sel >= len(m.snap.Nodes) {
		return nil
	}
	return &m.snap.Nodes[m.sel]
}

// selectedID is the selected node's id, 0 when there is none.
func (m Model) selectedID() int {
	if n := m.selected(); n != nil {
		return n.ID
	}
	return 0
}

// Err is why the console ended badly: ErrForced after a forced quit, or
// StopAll's error.
func (m Model) Err() error {
	if m.forced {
		return ErrForced
	}
	return m.stopErr
}

func (m Model) setStatus(s string, isErr bool) Model {
	m.status, m.statusErr = s, isErr
	return m
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }
