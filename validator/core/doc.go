// Package core is the devnet validator's consensus core: a pure,
// deterministic state machine with no goroutines, no sockets, no wall clock
// and no global random source. The same core runs under the simulator
// (validator/sim) and under the networked process (validator/...).
//
// The life of a node, in order:
//
//  1. New(cfg) builds the genesis bank (slot 0, the first root) from a
//     Genesis value and, when cfg.Tower is set, restores the tower saved by a
//     previous run. A restored node never votes against its restored lockouts.
//  2. Tick(now) feeds time in milliseconds (wall or virtual). The current slot
//     is (now − Genesis.CreationMs) / Genesis.SlotMs. When the node leads a
//     slot it builds a block on its fork-choice tip and streams it as
//     BlockPiece messages of at most Config.MaxPieceBytes while the slot runs,
//     each flush of pieces in groups of up to 32 signed once over their
//     Merkle root (merkle.go); every piece carries its proof.
//  3. Step(msg) feeds one message received from a peer: a BlockPiece, a Vote,
//     a TransactionMsg or a RepairRequest. A block whose parent is frozen is
//     replayed piece by piece as its pieces arrive in order, so it freezes
//     as soon as its last piece is in; orphans wait and ask for their parent
//     (repair).
//  4. After each replayed block and each tick the node runs fork choice
//     (heaviest subtree), the Tower BFT checks (lockout, threshold at depth 8,
//     switch threshold) and votes when allowed.
//  5. Ready() hands out what the caller must do: the Tower to persist (before
//     sending anything), the messages to send, and the events that happened.
//  6. Query methods (Slot, Balance, SignatureStatuses, Block, VoteAccounts,
//     Tower, Stats, Simulate, …) answer the JSON-RPC layer with copied values.
//
// The core owns: leader schedule, bank (accounts, fees, System, Memo and Vote
// programs, blockhash queue, status cache, bank hash, squash and prune), entry
// hash chain, block streaming and replay, repair requests and responses,
// tower, fork choice and commitment. It must not: open sockets, start
// goroutines, read the clock, import config, cluster or ui.
//
// Simplifications, said plainly: entries form a SHA-256 hash chain but no
// proof-of-history grinding is done (the chain of slot s starts at
// SlotStartHash(parent block hash, s), standing in for the ticks a Solana
// leader hashes through every slot since its parent); there is no rent; votes travel as
// signed Vote messages (gossip and TPU) rather than as transactions inside
// blocks, and fork choice, thresholds and commitment use each validator's
// latest such vote (a Vote program instruction is accepted in a transaction
// but changes no state); a slot has one block (duplicates are not
// resolved: the first version seen is kept); epochs have no warmup and one
// schedule covers every epoch from 0.
//
// Timing rules of the leader: it listens for two slots after its first
// Tick before leading (unless it holds all the stake); it starts building
// SlotMs/4 into its slot when the previous slot had another leader (so that
// leader's last piece can arrive); it never builds at or below its own last
// vote; it does not build while it is catching up (peers vote for, or it
// is repairing, blocks far past its best bank). The leader propagation
// check of PROTOCOL.md §3.3 is not applied: with votes alone as evidence of
// propagation it stalled clusters whose votes had stopped (every leader
// refusing to extend its own tip).
//
// Memory stays bounded: banks at and below the root are squashed into it,
// forks that do not descend from it are pruned, and rooted blocks are kept
// (for queries and for repairing peers) up to Config.BlockHistory blocks and
// Config.HistoryBytes bytes. The root is the lower of this node's tower root
// and the highest super-majority root, so the finalized bank is always held.
//
// A Node is not safe for concurrent use: its owner serialises every call.
package core
