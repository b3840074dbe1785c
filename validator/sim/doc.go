// Package sim is a deterministic network simulator for the devnet consensus
// core: N core.Node values stepped in virtual time over an in-memory network
// with per-link delay, seeded loss, partitions as sets of cut directed links,
// and heal. There are no goroutines, sockets or wall clock: the same seed
// gives the same run, event for event (see Result.TranscriptHash).
//
// It owns: the event queue (ticks and message deliveries ordered by virtual
// time then sequence), fault injection, synthetic transfer traffic, killing
// and restarting a node from its persisted tower, and the observations
// `slonui sim` reports (forks, confirmation per side, convergence, roots).
// It must not: import cluster, load, chaos or ui, or touch the network.
//
// A partition cuts every message between the groups (blocks, votes,
// repair, transactions), unlike Agave's local-cluster harness where gossip
// keeps running; a killed node neither sends nor receives and comes back as
// a new core with its persisted tower and only the genesis ledger.
//
// The simulator turns off ed25519 verification inside the cores for its own
// synthetic traffic (Config.VerifySignatures false by default); the core's
// verification path is exercised by the core's unit tests and can be turned
// on here with Config.VerifySignatures.
package sim
