// Package netfault injects network faults into one devnet validator without
// root: a Filter shared by every UDP socket of the node, and the loopback-only
// admin HTTP API (plus its Go Client) through which the console drives it.
//
// Lifecycle:
//
//  1. The node creates one Filter with New and wraps each of its UDP sockets
//     (gossip, TPU, TVU/shreds, repair, votes) with Filter.Wrap.
//  2. Every packet, in both directions, asks the Filter's current rule set
//     what to do: pass, drop (partition or loss) or delay (+ jitter). The rule
//     set is immutable and read through an atomic pointer, so a node with no
//     fault active pays one atomic load per packet.
//  3. Delayed packets are handed to the Filter's scheduler goroutine, which
//     sends (or delivers, on receive) them when due; the caller never blocks.
//  4. The admin API (AdminHandler served on a listener from ListenLoopback)
//     changes the rules: partition (both ways, or one way for a directed
//     link), loss, delay, heal, replace-all (for rollback), and reports
//     them with the counters. Every request carries the cluster token.
//  5. Filter.Close stops the scheduler; wrapped sockets are closed by their
//     owners.
//
// What it must not do: filter TCP. JSON-RPC, pubsub, metrics and the admin API
// itself are HTTP and are never filtered, so the console can always see every
// node, even a partitioned one. It knows nothing of gossip, shreds or
// consensus: it sees opaque packets and peer addresses only.
package netfault
