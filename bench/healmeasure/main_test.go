package main

import (
	"math"
	"slices"
	"testing"
)

func TestOffForkLockout(t *testing.T) {
	onMaj := map[uint64]bool{60: true, 61: true, 62: true}
	tests := []struct {
		name      string
		votes     []TowerVote
		wantOff   []uint64
		wantUntil uint64
	}{
		{"all on the majority chain", []TowerVote{{Slot: 60, ConfirmationCount: 3}, {Slot: 61, ConfirmationCount: 2}}, nil, 0},
		{"deep off-fork vote dominates", []TowerVote{{Slot: 60, ConfirmationCount: 10}, {Slot: 65, ConfirmationCount: 8},
			{Slot: 136, ConfirmationCount: 2}, {Slot: 137, ConfirmationCount: 1}}, []uint64{65, 136, 137}, 65 + 256},
		{"shallow later vote dominates", []TowerVote{{Slot: 96, ConfirmationCount: 5}, {Slot: 112, ConfirmationCount: 4},
			{Slot: 115, ConfirmationCount: 1}}, []uint64{96, 112, 115}, 128},
		{"empty tower", nil, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			off, until := offForkLockout(tt.votes, onMaj)
			if !slices.Equal(off, tt.wantOff) || until != tt.wantUntil {
				t.Fatalf("offForkLockout = %v, %d; want %v, %d", off, until, tt.wantOff, tt.wantUntil)
			}
		})
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		name string
		vals []float64
		n    int
		want string
	}{
		{"odd", []float64{3, 1, 2}, 3, "2.000"},
		{"even", []float64{4, 1, 3, 2}, 4, "2.500"},
		{"a timeout counts as the largest", []float64{5, 1, 2, 3}, 5, "3.000"},
		{"most timed out", []float64{1, 2}, 5, "timeout"},
		{"no runs", nil, 0, "-"},
		{"inf input", []float64{math.Inf(1)}, 1, "timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := median(slices.Clone(tt.vals), tt.n); got != tt.want {
				t.Fatalf("median(%v, %d) = %q, want %q", tt.vals, tt.n, got, tt.want)
			}
		})
	}
}
