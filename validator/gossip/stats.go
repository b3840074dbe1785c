package gossip

import "sync/atomic"

// Stats are counters since New, for metrics.
type Stats struct {
	PacketsReceived     uint64
	PacketsSent         uint64
	ValuesAccepted      uint64 // newer than what was held
	ValuesDuplicate     uint64 // already held (or older)
	DroppedMalformed    uint64 // packets that did not decode
	DroppedBadSignature uint64 // values
	DroppedShredVersion uint64 // packets or values of another shred version
	DroppedStale        uint64 // values with a wallclock too far from now
	PushPackets         uint64
	PullRequests        uint64
	PullResponses       uint64 // packets sent in answer to pulls
	Expired             uint64 // peers expired
	Peers               int    // live peers now, self excluded
}

type counters struct {
	recv, sent, accepted, dup, malformed, badSig, shredVer, stale atomic.Uint64
	push, pullReq, pullResp, expired                              atomic.Uint64
}
