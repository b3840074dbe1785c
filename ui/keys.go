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
	Pause   key.Binding // stop (SIGSTOP) or continue (SIGCONT)
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

// keyMap is every key the console answers, in named groups. Chaos, Load and
// Checks groups join here when those engines reach the screen. It is built
// by newKeyMap and owned by the Model (never a package variable).
type keyMap struct {
	Navigate navigateKeys
	Nodes    nodeKeys
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
			FocusLogs:    b("l/→", "focus logs", "l", "right"),
			FocusTable:   b("h/←", "focus table", "h", "left"),
			MouseWheelUp: key.NewBinding(key.WithKeys("wheel"), key.WithHelp("wheel", "scroll logs")), // a mouse event; never a key
		},
		Nodes: nodeKeys{
			Restart: b("r", "restart node", "r"),
			Kill:    b("x", "kill node", "x"),
			Pause:   b("s", "stop node", "s"),
		},
		Logs: logKeys{
			View:   b("tab", "next view", "tab"),
			Zoom:   b("z/enter", "zoom", "z", "enter"),
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
	return []key.Binding{k.App.Help, k.Nodes.Restart, k.Nodes.Kill, k.Nodes.Pause,
		k.Logs.View, k.Logs.Search, k.Logs.Zoom, k.App.Quit}
}

// FullHelp is the help screen, one column per group.
func (k keyMap) FullHelp() [][]key.Binding {
	n, nd, l, a := k.Navigate, k.Nodes, k.Logs, k.App
	return [][]key.Binding{
		{n.Up, n.Down, n.Select, n.PageUp, n.PageDown, n.Top, n.Bottom, n.FocusLogs, n.FocusTable, n.MouseWheelUp},
		{nd.Restart, nd.Kill, nd.Pause},
		{l.View, l.Zoom, l.Search, l.Next, l.Prev, l.Filter, l.Save, l.Clear},
		{a.Help, a.Quit},
	}
}

// fullHelpTitles names the FullHelp columns, in order.
func (k keyMap) fullHelpTitles() []string { return []string{"Navigate", "Nodes", "Logs", "App"} }

// keyState is what the enabled state of the keys depends on.
type keyState struct {
	readOnly  bool
	quitting  bool
	node      *cluster.NodeSnapshot // the selected node, nil when none
	searching bool                  // a search query is set
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
		k.Nodes.Pause.SetHelp("s", "continue node")
	} else {
		k.Nodes.Pause.SetHelp("s", "stop node")
	}
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
