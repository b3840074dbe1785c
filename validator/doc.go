// Package validator is the built-in devnet validator process: it wraps the
// pure consensus core (validator/core) in sockets, goroutines, a clock and a
// ledger directory, so that `slonui validator --config FILE` is a real node
// that stock Solana clients can talk to.
//
// The life of a node, in order:
//
//  1. Load (setup.go) reads validator.toml, the shared genesis.json, the
//     identity keypair (which must be one of the genesis validators: a node
//     that cannot vote is refused rather than run silently), the faucet
//     keypair beside genesis.json (optional: without it requestAirdrop is
//     refused) and the admin token, and restores LEDGER/tower.bin.
//  2. Bind (sockets.go) opens every socket on the node's own address before
//     anything runs, naming the address that is in use when one is. Every
//     UDP socket is wrapped by one netfault.Filter, so the admin API cuts,
//     drops and delays gossip, TPU, block and repair traffic alike.
//  3. Run starts the owners of the goroutines: gossip, the TPU listener, the
//     block/repair readers, the RPC + pubsub server, the admin server, the
//     entrypoint check and the node loop. Each is stopped by cancelling its
//     context and waited for. The entrypoint check (probe.go) asks the
//     entrypoint for its shred version over the gossip socket and stops the
//     node with ErrShredVersion when it differs: gossip alone would drop
//     the other cluster's packets silently and the node would just stay
//     alone.
//  4. The node loop (loop.go) is the only caller that steps the core. It
//     ticks the core every TickInterval, feeds it inbound messages (at most
//     256 or 20 ms of them a turn, so a burst of blocks to replay does not
//     delay its own block), then acts on core.Ready in the order the core
//     demands: a changed tower and the votes go to the voter (voter.go),
//     which writes LEDGER/tower.bin (temp file, fsync, rename) and only then
//     sends the votes, so a slow fsync delays votes, never the loop; the
//     other messages are routed at once (route.go); then events are logged,
//     counted and fanned out to pubsub. After each step it publishes an
//     immutable status snapshot that the cheap RPC getters read without
//     waiting. A turn longer than a quarter slot is logged as a slow loop
//     turn, with where the time went.
//  5. RPC methods that read a bank take the core's mutex for the length of
//     one query (backend.go); no I/O ever happens under it.
//  6. On SIGTERM/SIGINT the caller cancels the context: the loop stops, the
//     servers shut down, the sockets close, and Run returns nil.
//
// Wire: node-to-node consensus traffic is core.MarshalMessage framing in one
// UDP datagram (block pieces ≤ 948 data bytes, in groups of up to 32 whose Merkle root
// the leader signs once, each piece carrying its proof; votes;
// forwarded transactions; repair requests and answers), plus the process's
// own signed forward batches (forward.go). Block pieces and
// forwarded transactions go to a peer's TVU port, repair traffic to its
// repair port, and raw wire transactions from clients arrive on the TPU
// port. The core does its own reassembly and repair, so validator/shred's
// Node is not used for blocks; its TPU listener is.
//
// What is verified where (each transaction's ed25519 signatures are
// checked once per node at most, never on the loop, and on at most
// GOMAXPROCS-1 goroutines at once, so the loop always finds a processor):
//
//   - A client's transaction (sendTransaction, the TPU port, an airdrop) is
//     decoded, sanitized and its signatures checked on the RPC handler's or
//     TPU worker's goroutine (verify.go) before the core sees it, through
//     core.SubmitVerifiedTransaction. With preflight, rpcserver checks it
//     too.
//   - The core forwards it to the current and next leaders; route.go packs
//     the forwards for one peer into forward batches signed by this node's
//     identity (forward.go). A leader checks each batch's signature and
//     that its sender is a genesis validator, once per batch, on a verifier
//     goroutine; that validator checked every transaction's signatures
//     before forwarding. A single framed core.TransactionMsg (not batched)
//     has its transaction's signatures checked there instead.
//   - A leader queues only transactions checked as above, so every
//     transaction in its blocks was verified by a validator. The core
//     checks every block piece's signature against the slot's scheduled
//     leader (also for pieces replayed from blocks.bin), and runs with
//     core.Config.TrustBlockTransactions, so replay does not check the
//     transactions' signatures a second time.
//   - Everything else is checked on every node, in replay, for every
//     transaction: the entry hash chain, the fee payer's balance and fee,
//     the recent blockhash's age on that fork and the status cache (a
//     signature is processed once).
//
// Restart: the ledger directory holds tower.bin and blocks.bin (blocklog.go:
// the pieces of every block this node froze, in freeze order). A restarted
// node begins at genesis with its saved tower (so it can never vote against
// a lockout it held), replays its own block log, and repairs from peers
// only what it missed while down. The core keeps BlockHistory rooted blocks
// in memory, which bounds an idle node's memory; a node down for longer
// than that many slots cannot catch up (peers no longer hold the gap, and
// there are no snapshots).
//
// What it must not do: import cluster, load, chaos or ui, or hold consensus
// state outside the core.
package validator
