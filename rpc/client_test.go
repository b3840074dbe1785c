package rpc

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

func newClient(t *testing.T, url string) *Client {
	t.Helper()
	c, err := New(url, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestTypedCalls(t *testing.T) {
	f := rpcservertest.NewFake()
	payer := solana.KeypairFromSeed([32]byte{7})
	f.Accounts[payer.Pubkey()] = rpcserver.Account{Lamports: 5_000_000}
	one := uint64(1)
	f.Statuses[solana.Signature{3}] = &rpcserver.SignatureStatus{Slot: 129, Confirmations: &one, ConfirmationStatus: rpcserver.Confirmed, Err: "AccountNotFound"}
	bt := int64(1_700_000_000)
	f.BlockMap[98] = rpcserver.Block{Blockhash: solana.Hash{9}, ParentSlot: 97, BlockTime: &bt}
	f.Votes = []rpcserver.VoteAccount{{VotePubkey: solana.Pubkey{11}, NodePubkey: f.Identity(), ActivatedStake: 10, LastVote: 129}}
	url, _ := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	c := newClient(t, url)
	ctx := testCtx(t)

	for cm, want := range map[Commitment]uint64{Processed: 130, Confirmed: 128, Finalized: 100, "": 100} {
		if got, err := c.GetSlot(ctx, cm); err != nil || got != want {
			t.Errorf("GetSlot(%q) = %d, %v; want %d", cm, got, err, want)
		}
	}
	if n, err := c.GetTransactionCount(ctx, Processed); err != nil || n != 1300 {
		t.Errorf("GetTransactionCount = %d, %v", n, err)
	}
	if n, err := c.GetBlockHeight(ctx, Confirmed); err != nil || n != 125 {
		t.Errorf("GetBlockHeight = %d, %v", n, err)
	}
	nodes, err := c.GetClusterNodes(ctx)
	if err != nil || len(nodes) != 2 || nodes[0].RPC != "127.0.0.1:8899" || nodes[1].RPC != "" || nodes[0].Pubkey != f.Identity().String() {
		t.Errorf("GetClusterNodes = %+v, %v", nodes, err)
	}
	va, err := c.GetVoteAccounts(ctx, Processed)
	if err != nil || len(va.Current) != 1 || va.Current[0].LastVote != 129 {
		t.Errorf("GetVoteAccounts = %+v, %v", va, err)
	}
	ls, err := c.GetLeaderSchedule(ctx, nil, "")
	if err != nil || len(ls[f.Identity().String()]) != 16 {
		t.Errorf("GetLeaderSchedule = %v, %v", ls, err)
	}
	far := uint64(10_000)
	if ls, err := c.GetLeaderSchedule(ctx, &far, Finalized); err != nil || ls != nil {
		t.Errorf("GetLeaderSchedule(far) = %v, %v; want nil", ls, err)
	}
	leaders, err := c.GetSlotLeaders(ctx, 2, 4)
	if err != nil || len(leaders) != 4 || leaders[0] != f.Identity().String() || leaders[2] == f.Identity().String() {
		t.Errorf("GetSlotLeaders = %v, %v", leaders, err)
	}
	ei, err := c.GetEpochInfo(ctx, Confirmed)
	if err != nil || ei.AbsoluteSlot != 128 || ei.Epoch != 4 || ei.SlotIndex != 0 || ei.SlotsInEpoch != 32 {
		t.Errorf("GetEpochInfo = %+v, %v", ei, err)
	}
	if id, err := c.GetIdentity(ctx); err != nil || id != f.Identity().String() {
		t.Errorf("GetIdentity = %s, %v", id, err)
	}
	if h, err := c.GetHealth(ctx); err != nil || !h.OK || h.Status != "ok" {
		t.Errorf("GetHealth = %+v, %v", h, err)
	}
	bh, err := c.GetLatestBlockhash(ctx, Processed)
	if err != nil || bh.Hash != f.Blockhash || bh.Slot != 130 || bh.LastValidBlockHeight != 277 {
		t.Errorf("GetLatestBlockhash = %+v, %v", bh, err)
	}
	if b, err := c.GetBalance(ctx, payer.Pubkey(), ""); err != nil || b != 5_000_000 {
		t.Errorf("GetBalance = %d, %v", b, err)
	}
	sts, err := c.GetSignatureStatuses(ctx, []solana.Signature{{3}, {4}}, true)
	if err != nil || len(sts) != 2 || sts[0] == nil || sts[0].ConfirmationStatus != Confirmed || !sts[0].Failed() || sts[1] != nil {
		t.Errorf("GetSignatureStatuses = %v, %v", sts, err)
	}
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), solana.Pubkey{5}, 10)}, f.Blockhash, payer)
	if err != nil {
		t.Fatal(err)
	}
	if sig, err := c.SendTransaction(ctx, tx.Marshal(), SendOptions{PreflightCommitment: Processed}); err != nil || sig != tx.ID() {
		t.Errorf("SendTransaction = %s, %v", sig, err)
	}
	if sig, err := c.RequestAirdrop(ctx, solana.Pubkey{5}, 1e9); err != nil || sig.IsZero() {
		t.Errorf("RequestAirdrop = %s, %v", sig, err)
	}
	blk, err := c.GetBlock(ctx, 98, BlockOptions{Commitment: Confirmed})
	if err != nil || blk == nil || blk.ParentSlot != 97 || blk.Blockhash != (solana.Hash{9}).String() || blk.Signatures == nil || *blk.BlockTime != bt {
		t.Errorf("GetBlock = %+v, %v", blk, err)
	}
	if g, err := c.GetGenesisHash(ctx); err != nil || g != f.GenesisHash() {
		t.Errorf("GetGenesisHash = %s, %v", g, err)
	}
	if v, err := c.GetVersion(ctx); err != nil || v.SolanaCore != "2.2.0" || v.FeatureSet != 3746818610 {
		t.Errorf("GetVersion = %+v, %v", v, err)
	}
}

func TestErrorsCarryCode(t *testing.T) {
	f := rpcservertest.NewFake()
	url, _ := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	c := newClient(t, url)
	ctx := testCtx(t)
	_, err := c.GetSlotLeaders(ctx, 0, 5001)
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInvalidParams || e.Message != "Invalid limit; max 5000" {
		t.Fatalf("GetSlotLeaders(5001) err = %v", err)
	}
	payer := solana.KeypairFromSeed([32]byte{7})
	tx, _ := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), solana.Pubkey{5}, 10)}, solana.Hash{1}, payer)
	_, err = c.SendTransaction(ctx, tx.Marshal(), SendOptions{})
	if !IsCode(err, CodeSimulation) || !errors.As(err, &e) || len(e.Data) == 0 {
		t.Fatalf("SendTransaction with a stale blockhash: %v", err)
	}
	if err := c.Call(ctx, "nope", nil, nil); !IsCode(err, CodeMethodNotFound) {
		t.Fatalf("unknown method: %v", err)
	}
	_, err = c.GetBlock(ctx, 129, BlockOptions{Commitment: Confirmed})
	if !IsCode(err, -32004) {
		t.Fatalf("GetBlock above confirmed: %v", err)
	}
}

func TestHealthFromError(t *testing.T) {
	f := rpcservertest.NewFake()
	url, _ := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	c := newClient(t, url)
	ctx := testCtx(t)
	f.Mu.Lock()
	f.HealthState = rpcserver.Health{Status: rpcserver.HealthBehind, SlotsBehind: 200}
	f.Mu.Unlock()
	h, err := c.GetHealth(ctx)
	if err != nil || h.OK || h.Status != "behind" || h.SlotsBehind == nil || *h.SlotsBehind != 200 {
		t.Fatalf("behind: %+v, %v", h, err)
	}
	f.Mu.Lock()
	f.HealthState = rpcserver.Health{Status: rpcserver.HealthUnknown}
	f.Mu.Unlock()
	h, err = c.GetHealth(ctx)
	if err != nil || h.OK || h.Status != "unhealthy" || h.SlotsBehind != nil {
		t.Fatalf("unknown: %+v, %v", h, err)
	}
}

// TestStoppedNodeTimesOut: a node that accepts connections but never
// answers (SIGSTOPped) costs a call its timeout, not a hang.
func TestStoppedNodeTimesOut(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	cfg := DefaultConfig()
	cfg.Timeout = 200 * time.Millisecond
	c, err := New("http://"+ln.Addr().String(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GetSlot(context.Background(), Processed)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("GetSlot on a silent node: %v", err)
	}
	b := c.NewBatch()
	var slot uint64
	call := b.GetSlot(Processed, &slot)
	if err := b.Do(context.Background()); !errors.Is(err, context.DeadlineExceeded) || !errors.Is(call.Err, context.DeadlineExceeded) {
		t.Fatalf("batch on a silent node: %v / %v", err, call.Err)
	}
}

func TestConcurrentCalls(t *testing.T) {
	f := rpcservertest.NewFake()
	url, _ := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	c := newClient(t, url)
	ctx := testCtx(t)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cm := []Commitment{Processed, Confirmed, Finalized}[i%3]
			got, err := c.GetSlot(ctx, cm)
			if err == nil && got != map[Commitment]uint64{Processed: 130, Confirmed: 128, Finalized: 100}[cm] {
				err = errors.New("wrong slot")
			}
			if err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestConfigValidate(t *testing.T) {
	cfg := Config{Timeout: 0, MaxIdleConns: -1, MaxReplyBytes: 0}
	err := cfg.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"timeout", "max idle", "max reply"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, missing %q", err, want)
		}
	}
	if _, err := New("http://127.0.0.1:1", cfg); err == nil {
		t.Fatal("New accepted an invalid config")
	}
}
