package sim

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePartition(t *testing.T) {
	tests := []struct {
		in      string
		groups  [][]int
		start   uint64
		heal    uint64
		wantErr string
	}{
		{"1-7|8-10@40-200", [][]int{{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10}}, 40, 200, ""},
		{"1,3|2@5-9", [][]int{{1, 3}, {2}}, 5, 9, ""},
		{"1-2|3-4|5@0-1", [][]int{{1, 2}, {3, 4}, {5}}, 0, 1, ""},
		{"1-7|8-10", nil, 0, 0, "missing @start-heal"},
		{"1-7@40-200", nil, 0, 0, "at least two groups"},
		{"1-7|x@40-200", nil, 0, 0, `node "x"`},
		{"7-1|8@40-200", nil, 0, 0, "backwards"},
		{"1|2@40", nil, 0, 0, "start-heal"},
		{"1||2@4-5", nil, 0, 0, "empty group"},
	}
	for _, tc := range tests {
		p, err := ParsePartition(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "--partition") {
				t.Errorf("%q: err %v, want one naming --partition and %q", tc.in, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(p.Groups, tc.groups) || p.StartSlot != tc.start || p.HealSlot != tc.heal {
			t.Errorf("%q: %+v %v", tc.in, p, err)
		}
	}
}

func TestParseKillAndStakes(t *testing.T) {
	k, err := ParseKill("3@50-120")
	if err != nil || *k != (Kill{Node: 3, FromSlot: 50, ToSlot: 120}) {
		t.Fatalf("kill %+v %v", k, err)
	}
	for _, bad := range []string{"3", "x@1-2", "3@1", "3@a-2"} {
		if _, err := ParseKill(bad); err == nil || !strings.HasPrefix(err.Error(), "--kill") {
			t.Errorf("kill %q: %v", bad, err)
		}
	}
	s, err := ParseStakes("1, 2,3")
	if err != nil || !reflect.DeepEqual(s, []uint64{1, 2, 3}) {
		t.Fatalf("stakes %v %v", s, err)
	}
	if _, err := ParseStakes("1,-2"); err == nil {
		t.Fatal("negative stake accepted")
	}
}

func TestConfigValidateNamesEveryProblem(t *testing.T) {
	c := DefaultConfig()
	c.Nodes, c.Slots, c.SlotMs, c.Loss = 3, 0, 5, 1
	c.Stakes = []uint64{1, 0}
	c.Partition = &Partition{Groups: [][]int{{1, 4}, {1}}, StartSlot: 9, HealSlot: 9}
	c.Kill = &Kill{Node: 9, FromSlot: 5, ToSlot: 5}
	err := c.Validate()
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{"--slots", "--slot-ms", "--stakes: 2 values", "--stakes: node 2 has stake 0", "--loss", "node 4 of 3", "node 1 is in two groups", "heal slot 9", "--kill: node 9 of 3", "restart slot 5"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
