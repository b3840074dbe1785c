package shred

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

func TestSlotStateReassembly(t *testing.T) {
	kp := testKey(1)
	pieces := [][]byte{pattern(MaxPayload+10, 1), pattern(20, 2), pattern(2*MaxPayload, 3)}
	shreds := ShredSlot(kp, 1, 8, 7, pieces...) // 2 + 1 + 2 + 1 = 6 shreds
	orders := map[string][]int{
		"in order":     {0, 1, 2, 3, 4, 5},
		"reversed":     {5, 4, 3, 2, 1, 0},
		"last first":   {5, 0, 2, 1, 4, 3},
		"with repeats": {0, 0, 1, 3, 3, 2, 4, 5, 5},
		"middle hole":  {0, 1, 3, 4, 5, 2},
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			st := newSlotState(8, 7, time.Time{})
			var batches [][]byte
			var done *Slot
			dups := 0
			for _, i := range order {
				res, bs, d := st.insert(shreds[i], time.Time{})
				if res == duplicate {
					dups++
				}
				for _, b := range bs {
					if b.Seq != len(batches) {
						t.Fatalf("batch seq %d, want %d", b.Seq, len(batches))
					}
					batches = append(batches, b.Data)
				}
				if d != nil {
					if done != nil {
						t.Fatal("slot completed twice")
					}
					done = d
				}
			}
			if dups != len(order)-len(shreds) {
				t.Fatalf("%d duplicates, want %d", dups, len(order)-len(shreds))
			}
			if len(batches) != len(pieces) {
				t.Fatalf("%d batches, want %d", len(batches), len(pieces))
			}
			for i := range pieces {
				if !bytes.Equal(batches[i], pieces[i]) {
					t.Fatalf("batch %d differs from the piece written", i)
				}
			}
			if done == nil || !bytes.Equal(done.Data, slices.Concat(pieces...)) || done.Parent != 7 || done.Shreds != 6 {
				t.Fatalf("slot = %+v", done)
			}
		})
	}
}

func TestSlotStateRejectsInconsistent(t *testing.T) {
	kp := testKey(1)
	shreds := ShredSlot(kp, 1, 8, 7, pattern(3*MaxPayload, 1)) // 0..2 data, 3 last
	other := ShredSlot(kp, 1, 8, 6, []byte("x"))[0]            // another parent
	longer := ShredSlot(kp, 1, 8, 7, pattern(5*MaxPayload, 1))
	tests := []struct {
		name  string
		first []Shred
		then  Shred
	}{
		{"other parent", shreds[:1], other},
		{"beyond the last", shreds[3:], longer[4]},
		{"second last", shreds[3:], ShredSlot(kp, 1, 8, 7)[0]},
		{"last below highest", longer[4:5], shreds[3]},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newSlotState(8, 7, time.Time{})
			for _, sh := range tc.first {
				if res, _, _ := st.insert(sh, time.Time{}); res != inserted {
					t.Fatalf("setup insert = %v", res)
				}
			}
			if res, _, _ := st.insert(tc.then, time.Time{}); res != invalid {
				t.Fatalf("insert = %v, want invalid", res)
			}
		})
	}
}

func TestSlotStateMissing(t *testing.T) {
	kp := testKey(1)
	shreds := ShredSlot(kp, 1, 8, 7, pattern(6*MaxPayload, 1)) // 0..5 data, 6 last
	tests := []struct {
		name string
		have []int
		max  int
		want []uint32
	}{
		{"nothing", nil, 10, nil},
		{"gap below highest", []int{0, 3}, 10, []uint32{1, 2}},
		{"end unknown: nothing after highest", []int{0, 1}, 10, nil},
		{"end known", []int{6, 2}, 10, []uint32{0, 1, 3, 4, 5}},
		{"capped", []int{6}, 2, []uint32{0, 1}},
		{"complete", []int{0, 1, 2, 3, 4, 5, 6}, 10, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := newSlotState(8, 7, time.Time{})
			for _, i := range tc.have {
				st.insert(shreds[i], time.Time{})
			}
			if got := st.missing(tc.max); !slices.Equal(got, tc.want) {
				t.Fatalf("missing = %v, want %v", got, tc.want)
			}
		})
	}
}
