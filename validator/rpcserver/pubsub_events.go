package rpcserver

import (
	"encoding/json"
	"maps"

	"slonui/solana"
)

// notification encodes a subscription notification.
func notification(method string, sub uint64, result any) []byte {
	b, err := json.Marshal(struct {
		JSONRPC string `json:"jsonrpc"`
		Method  string `json:"method"`
		Params  struct {
			Result       any    `json:"result"`
			Subscription uint64 `json:"subscription"`
		} `json:"params"`
	}{JSONRPC: "2.0", Method: method, Params: struct {
		Result       any    `json:"result"`
		Subscription uint64 `json:"subscription"`
	}{result, sub}})
	if err != nil {
		return nil
	}
	return b
}

// event fans one backend event out to the subscribers.
func (ps *pubsub) event(ev Event) {
	switch ev.Kind {
	case EventSlot:
		res := struct {
			Parent uint64 `json:"parent"`
			Root   uint64 `json:"root"`
			Slot   uint64 `json:"slot"`
		}{ev.Parent, ev.Root, ev.Slot}
		ps.fanout(ps.slots, "slotNotification", res)
	case EventRoot:
		ps.fanout(ps.roots, "rootNotification", ev.Root)
	case EventSignatureReceived:
		ps.received(ev)
		return
	}
	ps.mu.Lock()
	pending := maps.Clone(ps.sigs)
	ps.mu.Unlock()
	ps.checkSignatures(pending)
}

func (ps *pubsub) fanout(m map[uint64]*wsConn, method string, result any) {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for id, c := range m {
		c.send(notification(method, id, result))
	}
}

// received sends the "receivedSignature" notification to subscriptions
// that asked for it.
func (ps *pubsub) received(ev Event) {
	slot := ps.s.b.Bank(Processed).Slot()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	for id, sub := range ps.sigs {
		if sub.received && sub.sig == ev.Signature {
			sub.received = false
			sub.c.send(notification("signatureNotification", id, ps.s.withContext(slot, "receivedSignature")))
		}
	}
}

// rank orders commitment levels.
func rank(c Commitment) int {
	switch c {
	case Processed:
		return 1
	case Confirmed:
		return 2
	case Finalized:
		return 3
	}
	return 0
}

// checkSignatures fires (once) every subscription in pending whose
// signature has reached its commitment, then cancels it.
func (ps *pubsub) checkSignatures(pending map[uint64]*sigSub) {
	if len(pending) == 0 {
		return
	}
	ids := make([]uint64, 0, len(pending))
	for id := range pending {
		ids = append(ids, id)
	}
	for start := 0; start < len(ids); start += maxSignatureStatuses {
		chunk := ids[start:min(start+maxSignatureStatuses, len(ids))]
		sigs := make([]solana.Signature, len(chunk))
		for i, id := range chunk {
			sigs[i] = pending[id].sig
		}
		statuses := ps.s.b.SignatureStatuses(sigs, false)
		for i, id := range chunk {
			if i >= len(statuses) || statuses[i] == nil {
				continue
			}
			st, sub := statuses[i], pending[id]
			if rank(st.ConfirmationStatus) < rank(sub.level) {
				continue
			}
			ps.mu.Lock()
			_, live := ps.sigs[id]
			delete(ps.sigs, id)
			ps.mu.Unlock()
			if !live {
				continue
			}
			slot := ps.s.b.Bank(sub.level).Slot()
			value := struct {
				Err any `json:"err"`
			}{st.Err}
			sub.c.send(notification("signatureNotification", id, ps.s.withContext(slot, value)))
		}
	}
}
