package cluster

import (
	"context"
	"testing"
	"time"

	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

// TestPollerAgainstRPCServer polls the built-in validator's real JSON-RPC
// server (over its in-memory test backend, so this proves the wire shapes
// the poller reads, not consensus): slots at three commitments,
// transactions, peers, this identity's last vote, and the leader schedule.
func TestPollerAgainstRPCServer(t *testing.T) {
	f := rpcservertest.NewFake()
	me := f.IdentityKey.Pubkey()
	f.Mu.Lock()
	f.Votes = []rpcserver.VoteAccount{
		{VotePubkey: solana.KeypairFromSeed([32]byte{9}).Pubkey(), NodePubkey: me, ActivatedStake: 100, EpochVoteAccount: true, LastVote: 129, RootSlot: 100},
		{VotePubkey: solana.KeypairFromSeed([32]byte{8}).Pubkey(), NodePubkey: solana.KeypairFromSeed([32]byte{2}).Pubkey(), ActivatedStake: 100, EpochVoteAccount: true, LastVote: 127, RootSlot: 100},
	}
	f.Mu.Unlock()
	url, _ := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	p := mustPoller(t, url, "")
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := p.Poll(ctx)
	if !s.Answered || s.Err != "" {
		t.Fatalf("poll: answered %v, err %q", s.Answered, s.Err)
	}
	if s.Identity != me.String() {
		t.Errorf("identity %s, want %s", s.Identity, me)
	}
	if s.Slot != 130 || s.Confirmed != 128 || s.Root != 100 || s.Txs != 1300 {
		t.Errorf("slots %d/%d/%d txs %d, want 130/128/100 and 1300", s.Slot, s.Confirmed, s.Root, s.Txs)
	}
	if s.Peers != 1 {
		t.Errorf("peers %d, want 1 (two cluster nodes, one of them itself)", s.Peers)
	}
	if s.LastVote != 129 || s.Delinquent {
		t.Errorf("last vote %d delinquent %v, want 129 and current", s.LastVote, s.Delinquent)
	}
	// Epochs are 32 slots; slot 130 is in epoch 4 (first slot 128), and the
	// schedule gives this node slots 0-3, 8-11, 16-19 and 24-27 of it.
	if !s.IsLeader(128) || !s.IsLeader(131) || s.IsLeader(132) || !s.IsLeader(136) || !s.IsLeader(155) || s.IsLeader(156) {
		t.Errorf("leader slots %v: want 128-131, 136-139, 144-147, 152-155", s.LeaderSlots)
	}
	if !p.rpc.BatchSupported() {
		t.Error("the built-in server answers batches, but the poller fell back to single requests")
	}
}
