package core

import (
	"reflect"
	"testing"
)

// forkTree builds:
//
//	0 ─ 1 ─ 2 ─ 3 ─ 5 ─ 7   (fork A)
//	         └─ 4 ─ 6       (fork B)
func forkTree(stakes ...uint64) *ForkChoice {
	fc := NewForkChoice(0, stakes)
	for _, e := range [][2]uint64{{1, 0}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {6, 4}, {7, 5}} {
		fc.Add(e[0], e[1])
	}
	return fc
}

func TestForkChoiceBest(t *testing.T) {
	type vote struct {
		v    int
		slot uint64
	}
	tests := []struct {
		name   string
		stakes []uint64
		votes  []vote
		best   uint64
		weight map[uint64]uint64
	}{
		{"no votes: ties go to the lower slot", []uint64{1, 1, 1}, nil, 7, map[uint64]uint64{0: 0, 3: 0, 4: 0}},
		{"one vote pulls to its fork", []uint64{1, 1, 1}, []vote{{0, 6}}, 6, map[uint64]uint64{0: 1, 2: 1, 4: 1, 6: 1, 3: 0}},
		{"equal forks tie to the lower slot", []uint64{1, 1, 1}, []vote{{0, 5}, {1, 6}}, 7, map[uint64]uint64{3: 1, 4: 1, 2: 2}},
		{"heavier subtree wins", []uint64{1, 1, 1}, []vote{{0, 5}, {1, 6}, {2, 4}}, 6, map[uint64]uint64{3: 1, 4: 2, 0: 3}},
		{"stake, not voter count", []uint64{5, 1, 1}, []vote{{0, 5}, {1, 6}, {2, 4}}, 7, map[uint64]uint64{3: 5, 4: 2}},
		{"a newer vote moves the stake", []uint64{1, 1, 1}, []vote{{0, 5}, {0, 6}}, 6, map[uint64]uint64{3: 0, 4: 1}},
		{"an older vote is ignored", []uint64{1, 1, 1}, []vote{{0, 6}, {0, 5}}, 6, map[uint64]uint64{3: 0, 4: 1}},
		{"a vote on an unknown slot counts nowhere", []uint64{1, 1, 1}, []vote{{0, 99}, {1, 6}}, 6, map[uint64]uint64{0: 1}},
		{"a vote on an unknown slot keeps the older vote", []uint64{1, 1, 1}, []vote{{0, 5}, {0, 99}, {1, 6}}, 7, map[uint64]uint64{0: 2, 3: 1}},
		{"a vote on an inner slot weighs its subtree", []uint64{1, 1, 1}, []vote{{0, 3}, {1, 6}, {2, 3}}, 7, map[uint64]uint64{3: 2, 5: 0, 4: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := forkTree(tc.stakes...)
			for _, v := range tc.votes {
				fc.Vote(v.v, v.slot)
			}
			if got := fc.Best(); got != tc.best {
				t.Errorf("Best = %d, want %d", got, tc.best)
			}
			for s, w := range tc.weight {
				if got := fc.Weight(s); got != w {
					t.Errorf("Weight(%d) = %d, want %d", s, got, w)
				}
			}
		})
	}
}

func TestForkChoiceLateSlotPicksUpVotes(t *testing.T) {
	fc := forkTree(1, 1, 1)
	fc.Vote(0, 8)
	fc.Vote(1, 8)
	if fc.Best() != 7 {
		t.Fatalf("before slot 8 exists: best %d", fc.Best())
	}
	fc.Add(8, 6)
	if fc.Best() != 8 || fc.Weight(4) != 2 {
		t.Fatalf("after adding 8 under 6: best %d weight(4) %d", fc.Best(), fc.Weight(4))
	}
}

func TestForkChoiceBestFromAndLeaves(t *testing.T) {
	fc := forkTree(1, 1)
	fc.Vote(0, 6)
	fc.Vote(1, 6)
	if got := fc.BestFrom(3); got != 7 {
		t.Errorf("BestFrom(3) = %d, want 7", got)
	}
	if got := fc.Leaves(); !reflect.DeepEqual(got, []uint64{6, 7}) {
		t.Errorf("Leaves = %v", got)
	}
}

func TestForkChoiceAncestry(t *testing.T) {
	fc := forkTree(1)
	tests := []struct {
		a, b uint64
		want bool
	}{
		{2, 7, true}, {3, 7, true}, {7, 7, true}, {4, 7, false}, {3, 6, false}, {6, 4, false}, {0, 6, true}, {9, 9, true}, {2, 9, false},
	}
	for _, tc := range tests {
		if got := fc.IsAncestorOrEqual(tc.a, tc.b); got != tc.want {
			t.Errorf("IsAncestorOrEqual(%d, %d) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestForkChoiceSetRootPrunes(t *testing.T) {
	fc := forkTree(1, 1)
	fc.Vote(0, 6)
	dropped := fc.SetRoot(4)
	if !reflect.DeepEqual(dropped, []uint64{0, 1, 2, 3, 5, 7}) {
		t.Fatalf("dropped %v", dropped)
	}
	if fc.Root() != 4 || !fc.Contains(6) || fc.Contains(5) || fc.Best() != 6 || fc.Weight(4) != 1 {
		t.Fatalf("after SetRoot(4): root %d best %d weight %d", fc.Root(), fc.Best(), fc.Weight(4))
	}
	// Rooted history below the root is an ancestor of everything left.
	if !fc.IsAncestorOrEqual(2, 6) {
		t.Fatal("slot 2 (rooted history) should be an ancestor of 6")
	}
	fc.Add(8, 5) // parent pruned: ignored
	if fc.Contains(8) {
		t.Fatal("a child of a pruned slot was added")
	}
}

func TestThresholdArithmetic(t *testing.T) {
	tests := []struct {
		stake, total   uint64
		two3, switch38 bool
	}{
		{2, 3, false, true}, // 2 of 3 equal stakes is not more than 2/3
		{3, 3, true, true},  //
		{200, 300, false, true},
		{201, 300, true, true},
		{66, 100, false, true},
		{67, 100, true, true},
		{38, 100, false, false}, // exactly 38% is not more than 38%
		{39, 100, false, true},
		{19, 50, false, false},
		{1, 3, false, false},
		{0, 3, false, false},
	}
	for _, tc := range tests {
		if got := ThresholdMet(tc.stake, tc.total); got != tc.two3 {
			t.Errorf("ThresholdMet(%d, %d) = %v, want %v", tc.stake, tc.total, got, tc.two3)
		}
		if got := SwitchThresholdMet(tc.stake, tc.total); got != tc.switch38 {
			t.Errorf("SwitchThresholdMet(%d, %d) = %v, want %v", tc.stake, tc.total, got, tc.switch38)
		}
	}
}

// chain builds a straight line 0 ─ 1 ─ … ─ n.
func chain(n uint64, stakes ...uint64) *ForkChoice {
	fc := NewForkChoice(0, stakes)
	for s := uint64(1); s <= n; s++ {
		fc.Add(s, s-1)
	}
	return fc
}

func TestThresholdCheck(t *testing.T) {
	deep := votesTower(1, 2, 3, 4, 5, 6, 7, 8, 9) // voting 10 makes slot 2 the depth-8 vote, its count grows
	tests := []struct {
		name   string
		tower  Tower
		stakes []uint64
		latest []uint64 // validator 0 is self
		want   bool
	}{
		{"shallow tower skips the check", votesTower(1, 2, 3), []uint64{1, 1, 1}, []uint64{0, 0, 0}, true},
		{"only own stake", deep, []uint64{1, 1, 1}, []uint64{0, 1, 1}, false},
		{"2 of 3 equal stakes fails", deep, []uint64{1, 1, 1}, []uint64{0, 2, 1}, false},
		{"3 of 3 passes", deep, []uint64{1, 1, 1}, []uint64{0, 5, 2}, true},
		{"67 of 100 passes", deep, []uint64{34, 33, 33}, []uint64{0, 9, 0}, true},
		{"66 of 100 fails", deep, []uint64{33, 33, 34}, []uint64{0, 9, 1}, false},
		{"descendant votes count", deep, []uint64{1, 1, 1}, []uint64{0, 12, 3}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := chain(12, tc.stakes...)
			var total uint64
			for _, s := range tc.stakes {
				total += s
			}
			if got := ThresholdCheck(tc.tower, 10, fc, tc.latest, tc.stakes, 0, total); got != tc.want {
				t.Errorf("ThresholdCheck = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestThresholdCheckUnchangedCountPasses(t *testing.T) {
	// Tower 1..9 then 11: the depth-8 vote after voting 12 keeps its count
	// when the top vote expired instead of adding depth.
	tw := votesTower(1, 2, 3, 4, 5, 6, 7, 8, 9)
	fc := chain(20, 1, 1, 1)
	after := tw.Clone()
	after.ProcessVote(11)
	tv, _ := after.NthRecent(VoteThresholdDepth)
	unchanged := false
	for _, old := range tw.Votes {
		if old == tv {
			unchanged = true
		}
	}
	if got := ThresholdCheck(tw, 11, fc, []uint64{0, 0, 0}, []uint64{1, 1, 1}, 0, 3); got != unchanged {
		t.Fatalf("ThresholdCheck = %v with depth-8 vote %+v unchanged=%v", got, tv, unchanged)
	}
}

func TestLockedOut(t *testing.T) {
	tests := []struct {
		name  string
		tower Tower
		s     uint64
		want  bool
	}{
		{"descendant on the same fork", votesTower(3), 5, false},
		{"other fork while locked out", votesTower(3), 4, true},     // 3 locked out until 5; 4 is on fork B
		{"other fork after expiry", votesTower(3), 6, false},        // 3 expired at 6 (3+2 < 6)
		{"deep lockout still binds", votesTower(3, 5, 7), 10, true}, // 7 and 5 expire at 9, 3 (conf 3) holds until 11
		{"all expired", votesTower(3, 5, 7), 12, false},
		{"not above the last vote", votesTower(5), 5, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fc := forkTree(1)
			fc.Add(10, 6)
			fc.Add(12, 10)
			if got := LockedOut(tc.tower, tc.s, fc); got != tc.want {
				t.Errorf("LockedOut = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestSwitchStake(t *testing.T) {
	fc := forkTree(10, 10, 10, 10, 10, 10)
	towers := [][]Lockout{
		{{5, 1}},         // 0: self, never counted
		{{4, 2}},         // 1: fork B, locked until 8 ≥ 7: counts
		{{3, 1}},         // 2: ancestor of 7: never counts
		{{4, 1}},         // 3: fork B but expired at 6 < 7
		{{2, 1}, {6, 1}}, // 4: 6 on fork B, locked until 8: counts
		{{7, 1}},         // 5: the last vote itself
	}
	stakes := []uint64{10, 10, 10, 10, 10, 10}
	if got := SwitchStake(fc, 7, towers, stakes, 0); got != 20 {
		t.Fatalf("SwitchStake = %d, want 20", got)
	}
	if SwitchThresholdMet(20, 60) {
		t.Fatal("20 of 60 (33%) must not allow a switch")
	}
	towers[3] = []Lockout{{4, 3}} // now locked until 12
	if got := SwitchStake(fc, 7, towers, stakes, 0); got != 30 || !SwitchThresholdMet(got, 60) {
		t.Fatalf("SwitchStake = %d, want 30 (50%%, enough)", got)
	}
}
