package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestSimBadFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string // the one-line reason names the flag
	}{
		{[]string{"--slots", "10", "--seed", "1"}, "--nodes is required"},
		{[]string{"--nodes", "10", "--seed", "1"}, "--slots is required"},
		{[]string{"--nodes", "10", "--slots", "10"}, "--seed is required"},
		{[]string{"--nodes", "10", "--slots", "50", "--seed", "1", "--partition", "1-7|8-11@40-200"}, "--partition: node 11 of 10 does not exist"},
		{[]string{"--nodes", "10", "--slots", "50", "--seed", "1", "--partition", "1-7|8-10"}, "--partition"},
		{[]string{"--nodes", "10", "--slots", "50", "--seed", "1", "--partition", "1-7|7-10@40-200"}, "node 7 is in two groups"},
		{[]string{"--nodes", "10", "--slots", "50", "--seed", "1", "--partition", "1-7|8-10@200-40"}, "heal slot"},
		{[]string{"--nodes", "3", "--slots", "50", "--seed", "1", "--stakes", "1,2"}, "--stakes: 2 values for 3 nodes"},
		{[]string{"--nodes", "3", "--slots", "50", "--seed", "1", "--stakes", "1,x,2"}, "--stakes"},
		{[]string{"--nodes", "3", "--slots", "50", "--seed", "1", "--loss", "1.5"}, "--loss"},
		{[]string{"--nodes", "0", "--slots", "50", "--seed", "1"}, "--nodes 0"},
		{[]string{"--nodes", "3", "--slots", "50", "--seed", "1", "--kill", "4@10-20"}, "--kill: node 4 of 3"},
		{[]string{"--nodes", "3", "--slots", "50", "--seed", "1", "--slot-ms", "abc"}, "slot-ms"},
		{[]string{"--nodes", "3", "--slots", "50", "--seed", "1", "extra"}, "unexpected argument"},
	}
	for _, tc := range tests {
		var out, errb bytes.Buffer
		code := run(append([]string{"sim"}, tc.args...), &out, &errb)
		first, _, _ := strings.Cut(errb.String(), "\n")
		if code != exitUsage || !strings.Contains(first, tc.want) {
			t.Errorf("%v: exit %d, first line %q, want 2 and %q", tc.args, code, first, tc.want)
		}
		if out.Len() != 0 {
			t.Errorf("%v: wrote to stdout: %q", tc.args, out.String())
		}
	}
}

func TestSimJSON(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"sim", "--nodes", "5", "--slots", "120", "--seed", "3", "--partition", "1-3|4-5@30-80", "--txs-per-slot", "2", "--json"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var res map[string]any
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	for _, k := range []string{"seed", "nodes", "max_forks", "partition", "converged", "converged_after_heal_ms", "new_roots_after_heal", "rooted_after_heal_ms", "transcript_hash"} {
		if _, ok := res[k]; !ok {
			t.Errorf("missing key %q", k)
		}
	}
	nodes := res["nodes"].([]any)
	if len(nodes) != 5 {
		t.Fatalf("%d nodes", len(nodes))
	}
	for _, k := range []string{"id", "pubkey", "processed", "confirmed", "root", "root_hash", "votes_cast", "blocks_produced"} {
		if _, ok := nodes[0].(map[string]any)[k]; !ok {
			t.Errorf("node missing key %q", k)
		}
	}
	p := res["partition"].(map[string]any)
	sides := p["sides"].([]any)
	if p["start_slot"].(float64) != 30 || p["heal_slot"].(float64) != 80 || len(sides) != 2 {
		t.Fatalf("partition %v", p)
	}
	s0 := sides[0].(map[string]any)
	if s0["stake_fraction"].(float64) != 0.6 || s0["confirmed_advanced"] == nil || len(s0["nodes"].([]any)) != 3 {
		t.Fatalf("side 1 %v", s0)
	}

	// Same seed, same transcript.
	var again bytes.Buffer
	run([]string{"sim", "--nodes", "5", "--slots", "120", "--seed", "3", "--partition", "1-3|4-5@30-80", "--txs-per-slot", "2", "--json"}, &again, &errb)
	var res2 map[string]any
	if err := json.Unmarshal(again.Bytes(), &res2); err != nil || res2["transcript_hash"] != res["transcript_hash"] {
		t.Fatalf("rerun transcript %v vs %v (%v)", res2["transcript_hash"], res["transcript_hash"], err)
	}
}

func TestSimHuman(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"sim", "--nodes", "4", "--slots", "100", "--seed", "2", "--partition", "1-3|4@20-50"}, &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	s := out.String()
	for _, want := range []string{"timeline", "partition: 3 nodes (75.0% stake) | 1 node (25.0% stake)", "heal: every link restored", "processed", "root hash", "max forks", "converged", "transcript"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q\n%s", want, s)
		}
	}
	if lines := strings.Count(s, "\n"); lines < 15 {
		t.Errorf("only %d lines", lines)
	}
}

func TestSimHelp(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"sim", "--help"}, &out, &errb); code != exitOK || !strings.Contains(out.String(), "--partition") {
		t.Fatalf("exit %d, help %q", code, out.String())
	}
}
