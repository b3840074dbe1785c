package rpcserver

import "testing"

func TestEpochSchedule(t *testing.T) {
	warm := EpochSchedule{SlotsPerEpoch: 8192, LeaderScheduleSlotOffset: 8192, Warmup: true, FirstNormalEpoch: 8, FirstNormalSlot: 8160}
	flat := EpochSchedule{SlotsPerEpoch: 432000, LeaderScheduleSlotOffset: 432000}
	cases := []struct {
		name              string
		es                EpochSchedule
		slot              uint64
		epoch, index, len uint64
		first             uint64
	}{
		{"warmup slot 0", warm, 0, 0, 0, 32, 0},
		{"warmup end of epoch 0", warm, 31, 0, 31, 32, 0},
		{"warmup epoch 1", warm, 32, 1, 0, 64, 32},
		{"warmup epoch 2", warm, 100, 2, 4, 128, 96},
		{"warmup last warm slot", warm, 8159, 7, 4095, 4096, 4064},
		{"first normal slot", warm, 8160, 8, 0, 8192, 8160},
		{"normal epoch 9", warm, 8160 + 8192 + 5, 9, 5, 8192, 8160 + 8192},
		{"flat", flat, 432000*3 + 7, 3, 7, 432000, 432000 * 3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, i := c.es.EpochAndIndex(c.slot)
			if e != c.epoch || i != c.index {
				t.Fatalf("EpochAndIndex(%d) = %d,%d want %d,%d", c.slot, e, i, c.epoch, c.index)
			}
			if n := c.es.SlotsInEpoch(e); n != c.len {
				t.Fatalf("SlotsInEpoch(%d) = %d want %d", e, n, c.len)
			}
			if f := c.es.FirstSlot(e); f != c.first {
				t.Fatalf("FirstSlot(%d) = %d want %d", e, f, c.first)
			}
		})
	}
}

func TestSplitVoteAccounts(t *testing.T) {
	accts := []VoteAccount{{LastVote: 200, ActivatedStake: 1}, {LastVote: 72, ActivatedStake: 1}, {LastVote: 73, ActivatedStake: 1},
		{LastVote: 0, ActivatedStake: 0}, {LastVote: 0, ActivatedStake: 5}}
	cases := []struct {
		name            string
		slot            uint64
		f               voteFilter
		current, delinq int
	}{
		{"slot 200", 200, voteFilter{distance: 128}, 2, 2},
		{"keep unstaked", 200, voteFilter{distance: 128, keepUnstaked: true}, 2, 3},
		{"young cluster", 50, voteFilter{distance: 128}, 3, 1},
		{"distance 0", 200, voteFilter{distance: 0}, 0, 4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cur, del := splitVoteAccounts(accts, c.slot, c.f)
			if len(cur) != c.current || len(del) != c.delinq {
				t.Fatalf("current %d delinquent %d, want %d %d", len(cur), len(del), c.current, c.delinq)
			}
		})
	}
}
