package node

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
)

// seqs lists the sequence numbers of lines and checks each text matches it.
func seqs(t *testing.T, lines []Line) []uint64 {
	t.Helper()
	out := []uint64{}
	for _, l := range lines {
		if want := fmt.Sprint("l", l.Seq); l.Text != want {
			t.Errorf("line %d text %q, want %q", l.Seq, l.Text, want)
		}
		out = append(out, l.Seq)
	}
	return out
}

func filledRing(capacity, pushed int) *Ring {
	r := NewRing(capacity)
	for i := 1; i <= pushed; i++ {
		r.Push(fmt.Sprint("l", i))
	}
	return r
}

func TestRingSince(t *testing.T) {
	tests := []struct {
		name        string
		cap, pushed int
		since       uint64
		max         int
		want        []uint64
	}{
		{"empty ring", 4, 0, 0, 0, []uint64{}},
		{"all from zero", 4, 3, 0, 0, []uint64{1, 2, 3}},
		{"newer than seq", 4, 3, 1, 0, []uint64{2, 3}},
		{"nothing newer", 4, 3, 3, 0, []uint64{}},
		{"seq ahead of ring", 4, 3, 9, 0, []uint64{}},
		{"max keeps the newest", 4, 3, 0, 2, []uint64{2, 3}},
		{"wrapped keeps last cap", 4, 10, 0, 0, []uint64{7, 8, 9, 10}},
		{"wrapped seq older than held", 4, 10, 2, 0, []uint64{7, 8, 9, 10}},
		{"wrapped seq inside", 4, 10, 8, 0, []uint64{9, 10}},
		{"wrapped with max", 4, 10, 0, 3, []uint64{8, 9, 10}},
		{"exactly full", 4, 4, 0, 0, []uint64{1, 2, 3, 4}},
		{"full plus one", 4, 5, 0, 0, []uint64{2, 3, 4, 5}},
		{"capacity one", 1, 7, 0, 0, []uint64{7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := filledRing(tt.cap, tt.pushed)
			if got := seqs(t, r.Since(tt.since, tt.max)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Since(%d,%d) = %v, want %v", tt.since, tt.max, got, tt.want)
			}
			if r.Last() != uint64(tt.pushed) {
				t.Errorf("Last = %d, want %d", r.Last(), tt.pushed)
			}
		})
	}
}

func TestRingTail(t *testing.T) {
	tests := []struct {
		name        string
		cap, pushed int
		n           int
		want        []uint64
	}{
		{"empty", 3, 0, 2, []uint64{}},
		{"fewer held than asked", 5, 2, 4, []uint64{1, 2}},
		{"newest n", 5, 4, 2, []uint64{3, 4}},
		{"zero", 5, 4, 0, []uint64{}},
		{"negative", 5, 4, -1, []uint64{}},
		{"wrapped", 3, 8, 3, []uint64{6, 7, 8}},
		{"wrapped fewer", 3, 8, 2, []uint64{7, 8}},
		{"wrapped more than cap", 3, 8, 10, []uint64{6, 7, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := filledRing(tt.cap, tt.pushed)
			if got := seqs(t, r.Tail(tt.n)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tail(%d) = %v, want %v", tt.n, got, tt.want)
			}
		})
	}
}

func TestRingCopiesAreIndependent(t *testing.T) {
	r := filledRing(2, 2)
	got := r.Tail(2)
	r.Push("l3")
	r.Push("l4")
	if got[0].Seq != 1 || got[0].Text != "l1" || got[1].Seq != 2 {
		t.Errorf("earlier copy changed after wrap: %v", got)
	}
}

func TestRingPushLinesContinuesSequence(t *testing.T) {
	r := filledRing(5, 2)
	r.PushLines([]string{"l3", "l4", "l5", "l6"})
	if got := seqs(t, r.Since(0, 0)); !reflect.DeepEqual(got, []uint64{2, 3, 4, 5, 6}) {
		t.Errorf("after PushLines got %v", got)
	}
	if r.Len() != 5 || r.Cap() != 5 {
		t.Errorf("Len %d Cap %d, want 5 5", r.Len(), r.Cap())
	}
}

// One writer and several readers: every read is a run of consecutive
// sequence numbers whose texts match (run with -race to check locking).
func TestRingConcurrentReaders(t *testing.T) {
	r := NewRing(64)
	const total = 20000
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var seen uint64
			for seen < total {
				lines := r.Since(seen, 16)
				for i, l := range lines {
					if l.Text != fmt.Sprint("l", l.Seq) || (i > 0 && l.Seq != lines[i-1].Seq+1) || l.Seq <= seen {
						errs <- fmt.Errorf("bad read after %d: %v", seen, lines)
						return
					}
				}
				if len(lines) > 0 {
					seen = lines[len(lines)-1].Seq
				}
			}
		}()
	}
	for i := 1; i <= total; i++ {
		r.Push(fmt.Sprint("l", i))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
