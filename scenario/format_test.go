package scenario

import (
	"errors"
	"strings"
	"testing"
)

const header = "name = \"t\"\n[[step]]\nstart = true\nnodes = 5\n"

// TestParseBadFiles: every bad file is refused with ErrDecode, and the
// message names the file, the line and the key.
func TestParseBadFiles(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want []string // substrings of the error
	}{
		{"unknown key", header + "[[step]]\nisolate = 2\nbogus = 1\n", []string{"f.toml:7:1", "unknown key step.bogus"}},
		{"unknown top key", "nmae = \"x\"\n" + header, []string{"f.toml:1:1", "unknown key nmae"}},
		{"wrong type", header + "[[step]]\nisolate = \"two\"\n", []string{"f.toml:6", "step.isolate"}},
		{"syntax", header + "[[step]\n", []string{"f.toml:5"}},
		{"no steps", "name = \"x\"\n", []string{"f.toml", "no steps"}},
		{"two actions", header + "[[step]]\nisolate = 2\nheal = true\n", []string{"f.toml:7: step 2: heal:", "one action"}},
		{"at and after", header + "[[step]]\nat = \"3s\"\nafter = \"4s\"\nheal = true\n", []string{"f.toml:7: step 2: after:", "not both"}},
		{"bad at", header + "[[step]]\nat = \"soon\"\nheal = true\n", []string{"f.toml:6: step 2: at:"}},
		{"bad condition", header + "[[step]]\nafter = \"height >= 3\"\n", []string{"f.toml:6: step 2: after:", "unknown metric"}},
		{"timeout without condition", header + "[[step]]\nafter = \"3s\"\ntimeout = \"1m\"\nheal = true\n", []string{"f.toml:7: step 2: timeout:"}},
		{"start not first", header + "[[step]]\nstart = true\n", []string{"f.toml:6: step 2: start:", "only the first"}},
		{"too many nodes", "[[step]]\nstart = true\nnodes = 65\n", []string{"f.toml:3: step 1: nodes:"}},
		{"slot too short", "[[step]]\nstart = true\nslot_ms = 5\n", []string{"f.toml:3: step 1: slot_ms:"}},
		{"nodes without start", header + "[[step]]\nheal = true\nnodes = 3\n", []string{"f.toml:7: step 2: nodes:", "start only"}},
		{"unknown check", header + "[[step]]\ncheck = \"speed\"\n", []string{"f.toml:6: step 2: check:", "unknown check"}},
		{"check before heal", header + "[[step]]\ncheck = \"fork-resolution\"\n", []string{"f.toml:6: step 2: check:", "heal step before"}},
		{"threshold of another check", header + "[[step]]\ncheck = \"votes\"\nmax = \"3s\"\n", []string{"f.toml:7: step 2: max:", "not a threshold"}},
		{"threshold without check", header + "[[step]]\nheal = true\nmax = \"3s\"\n", []string{"f.toml:7: step 2: max:", "check = NAME"}},
		{"bad max", header + "[[step]]\ncheck = \"peer-discovery\"\nmax = \"-1s\"\n", []string{"f.toml:7: step 2: max:"}},
		{"loss out of range", header + "[[step]]\nloss = 120.0\n", []string{"f.toml:6: step 2: loss:"}},
		{"delay not ms", header + "[[step]]\ndelay = \"1500us\"\n", []string{"f.toml:6: step 2: delay:"}},
		{"jitter without delay", header + "[[step]]\nloss = 5.0\njitter = \"5ms\"\n", []string{"f.toml:7: step 2: jitter:", "delay only"}},
		{"peer without node", header + "[[step]]\nloss = 5.0\npeer = \"2\"\n", []string{"f.toml:7: step 2: peer:", "needs node"}},
		{"node zero", header + "[[step]]\npause = 0\n", []string{"f.toml:6: step 2: pause:", "not a node"}},
		{"heal false", header + "[[step]]\nheal = false\n", []string{"f.toml:6: step 2: heal:"}},
		{"empty step", header + "[[step]]\nnote = \"x\"\n", []string{"f.toml:5: step 2: step:", "no action"}},
		{"load without duration", header + "[[step]]\nload = \"200\"\n", []string{"f.toml:5: step 2: duration:", "positive duration"}},
		{"bad load spec", header + "[[step]]\nload = \"lots\"\nduration = \"5s\"\n", []string{"f.toml:6: step 2: load:", "not a rate"}},
		{"cooldown without steps", header + "[[step]]\nload = \"200\"\nduration = \"5s\"\ncooldown = \"1s\"\n", []string{"f.toml:8: step 2: cooldown:"}},
		{"bad sender", header + "[[step]]\nload = \"200\"\nduration = \"5s\"\nsender = \"udp\"\n", []string{"f.toml:8: step 2: sender:"}},
		{"load check without load", header + "[[step]]\ncheck = \"load\"\n", []string{"f.toml:6: step 2: check:", "add one before it"}},
		{"duration without load", header + "[[step]]\nheal = true\nduration = \"5s\"\n", []string{"f.toml:7: step 2: duration:", "load only"}},
		{"inline step", "step = [ {start = true},\n  {check = \"votes\", max = \"2s\"} ]\n", []string{"f.toml:2: step 2: max:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("f.toml", []byte(c.src))
			if err == nil {
				t.Fatalf("no error for\n%s", c.src)
			}
			if !errors.Is(err, ErrDecode) {
				t.Errorf("error does not wrap ErrDecode: %v", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// TestValidateReportsEveryProblem: two problems in two steps give two
// errors, each with its own line.
func TestValidateReportsEveryProblem(t *testing.T) {
	src := header + "[[step]]\nisolate = 0\n[[step]]\ncheck = \"nope\"\n"
	_, err := Parse("f.toml", []byte(src))
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"f.toml:6: step 2: isolate", "f.toml:8: step 3: check"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q:\n%v", w, err)
		}
	}
}

// TestParseGoodFile decodes every kind of step.
func TestParseGoodFile(t *testing.T) {
	src := `name = "all"
description = "every action"
[[step]]
start = true
nodes = 4
slot_ms = 200
[[step]]
after = "peers == all"
timeout = "30s"
[[step]]
partition = "2|2"
[[step]]
at = "20s"
heal = true
[[step]]
loss = 5.5
node = "1-2"
peer = "3"
[[step]]
delay = "40ms"
jitter = "10ms"
[[step]]
pause = 2
[[step]]
after = "2s"
resume = 2
[[step]]
kill = 3
[[step]]
restart = 3
[[step]]
check = "recovered"
new_roots = 8
max = "90s"
[[step]]
check = "leader-rotation"
slots = 40
max_skip_rate = 0.3
`
	sc, err := Parse("f.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if sc.Nodes() != 4 || sc.SlotMS() != 200 || len(sc.Steps) != 12 {
		t.Fatalf("nodes %d slot %d steps %d", sc.Nodes(), sc.SlotMS(), len(sc.Steps))
	}
	want := []string{"start", "wait peers == all", "partition 2|2", "heal", "loss 5.5% on node 1-2 to 3",
		"delay 40ms ± 10ms", "pause 2", "resume 2", "kill 3", "restart 3", "check recovered", "check leader-rotation"}
	for i, s := range sc.Steps {
		if got := describe(s); got != want[i] {
			t.Errorf("step %d: %q, want %q", i+1, got, want[i])
		}
	}
	if err := sc.Resolve(4); err != nil {
		t.Errorf("resolve 4: %v", err)
	}
	if l := sc.pos.stepLine(3); l != 12 {
		t.Errorf("step 4 line %d, want 12", l)
	}
}

// TestResolveAgainstClusterSize: node numbers and specs beyond the
// cluster's size are named with their line.
func TestResolveAgainstClusterSize(t *testing.T) {
	src := header + "[[step]]\nisolate = 4\n[[step]]\npartition = \"1-2|3-6\"\n[[step]]\nloss = 1.0\nnode = \"9\"\n"
	sc, err := Parse("f.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Resolve(5); err == nil || !strings.Contains(err.Error(), "f.toml:11: step 4: node") {
		t.Errorf("resolve 5: want node 9 refused, got %v", err)
	}
	err = sc.Resolve(3)
	for _, w := range []string{"f.toml:6: step 2: isolate", "f.toml:8: step 3: partition", "f.toml:11: step 4: node"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("resolve 3: error lacks %q: %v", w, err)
		}
	}
	if !errors.Is(err, ErrDecode) {
		t.Errorf("resolve error does not wrap ErrDecode")
	}
}

// TestBuiltinsParse: every built-in decodes, validates for its own size
// and has a description.
func TestBuiltinsParse(t *testing.T) {
	bs := Builtins()
	names := map[string]bool{}
	for _, b := range bs {
		names[b.Name] = true
		sc, err := Parse("builtin:"+b.Name, b.Source)
		if err != nil {
			t.Errorf("%s: %v", b.Name, err)
			continue
		}
		if sc.Name != b.Name || b.Description == "" {
			t.Errorf("%s: name %q, description %q", b.Name, sc.Name, b.Description)
		}
		if err := sc.Resolve(sc.Nodes()); err != nil {
			t.Errorf("%s: %v", b.Name, err)
		}
	}
	for _, want := range []string{"fork-resolution", "peer-discovery", "vote-aggregation", "leader-rotation", "packet-loss"} {
		if !names[want] {
			t.Errorf("no built-in %s", want)
		}
	}
	if _, err := Load("no-such-scenario"); !errors.Is(err, ErrUnknown) {
		t.Errorf("Load of an unknown name: %v", err)
	}
	if _, ok := BuiltinSource("../doc"); ok {
		t.Error("BuiltinSource accepted a path")
	}
}
