package rpc

import (
	"context"
	"errors"
	"testing"
	"time"

	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

// feed sends ev to the fake every 20 ms until stopped: subscriptions race
// the first events, as on a live node.
func feed(f *rpcservertest.Fake, ev rpcserver.Event) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
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
				case f.Events <- ev:
				default:
				}
			}
		}
	}()
	return func() { cancel(); <-done }
}

func TestPubsubSlots(t *testing.T) {
	f := rpcservertest.NewFake()
	_, wsURL := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	ctx := testCtx(t)
	p, err := DialPubsub(ctx, wsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	sub, err := p.SlotSubscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.Events <- rpcserver.Event{Kind: rpcserver.EventSlot, Slot: 131, Parent: 130, Root: 100}
	select {
	case s := <-sub.C:
		if s != (SlotInfo{Parent: 130, Root: 100, Slot: 131}) {
			t.Fatalf("notification %+v", s)
		}
	case <-ctx.Done():
		t.Fatal("no slot notification")
	}
	if err := sub.Unsubscribe(ctx); err != nil {
		t.Fatal(err)
	}
	for range sub.C {
	}
	if err := sub.Unsubscribe(ctx); !IsCode(err, CodeInvalidParams) {
		t.Fatalf("second unsubscribe: %v", err)
	}
}

func TestPubsubSignature(t *testing.T) {
	f := rpcservertest.NewFake()
	_, wsURL := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	ctx := testCtx(t)
	p, err := DialPubsub(ctx, wsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	sig := solana.Signature{77}
	sub, err := p.SignatureSubscribe(ctx, sig, Confirmed, true)
	if err != nil {
		t.Fatal(err)
	}
	stop := feed(f, rpcserver.Event{Kind: rpcserver.EventSignatureReceived, Signature: sig})
	first := <-sub.C
	stop()
	if !first.Received {
		t.Fatalf("first notification %+v", first)
	}
	one := uint64(1)
	f.SetStatus(sig, &rpcserver.SignatureStatus{Slot: 129, Confirmations: &one, ConfirmationStatus: rpcserver.Confirmed,
		Err: map[string]any{"InstructionError": []any{0, map[string]any{"Custom": 1}}}})
	stop = feed(f, rpcserver.Event{Kind: rpcserver.EventCommitment, Slot: 129})
	final, ok := <-sub.C
	stop()
	if !ok || final.Received || final.Slot != 128 || string(final.Err) != `{"InstructionError":[0,{"Custom":1}]}` {
		t.Fatalf("final notification %+v (open %v)", final, ok)
	}
	if _, ok := <-sub.C; ok {
		t.Fatal("channel open after the final notification")
	}
}

func TestPubsubClose(t *testing.T) {
	f := rpcservertest.NewFake()
	_, wsURL := rpcservertest.Start(t, f, rpcserver.DefaultConfig())
	ctx := testCtx(t)
	p, err := DialPubsub(ctx, wsURL)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := p.SlotSubscribe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	for range sub.C {
	}
	if !errors.Is(p.Err(), ErrPubsubClosed) {
		t.Fatalf("Err = %v", p.Err())
	}
	if _, err := p.SlotSubscribe(ctx); !errors.Is(err, ErrPubsubClosed) {
		t.Fatalf("subscribe after close: %v", err)
	}
}
