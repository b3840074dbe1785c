package shred

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"slonui/solana"
)

// Config configures a shred Node. The funcs are called from the Node's
// goroutines: they must not block, and must not call the Node back.
type Config struct {
	ShredVersion uint16
	// TVU receives broadcast shreds; Broadcast sends from it too.
	TVU net.PacketConn
	// Repair sends repair requests, receives their answers and answers
	// peers' requests.
	Repair net.PacketConn
	// LeaderOf returns the leader of slot; ok false drops the shred.
	LeaderOf func(slot uint64) (leader solana.Pubkey, ok bool)
	// RepairPeers returns the peers' repair addresses (from gossip).
	RepairPeers func() []netip.AddrPort
	// HaveSlot reports slots the caller already holds outside this store
	// (the root and below, replayed slots). It enables orphan repair: a
	// slot whose parent is neither stored nor held makes the Node fetch the
	// parent. Nil turns orphan repair off.
	HaveSlot func(slot uint64) bool
	// OnBatch, if set, gets every batch of a received slot in order.
	OnBatch func(Batch)
	// OnSlot, if set, gets every received slot once it is complete.
	// Slots arrive in completion order, not necessarily parent first.
	OnSlot func(Slot)

	MaxSlots           int           // slots kept (for reassembly and repair answers), default 1024
	RepairInterval     time.Duration // repair round period and first backoff, default 100 ms
	RepairDelay        time.Duration // how long a gap may stand before it is requested, default 100 ms
	LastShredTimeout   time.Duration // silence before asking for a slot's end, default 500 ms
	MaxRepairBackoff   time.Duration // default 2 s
	MaxRepairsPerRound int           // default 512
	InboundQueue       int           // received packets awaiting the worker, default 8192
	Logger             *slog.Logger  // nil discards
}

// DefaultConfig returns the defaults; the caller fills in the sockets and
// funcs.
func DefaultConfig() Config {
	return Config{
		MaxSlots:           1024,
		RepairInterval:     100 * time.Millisecond,
		RepairDelay:        100 * time.Millisecond,
		LastShredTimeout:   500 * time.Millisecond,
		MaxRepairBackoff:   2 * time.Second,
		MaxRepairsPerRound: 512,
		InboundQueue:       8192,
	}
}

// Validate returns every problem in c, joined.
func (c Config) Validate() error {
	var errs []error
	if c.TVU == nil {
		errs = append(errs, errors.New("shred: TVU socket is required"))
	}
	if c.Repair == nil {
		errs = append(errs, errors.New("shred: Repair socket is required"))
	}
	if c.LeaderOf == nil {
		errs = append(errs, errors.New("shred: LeaderOf is required"))
	}
	if c.RepairPeers == nil {
		errs = append(errs, errors.New("shred: RepairPeers is required"))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"RepairInterval", c.RepairInterval}, {"LastShredTimeout", c.LastShredTimeout}, {"MaxRepairBackoff", c.MaxRepairBackoff}} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("shred: %s must be > 0, got %v", d.name, d.v))
		}
	}
	if c.RepairDelay < 0 {
		errs = append(errs, fmt.Errorf("shred: RepairDelay must be ≥ 0, got %v", c.RepairDelay))
	}
	for _, n := range []struct {
		name string
		v    int
	}{{"MaxSlots", c.MaxSlots}, {"MaxRepairsPerRound", c.MaxRepairsPerRound}, {"InboundQueue", c.InboundQueue}} {
		if n.v <= 0 {
			errs = append(errs, fmt.Errorf("shred: %s must be > 0, got %d", n.name, n.v))
		}
	}
	return errors.Join(errs...)
}
