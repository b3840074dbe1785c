package scenario

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

//go:embed builtin/*.toml
var builtinFS embed.FS

// ErrUnknown is returned for a name that is neither a file nor a built-in.
var ErrUnknown = errors.New("scenario: no such file or built-in")

// Builtin is one built-in scenario.
type Builtin struct {
	Name        string
	Description string
	Source      []byte // the TOML file
}

// Builtins lists the built-in scenarios, sorted by name.
func Builtins() []Builtin {
	entries, _ := fs.ReadDir(builtinFS, "builtin")
	var out []Builtin
	for _, e := range entries {
		src, err := builtinFS.ReadFile(path.Join("builtin", e.Name()))
		if err != nil {
			continue
		}
		b := Builtin{Name: strings.TrimSuffix(e.Name(), ".toml"), Source: src}
		if sc, err := Parse("builtin:"+b.Name, src); err == nil {
			b.Description = sc.Description
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b Builtin) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// BuiltinSource returns the TOML of the built-in name.
func BuiltinSource(name string) ([]byte, bool) {
	src, err := builtinFS.ReadFile(path.Join("builtin", name+".toml"))
	return src, err == nil && !strings.ContainsAny(name, "/\\")
}

// Load reads arg as a file when one exists at that path, else as the name
// of a built-in. Decoding and validation errors wrap ErrDecode.
func Load(arg string) (*Scenario, error) {
	data, err := os.ReadFile(arg)
	if err == nil {
		return Parse(arg, data)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("scenario %s: %w", arg, err)
	}
	if src, ok := BuiltinSource(arg); ok {
		return Parse("builtin:"+arg, src)
	}
	var names []string
	for _, b := range Builtins() {
		names = append(names, b.Name)
	}
	return nil, fmt.Errorf("%w: %s (built-ins: %s)", ErrUnknown, arg, strings.Join(names, ", "))
}
