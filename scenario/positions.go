package scenario

import (
	"github.com/pelletier/go-toml/v2/unstable"
)

// positions records the line of every key a file sets: top-level keys and,
// per step, the step's own keys. Steps written as [[step]] tables and as
// inline tables in `step = [...]` are both found.
type positions struct {
	top   map[string]int
	steps []stepPos
}

// stepPos is one step's header line and the line of each of its keys.
type stepPos struct {
	line int
	keys map[string]int
}

// keyLine is the line of key in step i (the step's header when the key is
// not written), or 0 when unknown.
func (p positions) keyLine(i int, key string) int {
	if i < 0 || i >= len(p.steps) {
		return 0
	}
	if l, ok := p.steps[i].keys[key]; ok {
		return l
	}
	return p.steps[i].line
}

// has reports whether step i writes key.
func (p positions) has(i int, key string) bool {
	if i < 0 || i >= len(p.steps) {
		return false
	}
	_, ok := p.steps[i].keys[key]
	return ok
}

// stepLine is the line where step i begins, 0 when unknown.
func (p positions) stepLine(i int) int {
	if i < 0 || i >= len(p.steps) {
		return 0
	}
	return p.steps[i].line
}

// scanPositions walks the document's expressions with go-toml's parser.
func scanPositions(data []byte) (positions, error) {
	pos := positions{top: map[string]int{}}
	var p unstable.Parser
	p.Reset(data)
	line := func(n *unstable.Node) int { return p.Shape(n.Raw).Start.Line }
	inStep := false
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.ArrayTable, unstable.Table:
			key := keyOf(e.Key())
			inStep = e.Kind == unstable.ArrayTable && key == "step"
			if inStep {
				k := e.Key()
				k.Next()
				pos.steps = append(pos.steps, stepPos{line: line(k.Node()), keys: map[string]int{}})
			}
		case unstable.KeyValue:
			key := keyOf(e.Key())
			switch {
			case inStep:
				pos.steps[len(pos.steps)-1].keys[key] = line(e)
			case key == "step" && e.Value().Kind == unstable.Array:
				pos.top[key] = line(e)
				for it := e.Value().Children(); it.Next(); {
					t := it.Node()
					sp := stepPos{line: p.Shape(t.Raw).Start.Line, keys: map[string]int{}}
					if t.Kind == unstable.InlineTable {
						for kv := t.Children(); kv.Next(); {
							sp.keys[keyOf(kv.Node().Key())] = line(kv.Node())
						}
						if len(sp.keys) > 0 && sp.line == 0 {
							sp.line = line(t.Child())
						}
					}
					if sp.line <= 1 {
						sp.line = line(e)
					}
					pos.steps = append(pos.steps, sp)
				}
			default:
				pos.top[key] = line(e)
			}
		}
	}
	return pos, p.Error()
}

// keyOf joins a dotted key.
func keyOf(it unstable.Iterator) string {
	s := ""
	for it.Next() {
		if s != "" {
			s += "."
		}
		s += string(it.Node().Data)
	}
	return s
}
