package core

import (
	"errors"
	"fmt"

	"slonui/solana"
)

// Config is everything a Node needs to start.
type Config struct {
	Genesis  Genesis
	Identity solana.Keypair // must be one of Genesis.Validators to vote
	// Tower, when set, is the tower a previous run persisted; the node
	// resumes from it and never votes against its lockouts.
	Tower *Tower
	// VerifySignatures checks ed25519 signatures of transactions, votes and
	// block pieces. Only the simulator turns it off, for its own synthetic
	// traffic; the verification path is covered by the core's unit tests.
	VerifySignatures bool
	// TrustBlockTransactions skips the ed25519 check of each transaction
	// while replaying a block whose pieces carry the scheduled leader's
	// valid signature: the leader checked every transaction it accepted.
	// A devnet simplification for throughput; off by default.
	TrustBlockTransactions bool
	MaxPieceBytes          int   // data bytes of one BlockPiece (≤ MaxPieceData, 948)
	MaxTxsPerBlock         int   // cap on non-vote transactions in one block
	MaxTxsPerEntry         int   // transactions per entry
	RepairRetryMs          int64 // wait before re-asking for a missing block
	BlockHistory           int   // rooted blocks kept for queries and repair
	HistoryBytes           int64 // and at most this many bytes of them
	TxQueueLimit           int   // pending transactions held by a leader
}

// DefaultConfig returns a Config with the defaults filled in; the caller sets
// Genesis and Identity.
func DefaultConfig() Config {
	return Config{
		VerifySignatures: true,
		MaxPieceBytes:    MaxPieceData,
		MaxTxsPerBlock:   100_000,
		MaxTxsPerEntry:   64,
		RepairRetryMs:    200,
		BlockHistory:     20_000,
		HistoryBytes:     512 << 20,
		TxQueueLimit:     200_000,
	}
}

// Validate returns every problem of c joined.
func (c Config) Validate() error {
	errs := []error{c.Genesis.Validate()}
	if c.MaxPieceBytes < 64 || c.MaxPieceBytes > MaxPieceData {
		errs = append(errs, fmt.Errorf("core: max_piece_bytes %d must be in 64..%d", c.MaxPieceBytes, MaxPieceData))
	}
	if c.MaxTxsPerBlock <= 0 || c.MaxTxsPerEntry <= 0 || c.TxQueueLimit <= 0 {
		errs = append(errs, errors.New("core: transaction limits must be > 0"))
	}
	if c.RepairRetryMs <= 0 {
		errs = append(errs, errors.New("core: repair_retry_ms must be > 0"))
	}
	if c.BlockHistory < 64 {
		errs = append(errs, fmt.Errorf("core: block_history %d must be ≥ 64", c.BlockHistory))
	}
	if c.HistoryBytes < 1<<20 {
		errs = append(errs, fmt.Errorf("core: history_bytes %d must be ≥ 1 MiB", c.HistoryBytes))
	}
	if c.Tower != nil {
		if err := c.Tower.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("core: restored tower: %w", err))
		}
	}
	return errors.Join(errs...)
}
