// Package load is the console's load engine: it drives a Solana-compatible
// cluster with signed transfers at a planned rate and measures what lands.
//
// Lifecycle of a run (Engine.Start):
//  1. Funding: a few payers are funded by requestAirdrop from the node's
//     faucet (polled until confirmed), then split by transfers into enough
//     accounts that no two transactions signed against one blockhash are
//     alike (distinct payer/lamports pairs per blockhash).
//  2. Signing: a pipeline of goroutines signs transfers ahead of the
//     schedule against a blockhash refreshed about every 2 s.
//  3. Scheduling: an open-loop scheduler gives every transaction an intended
//     send time from the Plan (constant, steps with cool-down, linear ramp).
//     Latency is measured from that time (coordinated omission corrected, as
//     wrk2 does); when the senders cannot keep up, the scheduler counts a
//     dropped send (k6's dropped_iterations) instead of slowing down.
//  4. Sending: JSON-RPC sendTransaction round-robin over the nodes, batched,
//     with skipPreflight; or UDP to the TPU of the current and next leaders.
//     One worker at a time gathers a batch (up to Config.Batch, lingering
//     at most Config.Linger for sends coming due) while the others send,
//     so a node answers few full batches rather than one request per
//     transaction.
//  5. Tracking: getSignatureStatuses in batches of at most 256 (halved
//     after a node refuses a long body), failing over between nodes. Up to
//     Config.TimedRate transactions a second (a uniform sample by send
//     time) are asked about every 50 ms on a fixed schedule
//     (Config.PollEvery) and their time to processed,
//     confirmed and finalized recorded in HDR histograms
//     (Config.FinalizedSample bounds how many go on to finalized; a
//     confirmed one is asked about again only once the node's finalized
//     slot reaches its slot, in the once-a-second round); every other one
//     is asked about once a second, to count it landed or failed.
//     Transactions whose blockhash aged out expire.
//  6. Reporting: a Report per plan step (target and achieved rate, sent,
//     accepted, landed, failed by kind, dropped, percentiles per commitment)
//     with a verdict against the guide's targets.
//
// The Plan is pure; clocks, sockets and goroutines live around it. Every
// goroutine is owned by the Engine and stopped by Stop or by the end of
// the run. Snapshot returns a copied value and never blocks; SetRate
// replaces the offered rate until the next step begins.
//
// It must not import the terminal UI, the cluster supervisor or the
// validator: it speaks JSON-RPC and UDP to any Solana-compatible node.
package load
