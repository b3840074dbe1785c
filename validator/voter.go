package validator

import (
	"context"
	"fmt"
	"time"

	"slonui/validator/core"
)

// Votes leave the node from the voter goroutine, after the tower that
// records them is on disk (fsynced and renamed, SaveTower), so a slow
// fsync — hundreds of milliseconds while the disk takes the block log and
// other nodes' writes — holds up only the votes, never block production,
// replay or RPC on the loop. Every vote goes through it, re-sent ones too,
// so no vote overtakes the save of a tower that holds it.

// voteJob is one core.Ready's votes and the tower to persist first (nil
// when the tower did not change).
type voteJob struct {
	tower *core.Tower
	votes []core.Envelope
}

// voteQueue bounds the jobs waiting for the voter; the loop produces at
// most a few a slot.
const voteQueue = 256

// slowTowerSave is when a tower save is logged as slow.
const slowTowerSave = 100 * time.Millisecond

// queueVotes hands r's tower and votes to the voter and returns the other
// messages, which may leave at once. The loop calls it.
func (n *Node) queueVotes(r core.Ready) []core.Envelope {
	var votes, rest []core.Envelope
	for _, e := range r.Messages {
		if _, ok := e.Msg.(*core.Vote); ok {
			votes = append(votes, e)
		} else {
			rest = append(rest, e)
		}
	}
	if r.Tower != nil || len(votes) > 0 {
		select {
		case n.votes <- voteJob{tower: r.Tower, votes: votes}:
		case <-n.voterDone: // the node is stopping: the votes stay unsent
		}
	}
	return rest
}

// runVoter persists towers and sends votes until ctx ends.
func (n *Node) runVoter(ctx context.Context) error {
	defer close(n.voterDone)
	save := func(t core.Tower) error {
		t0 := time.Now()
		if err := SaveTower(n.s.ledger, t); err != nil {
			return fmt.Errorf("persist tower before voting: %w", err)
		}
		if d := time.Since(t0); d > slowTowerSave {
			n.log.Warn("slow tower save", "module", "tower", "took", d.Round(time.Millisecond))
		}
		return nil
	}
	return vote(ctx, n.votes, save, n.sendVotes)
}

// vote runs jobs in order: save the job's tower, then send its votes. Jobs
// waiting together are merged: the latest tower holds the lockouts of every
// vote before it that has not expired, so saving it once covers them all.
// A failed save ends it with the error, the votes unsent.
func vote(ctx context.Context, jobs <-chan voteJob, save func(core.Tower) error, send func([]core.Envelope)) error {
	for {
		var j voteJob
		select {
		case <-ctx.Done():
			return nil
		case j = <-jobs:
		}
		for more := true; more; {
			select {
			case k := <-jobs:
				if k.tower != nil {
					j.tower = k.tower
				}
				j.votes = append(j.votes, k.votes...)
			default:
				more = false
			}
		}
		if j.tower != nil {
			if err := save(*j.tower); err != nil {
				return err
			}
		}
		if len(j.votes) > 0 {
			send(j.votes)
		}
	}
}
