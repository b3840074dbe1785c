package validator

import (
	"context"
	"errors"
	"testing"

	"slonui/validator/core"
)

// No vote is sent before a tower holding it is saved: the voter saves the
// newest tower of the jobs waiting together, then sends all their votes in
// order; a failed save sends nothing and ends it with the error.
func TestVoterSavesTheTowerBeforeItsVotes(t *testing.T) {
	towerAt := func(slot uint64) *core.Tower {
		return &core.Tower{Votes: []core.Lockout{{Slot: slot, Conf: 1}}}
	}
	voteFor := func(slot uint64) core.Envelope {
		return core.Envelope{Broadcast: true, Msg: &core.Vote{Votes: []core.Lockout{{Slot: slot, Conf: 1}}}}
	}
	jobs := make(chan voteJob, 8)
	jobs <- voteJob{tower: towerAt(5), votes: []core.Envelope{voteFor(5)}}
	jobs <- voteJob{votes: []core.Envelope{voteFor(5)}} // a re-sent vote, no new tower
	jobs <- voteJob{tower: towerAt(6), votes: []core.Envelope{voteFor(6)}}

	var saved uint64 // newest slot in a saved tower
	var sent []uint64
	ctx, cancel := context.WithCancel(context.Background())
	save := func(tw core.Tower) error {
		saved = tw.Votes[len(tw.Votes)-1].Slot
		return nil
	}
	send := func(votes []core.Envelope) {
		for _, e := range votes {
			s := e.Msg.(*core.Vote).Votes[0].Slot
			if s > saved {
				t.Errorf("vote for slot %d sent with the saved tower at slot %d", s, saved)
			}
			sent = append(sent, s)
		}
		if len(sent) == 3 {
			cancel()
		}
	}
	if err := vote(ctx, jobs, save, send); err != nil {
		t.Fatal(err)
	}
	if saved != 6 || len(sent) != 3 || sent[0] != 5 || sent[1] != 5 || sent[2] != 6 {
		t.Fatalf("saved tower at %d, sent %v; want 6 and [5 5 6]", saved, sent)
	}

	boom := errors.New("disk full")
	jobs <- voteJob{tower: towerAt(7), votes: []core.Envelope{voteFor(7)}}
	err := vote(context.Background(), jobs, func(core.Tower) error { return boom },
		func([]core.Envelope) { t.Error("a vote was sent although its tower was not saved") })
	if !errors.Is(err, boom) {
		t.Fatalf("vote returned %v, want the save error", err)
	}
}
