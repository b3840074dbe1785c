package sim

import (
	"testing"

	"slonui/solana"
	"slonui/validator/core"
)

// TestQueriesOnALiveCluster drives the query methods the RPC layer uses
// against a simulated 4-node cluster with one real transfer.
func TestQueriesOnALiveCluster(t *testing.T) {
	cfg := base(4, 200)
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.RunUntil(10)
	n := s.Node(1)
	faucet := s.Faucet()
	start, _ := n.Balance(faucet.Pubkey(), core.Finalized)
	dest := solana.KeypairFromSeed([32]byte{9}).Pubkey()
	bh, lastValid, ctx := n.LatestBlockhash(core.Processed)
	if lastValid != n.BlockHeight(core.Processed)+core.MaxProcessingAge || ctx != n.Slot(core.Processed) {
		t.Fatalf("latest blockhash: last valid %d at height %d", lastValid, n.BlockHeight(core.Processed))
	}
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(faucet.Pubkey(), dest, 123_456)}, bh, faucet)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := n.SubmitTransaction(tx.Marshal())
	if err != nil || sig != tx.ID() {
		t.Fatalf("submit: %v %v", sig, err)
	}
	s.Route(1)

	s.RunUntil(14)
	st := n.SignatureStatuses([]solana.Signature{sig, {1}}, false)
	if st[0] == nil || st[1] != nil {
		t.Fatalf("statuses %+v", st)
	}
	if st[0].Err != nil || st[0].Confirmations == nil || st[0].ConfirmationStatus == "finalized" {
		t.Fatalf("fresh status %+v", *st[0])
	}
	landed := st[0].Slot
	if got, _ := n.Balance(dest, core.Processed); got != 123_456 {
		t.Fatalf("processed balance %d", got)
	}
	if got, _ := n.Balance(dest, core.Finalized); got != 0 {
		t.Fatalf("finalized balance %d before finalization", got)
	}
	if ok, _ := n.IsBlockhashValid(bh, core.Processed); !ok {
		t.Fatal("recent blockhash invalid")
	}

	// Sending it again does not land it twice.
	if _, err := s.Node(2).SubmitTransaction(tx.Marshal()); err != nil {
		t.Fatal(err)
	}
	s.Route(2)
	s.RunUntil(170)
	st = n.SignatureStatuses([]solana.Signature{sig}, false)
	if st[0] == nil || st[0].ConfirmationStatus != "finalized" || st[0].Confirmations != nil || st[0].Slot != landed {
		t.Fatalf("old status %+v", st[0])
	}
	if got, _ := n.Balance(dest, core.Finalized); got != 123_456 {
		t.Fatalf("finalized balance %d", got)
	}
	if got, _ := n.Balance(faucet.Pubkey(), core.Finalized); got != start-123_456-5000 {
		t.Fatalf("faucet paid %d, want amount + 5000 fee", start-got)
	}
	if c := n.TransactionCount(core.Finalized); c != 1 {
		t.Fatalf("transaction count %d", c)
	}
	if ok, _ := n.IsBlockhashValid(bh, core.Processed); ok {
		t.Fatal("a blockhash 150+ blocks old is still valid")
	}
	blk, ok := n.Block(landed, core.Finalized)
	if !ok || len(blk.Transactions) != 1 || blk.Transactions[0].Signature != sig || blk.Transactions[0].Fee != 5000 {
		t.Fatalf("block %d: %+v", landed, blk)
	}
	parent, ok := n.Block(blk.Parent, core.Finalized)
	if !ok || parent.Blockhash != blk.PreviousBlockhash || blk.BlockHeight != parent.BlockHeight+1 {
		t.Fatalf("parent %d of %d: %+v", blk.Parent, landed, parent)
	}
	if blk.BlockTimeMs != int64(landed)*cfg.SlotMs {
		t.Fatalf("block time %d", blk.BlockTimeMs)
	}
	slots := n.Blocks(0, 1000, core.Finalized)
	if len(slots) < 100 || slots[len(slots)-1] != n.Slot(core.Finalized) {
		t.Fatalf("blocks %v … finalized %d", slots[:5], n.Slot(core.Finalized))
	}
	found := false
	for i, sl := range slots {
		if i > 0 && sl <= slots[i-1] {
			t.Fatalf("blocks not ascending at %d", i)
		}
		found = found || sl == landed
	}
	if !found {
		t.Fatal("the landed slot is not in getBlocks")
	}
	if n.Slot(core.Processed) < n.Slot(core.Confirmed) || n.Slot(core.Confirmed) < n.Slot(core.Finalized) {
		t.Fatalf("processed %d confirmed %d finalized %d", n.Slot(core.Processed), n.Slot(core.Confirmed), n.Slot(core.Finalized))
	}

	// Simulation reports the overdraft without landing anything.
	bh2, _, _ := n.LatestBlockhash(core.Processed)
	poor, _ := solana.NewTransaction([]solana.Instruction{solana.Transfer(faucet.Pubkey(), dest, start*2)}, bh2, faucet)
	if r := n.Simulate(&poor, core.Processed, true); r.Err == nil || r.Err.Custom == nil || *r.Err.Custom != 1 {
		t.Fatalf("simulate overdraft: %+v", r)
	}

	vas := n.VoteAccounts()
	if len(vas) != 4 {
		t.Fatalf("%d vote accounts", len(vas))
	}
	for _, va := range vas {
		if va.Delinquent || va.LastVote+5 < n.Slot(core.Processed) || va.Stake == 0 || va.Root == 0 {
			t.Errorf("vote account %+v at slot %d", va, n.Slot(core.Processed))
		}
	}
	tw := n.Tower()
	if len(tw.Votes) == 0 || tw.Root == 0 || tw.Root != n.RootSlot() {
		t.Fatalf("tower %+v", tw)
	}
	if c := n.SignatureStatuses([]solana.Signature{sig}, true)[0]; c == nil {
		t.Fatal("history search lost the signature")
	}
	ls := n.LeaderSchedule(0)
	leaders := n.SlotLeaders(0, 12)
	for i, l := range leaders {
		if l != ls.Leaders[i] || l != n.SlotLeader(uint64(i)) {
			t.Fatalf("slot %d leader mismatch", i)
		}
	}
	ei := n.EpochInfo(core.Confirmed)
	if ei.Epoch != 0 || ei.SlotsInEpoch != 8192 || ei.AbsoluteSlot != n.Slot(core.Confirmed) {
		t.Fatalf("epoch info %+v", ei)
	}
	stats := n.Stats()
	if stats.VotesCast == 0 || stats.VotesReceived == 0 || stats.BlocksReplayed == 0 || stats.LiveForks != 1 || stats.RootSlot != tw.Root {
		t.Fatalf("stats %+v", stats)
	}
}
