package rpcserver

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	solanago "github.com/gagliardetto/solana-go"
	"github.com/gagliardetto/solana-go/programs/system"
	sgrpc "github.com/gagliardetto/solana-go/rpc"
	"github.com/gagliardetto/solana-go/rpc/jsonrpc"
	"github.com/gagliardetto/solana-go/rpc/ws"

	"slonui/solana"
)

// TestSolanaGoInterop drives Serve with the reference client, which decodes
// the envelope strictly: every shape here must match Agave's.
func TestSolanaGoInterop(t *testing.T) {
	f := newFake()
	x := newFixture(t, f)
	s, err := New(f, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	rpcLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	wsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(sctx, rpcLn, wsLn) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	<-f.subscribed

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl := sgrpc.New("http://" + rpcLn.Addr().String())

	slot, err := cl.GetSlot(ctx, sgrpc.CommitmentConfirmed)
	if err != nil || slot != 128 {
		t.Fatalf("GetSlot = %d, %v", slot, err)
	}
	bal, err := cl.GetBalance(ctx, solanago.PublicKeyFromBytes(pkBytes(x.payer.Pubkey())), sgrpc.CommitmentFinalized)
	if err != nil || bal.Value != 5_000_000 || bal.Context.Slot != 100 {
		t.Fatalf("GetBalance = %+v, %v", bal, err)
	}
	bh, err := cl.GetLatestBlockhash(ctx, sgrpc.CommitmentProcessed)
	if err != nil || bh.Value.Blockhash.String() != f.blockhash.String() || bh.Value.LastValidBlockHeight != 277 {
		t.Fatalf("GetLatestBlockhash = %+v, %v", bh, err)
	}
	nodes, err := cl.GetClusterNodes(ctx)
	if err != nil || len(nodes) != 2 || nodes[0].Pubkey.String() != f.identity.Pubkey().String() ||
		nodes[0].RPC == nil || *nodes[0].RPC != "127.0.0.1:8899" || nodes[1].RPC != nil || nodes[0].ShredVersion != 4242 {
		t.Fatalf("GetClusterNodes = %+v, %v", nodes, err)
	}
	sts, err := cl.GetSignatureStatuses(ctx, true, solanago.SignatureFromBytes(x.known[:]), solanago.Signature{1})
	if err != nil || len(sts.Value) != 2 || sts.Value[0] == nil || sts.Value[0].Slot != 128 ||
		sts.Value[0].ConfirmationStatus != sgrpc.ConfirmationStatusConfirmed || sts.Value[1] != nil {
		t.Fatalf("GetSignatureStatuses = %+v, %v", sts, err)
	}
	ver, err := cl.GetVersion(ctx)
	if err != nil || ver.SolanaCore != "2.2.0" || ver.FeatureSet != 3746818610 {
		t.Fatalf("GetVersion = %+v, %v", ver, err)
	}
	health, err := cl.GetHealth(ctx)
	if err != nil || health != sgrpc.HealthOk {
		t.Fatalf("GetHealth = %q, %v", health, err)
	}
	ei, err := cl.GetEpochInfo(ctx, sgrpc.CommitmentFinalized)
	if err != nil || ei.Epoch != 3 || ei.SlotIndex != 4 || ei.AbsoluteSlot != 100 {
		t.Fatalf("GetEpochInfo = %+v, %v", ei, err)
	}
	ai, err := cl.GetAccountInfo(ctx, solanago.PublicKeyFromBytes(pkBytes(x.other.Pubkey())))
	if err != nil || string(ai.Value.Data.GetBinary()) != "hello world" || ai.Value.Lamports != 42 {
		t.Fatalf("GetAccountInfo = %+v, %v", ai, err)
	}
	va, err := cl.GetVoteAccounts(ctx, &sgrpc.GetVoteAccountsOpts{Commitment: sgrpc.CommitmentProcessed})
	if err != nil || len(va.Current) != 1 || len(va.Delinquent) != 1 || va.Current[0].LastVote != 129 {
		t.Fatalf("GetVoteAccounts = %+v, %v", va, err)
	}
	ls, err := cl.GetLeaderSchedule(ctx)
	if err != nil || len(ls) != 2 {
		t.Fatalf("GetLeaderSchedule = %v, %v", ls, err)
	}
	maxVer := uint64(0)
	blk, err := cl.GetBlockWithOpts(ctx, 98, &sgrpc.GetBlockOpts{Commitment: sgrpc.CommitmentConfirmed, MaxSupportedTransactionVersion: &maxVer})
	if err != nil || len(blk.Transactions) != 1 || blk.ParentSlot != 97 || *blk.BlockHeight != 95 {
		t.Fatalf("GetBlock = %+v, %v", blk, err)
	}
	_, err = cl.GetBlock(ctx, 99)
	var rerr *jsonrpc.RPCError
	if !errors.As(err, &rerr) || rerr.Code != CodeSlotSkipped {
		t.Fatalf("GetBlock of a skipped slot: %v", err)
	}

	// A transaction built and signed by solana-go itself.
	payer := solanago.PrivateKey(x.payer.Bytes())
	to := solanago.PublicKeyFromBytes(pkBytes(x.other.Pubkey()))
	tx, err := solanago.NewTransaction([]solanago.Instruction{
		system.NewTransferInstruction(1234, payer.PublicKey(), to).Build(),
	}, bh.Value.Blockhash, solanago.TransactionPayer(payer.PublicKey()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Sign(func(k solanago.PublicKey) *solanago.PrivateKey {
		if k.Equals(payer.PublicKey()) {
			return &payer
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sig, err := cl.SendTransaction(ctx, tx)
	if err != nil || sig != tx.Signatures[0] {
		t.Fatalf("SendTransaction = %s, %v", sig, err)
	}
	f.mu.Lock()
	sent := f.sent
	f.mu.Unlock()
	if len(sent) != 1 || sent[0].ID() != solana.Signature(tx.Signatures[0]) {
		t.Fatalf("backend got %d transactions", len(sent))
	}

	// Pubsub: SlotSubscribe with solana-go's 63-bit integer ids.
	wsc, err := ws.Connect(ctx, "ws://"+wsLn.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer wsc.Close()
	sub, err := wsc.SlotSubscribe()
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	// SlotSubscribe returns before the server has seen the request, so keep
	// producing slots until one arrives, as a live node does.
	pumped := pump(ctx, f, Event{Kind: EventSlot, Slot: 131, Parent: 130, Root: 100})
	got, err := sub.Recv(ctx)
	pumped()
	if err != nil || got.Slot != 131 || got.Parent != 130 || got.Root != 100 {
		t.Fatalf("slot notification %+v, %v", got, err)
	}
	ssub, err := wsc.SignatureSubscribe(tx.Signatures[0], sgrpc.CommitmentConfirmed)
	if err != nil {
		t.Fatal(err)
	}
	one := uint64(1)
	f.setStatus(solana.Signature(tx.Signatures[0]), &SignatureStatus{Slot: 131, Confirmations: &one, ConfirmationStatus: Confirmed})
	pumped = pump(ctx, f, Event{Kind: EventCommitment, Slot: 131})
	sres, err := ssub.Recv(ctx)
	pumped()
	if err != nil || sres.Value.Err != nil {
		t.Fatalf("signature notification %+v, %v", sres, err)
	}
}

func pkBytes(p solana.Pubkey) []byte { return p[:] }

// pump sends ev to the fake's event feed every 20 ms until the returned stop
// function is called.
func pump(ctx context.Context, f *fakeBackend, ev Event) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				select {
				case f.events <- ev:
				default:
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}
