package validator

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	solanago "github.com/gagliardetto/solana-go"
	"github.com/gagliardetto/solana-go/programs/system"
	sgrpc "github.com/gagliardetto/solana-go/rpc"
	"github.com/gagliardetto/solana-go/rpc/ws"
)

// waitConfirmed polls getSignatureStatuses on cl until sig is confirmed or
// finalized, failing on an error status.
func waitConfirmed(t *testing.T, ctx context.Context, cl *sgrpc.Client, sig solanago.Signature) *sgrpc.SignatureStatusesResult {
	t.Helper()
	var got *sgrpc.SignatureStatusesResult
	eventually(t, 20*time.Second, "signature "+sig.String()[:8]+" confirmed", func() (bool, string) {
		st, err := cl.GetSignatureStatuses(ctx, false, sig)
		if err != nil {
			return false, err.Error()
		}
		s := st.Value[0]
		if s == nil {
			return false, "not found"
		}
		if s.Err != nil {
			t.Fatalf("signature %s failed: %v", sig, s.Err)
		}
		if s.ConfirmationStatus == sgrpc.ConfirmationStatusConfirmed || s.ConfirmationStatus == sgrpc.ConfirmationStatusFinalized {
			got = s
			return true, ""
		}
		return false, string(s.ConfirmationStatus)
	})
	return got
}

// referenceClient drives a running 3-node cluster with solana-go.
func referenceClient(t *testing.T, c *testCluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cl1 := sgrpc.New(c.url(1))
	cl2 := sgrpc.New(c.url(2))

	payer := solanago.NewWallet().PrivateKey
	to := solanago.NewWallet().PublicKey()
	const airdrop = 10 * solanago.LAMPORTS_PER_SOL
	const amount = 1 * solanago.LAMPORTS_PER_SOL

	asig, err := cl1.RequestAirdrop(ctx, payer.PublicKey(), airdrop, sgrpc.CommitmentConfirmed)
	if err != nil {
		t.Fatalf("RequestAirdrop: %v", err)
	}
	waitConfirmed(t, ctx, cl1, asig)
	bal, err := cl1.GetBalance(ctx, payer.PublicKey(), sgrpc.CommitmentConfirmed)
	if err != nil || bal.Value != airdrop {
		t.Fatalf("payer balance after airdrop = %+v, %v; want %d", bal, err, airdrop)
	}

	bh, err := cl2.GetLatestBlockhash(ctx, sgrpc.CommitmentConfirmed)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := solanago.NewTransaction([]solanago.Instruction{
		system.NewTransferInstruction(amount, payer.PublicKey(), to).Build(),
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
	sig, err := cl2.SendTransactionWithOpts(ctx, tx, sgrpc.TransactionOpts{PreflightCommitment: sgrpc.CommitmentConfirmed})
	if err != nil || sig != tx.Signatures[0] {
		t.Fatalf("SendTransaction = %s, %v", sig, err)
	}
	st := waitConfirmed(t, ctx, cl2, sig)
	t.Logf("transfer %s confirmed in slot %d (%s)", sig.String()[:8], st.Slot, st.ConfirmationStatus)

	// Every node agrees on the balances once the transfer is confirmed there.
	const fee = 5000
	for _, id := range ids(3) {
		cl := sgrpc.New(c.url(id))
		eventually(t, 20*time.Second, fmt.Sprintf("node %d balances", id), func() (bool, string) {
			pb, err1 := cl.GetBalance(ctx, payer.PublicKey(), sgrpc.CommitmentConfirmed)
			tb, err2 := cl.GetBalance(ctx, to, sgrpc.CommitmentConfirmed)
			if err1 != nil || err2 != nil {
				return false, fmt.Sprint(err1, err2)
			}
			if pb.Value == airdrop-amount-fee && tb.Value == amount {
				return true, ""
			}
			return false, fmt.Sprintf("payer %d, to %d", pb.Value, tb.Value)
		})
	}

	sts, err := cl1.GetSignatureStatuses(ctx, true, sig, asig, solanago.Signature{1})
	if err != nil || len(sts.Value) != 3 || sts.Value[0] == nil || sts.Value[1] == nil || sts.Value[2] != nil {
		t.Fatalf("GetSignatureStatuses = %+v, %v", sts, err)
	}

	wsc, err := ws.Connect(ctx, "ws://"+c.node(1).Addrs.Pubsub.String())
	if err != nil {
		t.Fatal(err)
	}
	defer wsc.Close()
	sub, err := wsc.SlotSubscribe()
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	var last uint64
	for i := 0; i < 5; i++ {
		got, err := sub.Recv(ctx)
		if err != nil {
			t.Fatalf("slot notification %d: %v", i, err)
		}
		if got.Slot <= last || got.Parent >= got.Slot {
			t.Fatalf("slot notification %d: %+v after slot %d", i, got, last)
		}
		last = got.Slot
	}

	nodes, err := cl1.GetClusterNodes(ctx)
	if err != nil || len(nodes) != 3 {
		t.Fatalf("GetClusterNodes = %d nodes, %v", len(nodes), err)
	}
	var raw []map[string]json.RawMessage
	if err := rpcCall(c.url(1), "getClusterNodes", nil, &raw); err != nil {
		t.Fatal(err)
	}
	// The keys web3.js and solana-go read (PROTOCOL.md §1.4).
	keys := strings.Fields("pubkey gossip tpu tpuQuic rpc pubsub version featureSet shredVersion")
	want := map[string]bool{}
	for _, n := range c.init.Nodes {
		want[n.Identity.String()] = true
	}
	for _, n := range raw {
		for _, k := range keys {
			if _, ok := n[k]; !ok {
				t.Errorf("getClusterNodes entry %s lacks %q", n["pubkey"], k)
			}
		}
		for _, k := range []string{"gossip", "tpu", "rpc", "pubsub", "version"} {
			if string(n[k]) == "null" {
				t.Errorf("getClusterNodes entry %s: %s is null", n["pubkey"], k)
			}
		}
		var pk string
		_ = json.Unmarshal(n["pubkey"], &pk)
		delete(want, pk)
	}
	if len(want) != 0 {
		t.Errorf("getClusterNodes misses %v", want)
	}
}
