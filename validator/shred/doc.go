// Package shred moves blocks between devnet validators over UDP: the
// leader's Shredder cuts a slot's block data into signed shreds, Node
// broadcasts them, receives and verifies peers' shreds, reassembles slots in
// order, and repairs what is missing; TPU receives raw transaction packets.
//
// Lifecycle of a slot:
//
//  1. The leader makes one Shredder per slot and hands it pieces of block
//     data (already-serialized entry batches) while the slot runs; each
//     Write returns the shreds for that piece at once, the last of them
//     flagged BatchComplete; Finish returns the closing LastInSlot shred.
//  2. Node.Broadcast keeps the shreds in the node's store (to answer repair)
//     and sends each to every peer's TVU address (a flat fan-out, not
//     Turbine's tree).
//  3. A receiving Node verifies each shred against the slot's leader (the
//     caller's LeaderOf), stores it, hands every in-order batch to OnBatch
//     and the whole slot to OnSlot once shred 0 … the LastInSlot shred are
//     all there.
//  4. Every RepairInterval the Node asks peers (RepairPeers) over the repair
//     socket for shreds missing in a gap, for the highest shred of a slot
//     whose end never came, and for the parents it does not have (orphans),
//     retrying with a different peer and doubling backoff. Peers answer from
//     their bounded store.
//
// Signatures: every shred carries the leader's ed25519 signature over its
// header and payload (per shred, not a Merkle root per batch: simple, and
// cheap enough at devnet rates). Repair requests are unsigned (devnet).
//
// What it must not do: interpret block data (it is opaque bytes for the
// consensus core), decide leaders, open sockets of its own, or import the
// console. All sockets are net.PacketConn, so netfault can wrap them.
package shred
