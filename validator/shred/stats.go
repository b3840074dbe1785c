package shred

import "sync/atomic"

// Stats are counters since New, for metrics.
type Stats struct {
	ShredsReceived       uint64 // shred packets read (TVU and repair answers)
	ShredsInserted       uint64
	Duplicates           uint64
	DroppedMalformed     uint64
	DroppedShredVersion  uint64
	DroppedUnknownLeader uint64
	DroppedBadSignature  uint64
	DroppedInvalid       uint64 // inconsistent with the slot (parent, end)
	DroppedQueueFull     uint64
	ShredsBroadcast      uint64 // packets sent by Broadcast
	RepairRequestsSent   uint64
	RepairRequestsServed uint64
	RepairShredsSent     uint64
	SlotsCompleted       uint64
	SlotsTracked         int
}

type counters struct {
	recv, inserted, dup, malformed, version, leader, badSig, invalid, queueFull atomic.Uint64
	broadcast, reqSent, reqServed, repairSent, completed                        atomic.Uint64
}
