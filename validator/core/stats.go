package core

// Stats are the node's counters and gauges, for metrics.
type Stats struct {
	Slot                 uint64 // the slot running now (from the clock)
	ProcessedSlot        uint64
	ConfirmedSlot        uint64
	RootSlot             uint64 // this node's tower root
	FinalizedSlot        uint64 // highest super-majority root
	VotesCast            uint64
	VotesReceived        uint64 // distinct newer votes from other validators
	BlocksProduced       uint64
	BlocksReplayed       uint64
	DeadBlocks           uint64
	SkippedSlots         uint64 // slots with no block on the rooted chain
	LiveForks            int    // tips of the tree of frozen banks
	Banks                int    // banks held above the squashed root
	PendingBlocks        int    // blocks being received or waiting for a parent
	Transactions         uint64 // landed transactions in the processed bank
	TxQueue              int    // transactions waiting for this node's next block
	RepairRequestsSent   uint64
	RepairRequestsServed uint64
}

// Stats returns a copy of the counters.
func (n *Node) Stats() Stats {
	s := n.stats
	s.Slot = n.slot
	s.ProcessedSlot = n.resetSlot
	s.ConfirmedSlot = n.confirmed
	s.RootSlot = n.tower.Root
	s.FinalizedSlot = n.hsmr
	s.LiveForks = len(n.fc.Leaves())
	s.Banks = len(n.banks)
	s.PendingBlocks = len(n.pending)
	if b := n.banks[n.resetSlot]; b != nil {
		s.Transactions = b.txCount
	}
	s.TxQueue = len(n.txQueue)
	return s
}
