package cluster

import (
	"context"
	"slices"
	"testing"
	"time"

	"slonui/check"
)

// liveView is a running node that answered at now with the given slots,
// recent tip hash, on-chain answers and chain.
func liveView(id int, now time.Time, slot, confirmed uint64, tip string, onChain map[string]bool, chain []ChainBlock) nodeView {
	return nodeView{
		base:   NodeSnapshot{ID: id, State: NodeRunning},
		ok:     Sample{At: now, Answered: true, Slot: slot, Confirmed: confirmed, TipHash: tip, OnChain: onChain, Chain: chain},
		tips:   []string{tip},
		points: []point{{At: now, Slot: slot}},
	}
}

func TestRoundOfForksThenConverged(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	chainA := []ChainBlock{{Slot: 100, Parent: 99, Hash: "h100"}}
	chainB := []ChainBlock{{Slot: 100, Parent: 99, Hash: "h100"}}
	tests := []struct {
		name      string
		views     []nodeView
		forks     int
		converged bool
	}{
		{"two forks: 1-2 on a, 3 on b", []nodeView{
			liveView(1, now, 110, 100, "a1", map[string]bool{"a2": true, "b": false}, chainA),
			liveView(2, now, 109, 100, "a2", map[string]bool{"a1": false, "b": false}, chainA),
			liveView(3, now, 108, 100, "b", map[string]bool{"a1": false, "a2": false}, chainB),
		}, 2, false},
		{"one chain, equal hashes", []nodeView{
			liveView(1, now, 110, 100, "a1", map[string]bool{"a2": true, "b": true}, chainA),
			liveView(2, now, 109, 100, "a2", map[string]bool{"a1": false, "b": true}, chainA),
			liveView(3, now, 108, 100, "b", map[string]bool{"a1": false, "a2": false}, chainB),
		}, 1, true},
		{"one chain, different hashes at the common slot", []nodeView{
			liveView(1, now, 110, 100, "a1", map[string]bool{"a2": true}, chainA),
			liveView(2, now, 109, 100, "a2", map[string]bool{"a1": false}, []ChainBlock{{Slot: 100, Parent: 98, Hash: "other"}}),
		}, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := roundOf(tt.views, now, time.Second, 8)
			if got := len(check.Forks(r)); got != tt.forks {
				t.Errorf("forks %d, want %d", got, tt.forks)
			}
			if got := check.Converged(r).OK; got != tt.converged {
				t.Errorf("converged %v, want %v (%s)", got, tt.converged, check.Converged(r).Reason)
			}
		})
	}
}

func TestLeaderWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	v1 := liveView(1, now, 20, 18, "a", nil, []ChainBlock{{Slot: 14, Parent: 13}, {Slot: 16, Parent: 14}, {Slot: 18, Parent: 16}})
	v1.ok.LeaderSlots = []uint64{14, 15, 16, 17}
	v2 := liveView(2, now, 20, 18, "a", nil, v1.ok.Chain)
	v2.ok.LeaderSlots = []uint64{18, 19, 20, 21}
	live := func(v nodeView) bool { return true }
	got := leaderWindow([]nodeView{v1, v2}, live, 20, 6, 2)
	if len(got) != 9 || got[0].Slot != 14 || got[8].Slot != 22 {
		t.Fatalf("window %+v, want slots 14..22", got)
	}
	var skipped []uint64
	for _, s := range got {
		if s.Skipped {
			skipped = append(skipped, s.Slot)
		}
	}
	if !slices.Equal(skipped, []uint64{15, 17}) {
		t.Errorf("skipped %v, want [15 17]", skipped)
	}
	if got[0].Node != 1 || got[4].Node != 2 || got[8].Node != 0 || !got[6].Current {
		t.Errorf("leaders %+v", got)
	}
}

func TestJudgeForkResolution(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	split := func(at time.Time) check.Round {
		return check.Round{{Node: 1, T: at, Processed: 50, Confirmed: 40}, {Node: 2, T: at, Processed: 45, Confirmed: 30}}
	}
	joined := func(at time.Time) check.Round {
		return check.Round{{Node: 1, T: at, Processed: 60, Confirmed: 50, Parents: map[uint64]uint64{60: 59}},
			{Node: 2, T: at, Processed: 59, Confirmed: 50, Parents: map[uint64]uint64{60: 59}}}
	}
	heal := t0.Add(10 * time.Second)
	rounds := []check.Round{split(t0), split(heal.Add(500 * time.Millisecond)), joined(heal.Add(1200 * time.Millisecond))}
	rep := judge(context.Background(), t0, rounds, heal, 2, heal.Add(2*time.Second))
	fr, ok := rep.Result("fork resolution")
	if !ok || !fr.Pass || fr.Value != "1.2s" {
		t.Errorf("fork resolution %+v", fr)
	}
	if f, _ := rep.Result("forks"); !f.Pass || f.Value != "1" {
		t.Errorf("forks %+v", f)
	}
	rep = judge(context.Background(), t0, rounds[:2], heal, 2, heal.Add(2*time.Second))
	if fr, _ := rep.Result("fork resolution"); fr.Pass {
		t.Errorf("fork resolution passed without a converged round: %+v", fr)
	}
	if f, _ := rep.Result("forks"); f.Pass || f.Value != "2" {
		t.Errorf("forks %+v", f)
	}
}

func TestRotation(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	chain := func(slots ...uint64) []ChainBlock {
		var out []ChainBlock
		for _, s := range slots {
			out = append(out, ChainBlock{Slot: s})
		}
		return out
	}
	mk := func(id int, leads []uint64, c []ChainBlock) nodeView {
		v := liveView(id, now, 30, 28, "a", nil, c)
		v.ok.LeaderSlots = leads
		return v
	}
	tests := []struct {
		name string
		c    []ChainBlock
		pass bool
		val  string
	}{
		{"every slot produced", chain(20, 21, 22, 23, 24, 25, 26, 27), true, "2/2 leaders produced, 0.0% of 8 slots skipped"},
		{"node 2's slots skipped", chain(20, 21, 22, 23, 28), false, "1/2 leaders produced, 44.4% of 9 slots skipped"},
		{"one slot skipped", chain(20, 21, 22, 24, 25, 26), true, "2/2 leaders produced, 14.3% of 7 slots skipped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			views := []nodeView{
				mk(1, []uint64{20, 21, 22, 23, 28, 29}, tt.c),
				mk(2, []uint64{24, 25, 26, 27}, tt.c),
			}
			r := rotation(views, 0.5)
			if r.Pass != tt.pass || r.Value != tt.val {
				t.Errorf("%+v, want pass %v value %q", r, tt.pass, tt.val)
			}
		})
	}
}
