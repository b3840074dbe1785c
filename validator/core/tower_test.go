package core

import (
	"errors"
	"reflect"
	"testing"
)

func votesTower(slots ...uint64) Tower {
	var t Tower
	for _, s := range slots {
		t.ProcessVote(s)
	}
	return t
}

func TestTowerVectors(t *testing.T) {
	seq := func(a, b uint64) []uint64 {
		var out []uint64
		for s := a; s <= b; s++ {
			out = append(out, s)
		}
		return out
	}
	full := make([]Lockout, 0, 31)
	for s := uint64(2); s <= 32; s++ {
		full = append(full, Lockout{Slot: s, Conf: uint32(33 - s)})
	}
	tests := []struct {
		name  string
		votes []uint64
		want  []Lockout
		root  uint64
	}{
		{"first vote", []uint64{1}, []Lockout{{1, 1}}, 0},
		{"doubling 2", []uint64{1, 2}, []Lockout{{1, 2}, {2, 1}}, 0},
		{"doubling 4", []uint64{1, 2, 3, 4}, []Lockout{{1, 4}, {2, 3}, {3, 2}, {4, 1}}, 0},
		{"expiry pops the top", []uint64{1, 4}, []Lockout{{4, 1}}, 0},
		{"expiry stops at a live lockout", []uint64{1, 2, 5}, []Lockout{{1, 2}, {5, 1}}, 0},
		{"locked exactly at last_locked_out_slot", []uint64{1, 3}, []Lockout{{1, 2}, {3, 1}}, 0},
		{"older vote ignored", []uint64{5, 3}, []Lockout{{5, 1}}, 0},
		{"repeat vote ignored", []uint64{5, 5}, []Lockout{{5, 1}}, 0},
		{"31 deep, no root yet", seq(1, 31), nil, 0},
		{"root on the 32nd", seq(1, 32), full, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tw := votesTower(tc.votes...)
			if tc.want != nil && !reflect.DeepEqual(tw.Votes, tc.want) {
				t.Errorf("votes = %v, want %v", tw.Votes, tc.want)
			}
			if tw.Root != tc.root {
				t.Errorf("root = %d, want %d", tw.Root, tc.root)
			}
			if len(tw.Votes) > MaxLockoutHistory {
				t.Errorf("tower holds %d votes", len(tw.Votes))
			}
		})
	}
}

func TestTowerRootReported(t *testing.T) {
	var tw Tower
	for s := uint64(1); s <= 31; s++ {
		if _, rooted := tw.ProcessVote(s); rooted {
			t.Fatalf("rooted at vote %d", s)
		}
	}
	root, rooted := tw.ProcessVote(32)
	if !rooted || root != 1 {
		t.Fatalf("vote 32: root %d rooted %v, want 1 true", root, rooted)
	}
	if tw.Votes[0].Conf != 31 || tw.Votes[0].LastLockedOutSlot() != 2+(1<<31) {
		t.Fatalf("bottom vote %+v", tw.Votes[0])
	}
}

func TestLockoutArithmetic(t *testing.T) {
	tests := []struct {
		l      Lockout
		at     uint64
		locked bool
	}{
		{Lockout{10, 1}, 12, true},
		{Lockout{10, 1}, 13, false},
		{Lockout{10, 3}, 18, true},
		{Lockout{10, 3}, 19, false},
	}
	for _, tc := range tests {
		if got := tc.l.LockedOutAt(tc.at); got != tc.locked {
			t.Errorf("%+v locked at %d = %v, want %v", tc.l, tc.at, got, tc.locked)
		}
	}
}

func TestTowerMarshalRoundTrip(t *testing.T) {
	tw := votesTower(3, 4, 5, 9, 10)
	tw.LastHash[0] = 7
	got, err := UnmarshalTower(tw.Marshal())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, tw) {
		t.Fatalf("round trip: %+v, want %+v", got, tw)
	}
	var empty Tower
	if got, err := UnmarshalTower(empty.Marshal()); err != nil || len(got.Votes) != 0 {
		t.Fatalf("empty tower: %+v %v", got, err)
	}
}

func TestUnmarshalTowerRejects(t *testing.T) {
	good := votesTower(3, 4).Marshal()
	bad := votesTower(3, 4)
	bad.Votes[1].Slot = 2 // not increasing
	tests := map[string][]byte{
		"empty":         nil,
		"wrong magic":   append([]byte("XXXXX"), good[5:]...),
		"truncated":     good[:len(good)-3],
		"trailing":      append(append([]byte(nil), good...), 0),
		"not ascending": bad.Marshal(),
	}
	for name, b := range tests {
		if _, err := UnmarshalTower(b); !errors.Is(err, ErrTowerFormat) {
			t.Errorf("%s: err = %v, want ErrTowerFormat", name, err)
		}
	}
}
