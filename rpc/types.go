package rpc

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	"slonui/solana"
)

// Commitment is a commitment level.
type Commitment string

// Commitment levels.
const (
	Processed Commitment = "processed"
	Confirmed Commitment = "confirmed"
	Finalized Commitment = "finalized"
)

// commitmentParam is the trailing config object, or nothing for "".
func commitmentParam(c Commitment) []any {
	if c == "" {
		return nil
	}
	return []any{map[string]any{"commitment": c}}
}

// Hash is a hash decoded from base58 or, as the real slonana sends it, hex.
type Hash solana.Hash

// UnmarshalJSON accepts base58 or 64 hex digits.
func (h *Hash) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseHashTolerant(s)
	*h = Hash(v)
	return err
}

func (h Hash) String() string { return solana.Hash(h).String() }

// ParseHashTolerant decodes a base58 hash, or 64 hex digits.
func ParseHashTolerant(s string) (solana.Hash, error) {
	var h solana.Hash
	if len(s) == 2*len(h) {
		if b, err := hex.DecodeString(s); err == nil {
			copy(h[:], b)
			return h, nil
		}
	}
	h, err := solana.ParseHash(s)
	if err != nil {
		return h, fmt.Errorf("rpc: hash %q is neither base58 nor hex: %w", s, err)
	}
	return h, nil
}

// ClusterNode is one getClusterNodes entry. Addresses are "" when null.
type ClusterNode struct {
	Pubkey       string  `json:"pubkey"`
	Gossip       string  `json:"gossip"`
	TPU          string  `json:"tpu"`
	TPUQuic      string  `json:"tpuQuic"`
	RPC          string  `json:"rpc"`
	PubSub       string  `json:"pubsub"`
	Version      string  `json:"version"`
	FeatureSet   *uint64 `json:"featureSet"`
	ShredVersion *uint64 `json:"shredVersion"`
}

// UnmarshalJSON reads null addresses as "".
func (n *ClusterNode) UnmarshalJSON(b []byte) error { return n.scan(b) }

// VoteAccount is one getVoteAccounts entry.
type VoteAccount struct {
	VotePubkey       string      `json:"votePubkey"`
	NodePubkey       string      `json:"nodePubkey"`
	ActivatedStake   uint64      `json:"activatedStake"`
	EpochVoteAccount bool        `json:"epochVoteAccount"`
	Commission       uint8       `json:"commission"`
	LastVote         uint64      `json:"lastVote"`
	EpochCredits     [][3]uint64 `json:"epochCredits"`
	RootSlot         uint64      `json:"rootSlot"`
}

// VoteAccounts is getVoteAccounts' result.
type VoteAccounts struct {
	Current    []VoteAccount `json:"current"`
	Delinquent []VoteAccount `json:"delinquent"`
}

// EpochInfo is getEpochInfo's result.
type EpochInfo struct {
	AbsoluteSlot     uint64 `json:"absoluteSlot"`
	BlockHeight      uint64 `json:"blockHeight"`
	Epoch            uint64 `json:"epoch"`
	SlotIndex        uint64 `json:"slotIndex"`
	SlotsInEpoch     uint64 `json:"slotsInEpoch"`
	TransactionCount uint64 `json:"transactionCount"`
}

// Version is getVersion's result.
type Version struct {
	SolanaCore string `json:"solana-core"`
	FeatureSet uint64 `json:"feature-set"`
}

// Blockhash is getLatestBlockhash's result with its context slot.
type Blockhash struct {
	Slot                 uint64
	Hash                 solana.Hash
	LastValidBlockHeight uint64
}

// Health is a node's health as getHealth reports it, by result or by
// error -32005: OK, or a status ("behind", "unhealthy", slonana's
// "unhealthy" result string …) with how far behind when known.
type Health struct {
	OK          bool
	Status      string
	SlotsBehind *uint64
}

// SignatureStatus is one getSignatureStatuses entry.
type SignatureStatus struct {
	Slot               uint64          `json:"slot"`
	Confirmations      *uint64         `json:"confirmations"`
	Err                json.RawMessage `json:"err"`
	ConfirmationStatus Commitment      `json:"confirmationStatus"`
}

// Failed reports whether the transaction executed with an error.
func (s *SignatureStatus) Failed() bool {
	return len(s.Err) > 0 && string(s.Err) != "null"
}

// contextValue is the {"context":{"slot"},"value"} wrapper.
type contextValue[T any] struct {
	Context struct {
		Slot uint64 `json:"slot"`
	} `json:"context"`
	Value T `json:"value"`
}

// SendOptions are sendTransaction's options.
type SendOptions struct {
	SkipPreflight       bool
	PreflightCommitment Commitment // "" = the node's default (finalized)
	MaxRetries          *uint64
}

// BlockOptions are getBlock's options.
type BlockOptions struct {
	Commitment         Commitment // "" = finalized
	TransactionDetails string     // "full", "accounts", "signatures" (default here), "none"
	Rewards            bool
}

// Block is getBlock's result; Transactions are left raw.
type Block struct {
	Blockhash         string            `json:"blockhash"`
	PreviousBlockhash string            `json:"previousBlockhash"`
	ParentSlot        uint64            `json:"parentSlot"`
	BlockTime         *int64            `json:"blockTime"`
	BlockHeight       *uint64           `json:"blockHeight"`
	Signatures        []string          `json:"signatures"`
	Transactions      []json.RawMessage `json:"transactions"`
	Rewards           []json.RawMessage `json:"rewards"`
}
