package sim

// NodeResult is one node at the end of a run.
type NodeResult struct {
	ID             int    `json:"id"`
	Pubkey         string `json:"pubkey"`
	Stake          uint64 `json:"stake"`
	Processed      uint64 `json:"processed"`
	Confirmed      uint64 `json:"confirmed"`
	Root           uint64 `json:"root"`
	Finalized      uint64 `json:"finalized"`
	RootHash       string `json:"root_hash"`
	VotesCast      uint64 `json:"votes_cast"`
	BlocksProduced uint64 `json:"blocks_produced"`
	Restarted      bool   `json:"restarted,omitempty"`
}

// SideResult is one side of a partition.
type SideResult struct {
	Nodes             []int   `json:"nodes"`
	StakeFraction     float64 `json:"stake_fraction"`
	ConfirmedAdvanced uint64  `json:"confirmed_advanced"`
}

// PartitionResult describes the partition of a run.
type PartitionResult struct {
	StartSlot uint64       `json:"start_slot"`
	HealSlot  uint64       `json:"heal_slot"`
	Sides     []SideResult `json:"sides"`
}

// Result is what `slonui sim --json` prints.
type Result struct {
	Seed                  uint64           `json:"seed"`
	Slots                 uint64           `json:"slots"`
	SlotMs                int64            `json:"slot_ms"`
	Nodes                 []NodeResult     `json:"nodes"`
	MaxForks              int              `json:"max_forks"`
	Partition             *PartitionResult `json:"partition"`
	Converged             bool             `json:"converged"`
	ConvergedAfterHealMs  *int64           `json:"converged_after_heal_ms"`
	NewRootsAfterHeal     *int             `json:"new_roots_after_heal"`
	RootedAfterHealMs     *int64           `json:"rooted_after_heal_ms"` // when every node had a new root
	TransactionsSubmitted uint64           `json:"transactions_submitted"`
	TransactionsLanded    uint64           `json:"transactions_landed"`
	MessagesSent          uint64           `json:"messages_sent"`
	MessagesDropped       uint64           `json:"messages_dropped"`
	TranscriptHash        string           `json:"transcript_hash"`
	Timeline              []TimelineEntry  `json:"timeline"`
}

// TimelineEntry is one line of the human timeline.
type TimelineEntry struct {
	Slot uint64 `json:"slot"`
	Text string `json:"text"`
}
