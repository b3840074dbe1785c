// Package gossip is the devnet validator's UDP gossip: it spreads each
// node's signed ContactInfo and latest vote to every other node of the
// cluster, and tells the node which peers are alive.
//
// Lifecycle:
//
//  1. New checks the Config and signs the node's own ContactInfo.
//  2. Run starts one reader goroutine (decode, verify, merge into the table)
//     and one timer loop: push new values to Fanout random live peers every
//     PushInterval; pull from one random live peer and from the entrypoint
//     every PullInterval (the request carries a digest of what the node
//     holds, the answer carries what it lacks); re-sign the own ContactInfo
//     every RefreshInterval; expire peers not heard from for PeerExpiry.
//  3. PushVote signs a vote value and queues it for the next push.
//  4. Run returns when its context ends; it stops both goroutines and leaves
//     the PacketConn (owned by the caller) open.
//
// Values follow "newest wallclock wins per (origin, kind)". A value counts as
// heard when its wallclock advances, whether it came from its origin or was
// relayed, so a partitioned node expires from the others' tables after
// PeerExpiry and comes back once its refreshed ContactInfo gets through.
//
// Dropped and counted: packets that do not decode, values with a bad
// signature, another shred version, or a wallclock more than PeerExpiry away
// from now (stale).
//
// What it must not do: interpret votes (they are opaque bytes for the
// consensus core), open sockets of its own, or import the console.
// The wire format is described in wire.go.
package gossip
