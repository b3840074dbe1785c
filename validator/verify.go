package validator

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"slonui/solana"
	"slonui/validator/core"
	"slonui/validator/rpcserver"
)

// Transactions are verified once per node, on several goroutines, before
// the loop sees them: a client's transaction on the RPC handler's or the
// TPU worker's goroutine, a peer's forwarded transaction on a verifier
// worker. The loop hands the verified ones to the core in batches with
// core.SubmitVerifiedTransaction, under one hold of the mutex per batch.

// verifiedTx is a transaction whose signatures this node has checked.
type verifiedTx struct {
	raw     []byte
	forward bool // from a client: forward it to the current and next leaders
}

const (
	// verifiedQueue bounds verified transactions waiting for the loop.
	verifiedQueue = 65536
	// forwardQueue bounds forwarded transactions waiting for a verifier.
	forwardQueue = 32768
	// maxTxBatch bounds the transactions submitted under one hold of the
	// core's mutex.
	maxTxBatch = 2048
)

// verifyWire decodes and sanitizes a wire transaction and checks every
// signature over its message.
func verifyWire(wire []byte) (solana.Signature, error) {
	tx, msg, err := solana.DecodeTransactionMessage(wire)
	if err != nil {
		return solana.Signature{}, fmt.Errorf("core: transaction: %w", err)
	}
	if err := tx.VerifyMessage(msg); err != nil {
		return tx.ID(), fmt.Errorf("core: transaction %s: %w", tx.ID(), core.ErrBadSignature)
	}
	return tx.ID(), nil
}

// dontWait is an already-ended context: queueing with it drops the
// transaction (counted) when the loop's queue is full instead of waiting,
// for callers that must never block, such as a socket reader.
var dontWait = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// submit verifies a client's wire transaction on the caller's goroutine
// and queues it for the loop. With dontWait a full queue drops it (the TPU:
// never block the socket); otherwise it waits for room until ctx ends.
func (n *Node) submit(ctx context.Context, wire []byte) (solana.Signature, error) {
	if err := n.startVerify(ctx); err != nil {
		return solana.Signature{}, err
	}
	sig, err := verifyWire(wire)
	n.endVerify()
	if err != nil {
		return sig, err
	}
	if err := n.queueVerified(ctx, verifiedTx{raw: wire, forward: true}); err != nil {
		return sig, err
	}
	n.subs.send(rpcserver.Event{Kind: rpcserver.EventSignatureReceived, Signature: sig})
	return sig, nil
}

// startVerify takes one of the verification slots, waiting until one is
// free or ctx ends (dontWait waits as long as it takes: the TPU's workers
// have their own bounded queue). Signatures are checked on at most
// GOMAXPROCS-1 goroutines at once, however many RPC connections and
// workers want to, so the loop — block production, replay, votes — always
// finds a processor: with one goroutine per connection verifying, the
// loop queued behind them for up to a second under load and its blocks
// came late enough to fork the cluster.
func (n *Node) startVerify(ctx context.Context) error {
	select {
	case n.verifying <- struct{}{}:
		return nil
	default:
	}
	if ctx == dontWait {
		n.verifying <- struct{}{}
		return nil
	}
	select {
	case n.verifying <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting to verify: %w", ctx.Err())
	}
}

// endVerify gives the slot back.
func (n *Node) endVerify() { <-n.verifying }

// verifySlots is how many goroutines check signatures at once.
func verifySlots() int { return max(1, runtime.GOMAXPROCS(0)-1) }

// queueVerified hands v to the loop; see submit for ctx.
func (n *Node) queueVerified(ctx context.Context, v verifiedTx) error {
	select {
	case n.verified <- v:
		return nil
	default:
	}
	if ctx == dontWait {
		n.counter.txQueueFull.Add(1)
		return errTxQueueFull
	}
	select {
	case n.verified <- v:
		return nil
	case <-ctx.Done():
		n.counter.txQueueFull.Add(1)
		return fmt.Errorf("%w: %w", errTxQueueFull, ctx.Err())
	}
}

var errTxQueueFull = fmt.Errorf("transaction queue full")

// fwdJob is what a peer forwarded: one framed transaction, or a forward
// batch (forward.go).
type fwdJob struct {
	pkt   []byte
	batch bool
}

// forwarded queues what a peer forwarded for verification; a full queue
// drops it.
func (n *Node) forwarded(j fwdJob) {
	select {
	case n.forwards <- j:
	default:
		n.counter.txQueueFull.Add(1)
	}
}

// runVerifiers checks forwarded transactions on one goroutine per CPU
// until ctx ends, and waits for them.
func (n *Node) runVerifiers(ctx context.Context) error {
	var wg sync.WaitGroup
	for range verifierWorkers() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case j := <-n.forwards:
					n.verifyForwarded(j)
				}
			}
		}()
	}
	wg.Wait()
	return nil
}

// verifierWorkers is how many goroutines verify signatures in parallel.
func verifierWorkers() int { return max(1, runtime.GOMAXPROCS(0)) }

// acceptVerified submits v and up to maxTxBatch-1 more waiting ones to the
// core; the caller holds n.mu.
func (n *Node) acceptVerified(v verifiedTx) {
	for i := 0; ; i++ {
		if _, err := n.core.SubmitVerifiedTransaction(v.raw, v.forward); err != nil {
			n.counter.rejected.Add(1)
		}
		if i+1 >= maxTxBatch {
			return
		}
		select {
		case v = <-n.verified:
		default:
			return
		}
	}
}

// verifyForwarded checks a forwarded transaction's signatures, or a forward
// batch's sender and signature, and queues what passes for the loop.
func (n *Node) verifyForwarded(j fwdJob) {
	_ = n.startVerify(dontWait)
	defer n.endVerify()
	if !j.batch {
		if _, err := verifyWire(j.pkt); err != nil {
			n.counter.rejected.Add(1)
			return
		}
		_ = n.queueVerified(dontWait, verifiedTx{raw: j.pkt})
		return
	}
	txs, err := openForwards(n.genesisHash, j.pkt, n.isValidator)
	if err != nil {
		n.counter.malformed.Add(1)
		n.log.Debug("forward batch refused", "module", "tpu", "err", err)
		return
	}
	for _, raw := range txs {
		_ = n.queueVerified(dontWait, verifiedTx{raw: raw})
	}
}

// isValidator reports whether pk is one of the genesis validators.
func (n *Node) isValidator(pk solana.Pubkey) bool {
	for _, v := range n.s.genesis.Validators {
		if v.Identity == pk {
			return true
		}
	}
	return false
}
