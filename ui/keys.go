package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"slonui/cluster"
)

// navigateKeys move the selection and the log views' scroll position.
type navigateKeys struct {
	Up, Down     key.Binding
	Select       key.Binding // 1-9, 0 = node 10
	PageUp       key.Binding
	PageDown     key.Binding
	Top, Bottom  key.Binding // Bottom resumes follow mode
	FocusLogs    key.Binding
	FocusTable   key.Binding
	MouseWheelUp key.Binding // not bound to keys; shown in full help only
}

// nodeKeys act on the selected node.
type nodeKeys struct {
	Restart key.Binding
	Kill    key.Binding
	Pause   key.Binding // pause (SIGSTOP) or continue (SIGCONT); s is an alias
}

// chaosKeys change the network between the nodes.
type chaosKeys struct {
	Partition key.Binding // open the partition picker
	Heal      key.Binding
	Faults    key.Binding // loss / delay form
}

// loadKeys drive the load engine.
type loadKeys struct {
	Start  key.Binding // open the plan form
	Stop   key.Binding
	Faster key.Binding
	Slower key.Binding
}

// checkKeys run the consensus checks.
type checkKeys struct {
	Run key.Binding
}

// logKeys change what the log area shows.
type logKeys struct {
	View   key.Binding // cycle node / grid / merged
	Zoom   key.Binding
	Search key.Binding
	Next   key.Binding
	Prev   key.Binding
	Filter key.Binding
	Save   key.Binding
	Clear  key.Binding // esc: close zoom, search, filter
}

// appKeys are global.
type appKeys struct {
	Help key.Binding
	Quit key.Binding
}

// keyMap is every key the console answers, in named groups. It is built by
// newKeyMap and owned by the Model (never a package variable).
type keyMap struct {
	Navigate navigateKeys
	Nodes    nodeKeys
	Chaos    chaosKeys
	Load     loadKeys
	Checks   checkKeys
	Logs     logKeys
	App      appKeys

	// why holds, for each disabled binding (by its help key), the reason
	// shown in the status line when it is pressed.
	why map[string]string
}

func newKeyMap() keyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return keyMap{
		Navigate: navigateKeys{
			Up:           b("↑/k", "up", "up", "k"),
			Down:         b("↓/j", "down", "down", "j"),
			Select:       b("1-9", "select node", "1", "2", "3", "4", "5", "6", "7", "8", "9", "0"),
			PageUp:       b("pgup", "page up", "pgup", "ctrl+u"),
			PageDown:     b("pgdn", "page down", "pgdown", "ctrl+d"),
			Top:          b("g/home", "oldest line", "g", "home"),
			Bottom:       b("G/end", "follow", "G", "end"),
			FocusLogs:    b("→", "focus logs", "right"),
			FocusTable:   b("←", "focus table", "left"),
			MouseWheelUp: key.NewBinding(key.WithKeys("wheel"), key.WithHelp("wheel", "scroll logs")), // a mouse event; never a key
		},
		Nodes: nodeKeys{
			Restart: b("r", "restart node", "r"),
			Kill:    b("x", "kill node", "x"),
			Pause:   b("z", "pause node", "z", "s"),
		},
		Chaos: chaosKeys{
			Partition: b("p", "partition", "p"),
			Heal:      b("h", "heal", "h"),
			Faults:    b("o", "loss/delay", "o"),
		},
		Load: loadKeys{
			Start:  b("l", "start load", "l"),
			Stop:   b("L", "stop load", "L"),
			Faster: b("+", "rate +25%", "+", "="),
			Slower: b("-", "rate -20%", "-"),
		},
		Checks: checkKeys{
			Run: b("c", "run checks", "c"),
		},
		Logs: logKeys{
			View:   b("tab", "next view", "tab"),
			Zoom:   b("enter", "zoom", "enter"),
			Search: b("/", "search", "/"),
			Next:   b("n", "older match", "n"),
			Prev:   b("N", "newer match", "N"),
			Filter: b("f", "filter", "f"),
			Save:   b("ctrl+s", "save visible", "ctrl+s"),
			Clear:  b("esc", "clear", "esc"),
		},
		App: appKeys{
			Help: b("?", "help", "?"),
			Quit: b("q", "quit", "q", "ctrl+c"),
		},
	}
}

// ShortHelp is the one-line help under the screen.
func (k keyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.App.Help, k.Chaos.Partition, k.Chaos.Heal, k.Checks.Run, k.Nodes.Pause,
		k.Nodes.Restart, k.Nodes.Kill, k.Load.Start, k.Logs.View, k.Logs.Search, k.App.Quit}
}

// FullHelp is the help screen, one column per group.
func (k keyMap) FullHelp() [][]key.Binding {
	n, nd, l, a := k.Navigate, k.Nodes, k.Logs, k.App
	return [][]key.Binding{
		{n.Up, n.Down, n.Select, n.PageUp, n.PageDown, n.Top, n.Bottom, n.FocusLogs, n.FocusTable, n.MouseWheelUp},
		{nd.Restart, nd.Kill, nd.Pause},
		{k.Chaos.Partition, k.Chaos.Heal, k.Chaos.Faults},
		{k.Load.Start, k.Load.Stop, k.Load.Faster, k.Load.Slower},
		{k.Checks.Run},
		{l.View, l.Zoom, l.Search, l.Next, l.Prev, l.Filter, l.Save, l.Clear},
		{a.Help, a.Quit},
	}
}

// fullHelpTitles names the FullHelp columns, in order.
func (k keyMap) fullHelpTitles() []string {
	return []string{"Navigate", "Nodes", "Chaos", "Load", "Checks", "Logs", "App"}
}

// guarded are the bindings that say why when pressed while disabled.
func (k keyMap) guarded() []key.Binding {
	return []key.Binding{k.Nodes.Restart, k.Nodes.Kill, k.Nodes.Pause, k.Chaos.Partition, k.Chaos.Heal,
		k.Chaos.Faults, k.Load.Start, k.Load.Stop, k.Load.Faster, k.Load.Slower, k.Checks.Run, k.Logs.Next, k.Logs.Prev}
}

// keyState is what the enabled state of the keys depends on.
type keyState struct {
	readOnly  bool
	quitting  bool
	node      *cluster.NodeSnapshot // the selected node, nil when none
	searching bool                  // a search query is set

	chaosErr    string // why there is no network fault backend, "" when there is one
	faulted     bool   // some network fault is in force (heal has work)
	loadRunning bool   // a load run is going
	checking    bool   // a checks run is going
}

// update derives every binding's enabled state and disabled reason.
func (k *keyMap) update(st keyState) {
	k.why = map[string]string{}
	set := func(b *key.Binding, reason string) {
		b.SetEnabled(reason == "")
		if reason != "" {
			k.why[b.Help().Key] = reason
		}
	}
	nodeReason := func(needAlive bool) string {
		switch {
		case st.readOnly:
			return "read-only console"
		case st.quitting:
			return "the cluster is stopping"
		case st.node == nil:
			return "no node selected"
		case needAlive && !alive(st.node.State):
			return fmt.Sprintf("node %d is %s", st.node.ID, st.node.State)
		}
		return ""
	}
	set(&k.Nodes.Restart, nodeReason(false))
	set(&k.Nodes.Kill, nodeReason(true))
	pauseReason := nodeReason(true)
	if pauseReason == "" && st.node.State == cluster.NodeStarting {
		pauseReason = fmt.Sprintf("node %d is still starting", st.node.ID)
	}
	set(&k.Nodes.Pause, pauseReason)
	if st.node != nil && st.node.State == cluster.NodePaused {
		k.Nodes.Pause.SetHelp("z", "continue node")
	} else {
		k.Nodes.Pause.SetHelp("z", "pause node")
	}
	changeReason := func() string {
		switch {
		case st.readOnly:
			return "read-only console"
		case st.quitting:
			return "the cluster is stopping"
		}
		return ""
	}
	chaosReason := changeReason()
	if chaosReason == "" && st.chaosErr != "" {
		chaosReason = st.chaosErr
	}
	set(&k.Chaos.Partition, chaosReason)
	set(&k.Chaos.Faults, chaosReason)
	healReason := chaosReason
	if healReason == "" && !st.faulted {
		healReason = "nothing to heal: no partition, loss or delay in force"
	}
	set(&k.Chaos.Heal, healReason)
	loadReason := changeReason()
	if loadReason == "" && st.loadRunning {
		loadReason = "a load run is going: L stops it"
	}
	set(&k.Load.Start, loadReason)
	rateReason := changeReason()
	if rateReason == "" && !st.loadRunning {
		rateReason = "no load running: l starts one"
	}
	set(&k.Load.Stop, rateReason)
	set(&k.Load.Faster, rateReason)
	set(&k.Load.Slower, rateReason)
	checkReason := ""
	switch {
	case st.quitting:
		checkReason = "the cluster is stopping"
	case st.checking:
		checkReason = "checks are running"
	}
	set(&k.Checks.Run, checkReason)
	searchReason := ""
	if !st.searching {
		searchReason = "no search: press / first"
	}
	set(&k.Logs.Next, searchReason)
	set(&k.Logs.Prev, searchReason)
}

// pressed reports whether msg is one of b's keys, enabled or not.
func pressed(msg tea.KeyMsg, b key.Binding) bool {
	s := msg.String()
	for _, k := range b.Keys() {
		if k == s {
			return true
		}
	}
	return false
}

// alive reports whether a node's process exists.
func alive(s cluster.NodeState) bool {
	return s == cluster.NodeStarting || s == cluster.NodeRunning || s == cluster.NodePaused
}
