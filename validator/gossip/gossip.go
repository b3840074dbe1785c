package gossip

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"slonui/solana"
)

// maxPullRespPackets bounds the answer to one pull request.
const maxPullRespPackets = 16

// ErrRunTwice is returned by a second call to Run.
var ErrRunTwice = errors.New("gossip: Run called twice")

// ErrVoteTooLarge is returned by PushVote for votes over MaxVoteSize.
var ErrVoteTooLarge = errors.New("gossip: vote larger than MaxVoteSize")

// Node is one node's gossip. Its methods are safe for concurrent use.
type Node struct {
	cfg Config
	log *slog.Logger
	c   counters

	mu        sync.Mutex
	tab       *table
	self      value // own ContactInfo, signed
	selfCI    ContactInfo
	selfVote  *value // own latest vote
	lastClock uint64 // last wallclock used for an own value
	queue     []value
	rng       *rand.Rand
	stopping  bool
	ran       atomic.Bool
}

// New checks cfg and signs the node's ContactInfo. Call Run to start.
func New(cfg Config) (*Node, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.RefreshInterval == 0 {
		cfg.RefreshInterval = cfg.PeerExpiry / 4
	}
	if !cfg.Self.Gossip.IsValid() {
		if ua, ok := cfg.Conn.LocalAddr().(*net.UDPAddr); ok {
			ap := ua.AddrPort()
			cfg.Self.Gossip = netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port())
		}
	}
	cfg.Self.Pubkey = cfg.Identity.Pubkey()
	cfg.Self.ShredVersion = cfg.ShredVersion
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	seed := cfg.Identity.Pubkey()
	n := &Node{
		cfg: cfg,
		log: log,
		tab: newTable(),
		rng: rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(seed[0])<<8|uint64(seed[1]))),
	}
	n.mu.Lock()
	n.refreshSelfLocked(time.Now())
	n.mu.Unlock()
	return n, nil
}

// nextClockLocked returns a wallclock (ms) strictly above the last own one.
func (n *Node) nextClockLocked(now time.Time) uint64 {
	ms := uint64(now.UnixMilli())
	if ms <= n.lastClock {
		ms = n.lastClock + 1
	}
	n.lastClock = ms
	return ms
}

func (n *Node) refreshSelfLocked(now time.Time) {
	ci := n.cfg.Self
	ci.Wallclock = n.nextClockLocked(now)
	n.selfCI = ci
	n.self = signValue(n.cfg.Identity, KindContactInfo, ci.Wallclock, n.cfg.ShredVersion, appendContactPayload(nil, ci))
	n.queue = append(n.queue, n.self)
}

// Self returns the node's current ContactInfo.
func (n *Node) Self() ContactInfo {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.selfCI
}

// Peers returns a copy of the live peers' ContactInfo, sorted by pubkey,
// self excluded.
func (n *Node) Peers() []ContactInfo {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.tab.contacts(n.liveSince())
}

// liveSince is the oldest heard time of a live peer: entries older than
// PeerExpiry are hidden even before the next push round removes them.
func (n *Node) liveSince() time.Time { return time.Now().Add(-n.cfg.PeerExpiry) }

// Lookup returns the live ContactInfo of pub (self included).
func (n *Node) Lookup(pub solana.Pubkey) (ContactInfo, bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if pub == n.selfCI.Pubkey {
		return n.selfCI, true
	}
	return n.tab.contact(pub, n.liveSince())
}

// Votes returns a copy of the latest vote of every other live node, sorted
// by origin.
func (n *Node) Votes() []Vote {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.tab.votes()
}

// PushVote signs vote (opaque bytes, at most MaxVoteSize) as the node's
// latest vote and queues it for the next push round. It does not block on
// the network.
func (n *Node) PushVote(vote []byte) error {
	if len(vote) > MaxVoteSize {
		return fmt.Errorf("gossip: push vote of %d bytes: %w", len(vote), ErrVoteTooLarge)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	v := signValue(n.cfg.Identity, KindVote, n.nextClockLocked(time.Now()), n.cfg.ShredVersion, vote)
	n.selfVote = &v
	n.queue = append(n.queue, v)
	return nil
}

// Stats returns the counters.
func (n *Node) Stats() Stats {
	n.mu.Lock()
	peers := len(n.tab.contacts(n.liveSince()))
	n.mu.Unlock()
	c := &n.c
	return Stats{
		PacketsReceived: c.recv.Load(), PacketsSent: c.sent.Load(),
		ValuesAccepted: c.accepted.Load(), ValuesDuplicate: c.dup.Load(),
		DroppedMalformed: c.malformed.Load(), DroppedBadSignature: c.badSig.Load(),
		DroppedShredVersion: c.shredVer.Load(), DroppedStale: c.stale.Load(),
		PushPackets: c.push.Load(), PullRequests: c.pullReq.Load(), PullResponses: c.pullResp.Load(),
		Expired: c.expired.Load(), Peers: peers,
	}
}

// ownValuesLocked returns the node's own values.
func (n *Node) ownValuesLocked() []value {
	if n.selfVote != nil {
		return []value{n.self, *n.selfVote}
	}
	return []value{n.self}
}

// Run gossips until ctx ends. It returns nil on cancellation, or the first
// read error of the socket other than a deadline. It may be called once.
func (n *Node) Run(ctx context.Context) error {
	if n.ran.Swap(true) {
		return ErrRunTwice
	}
	readErr := make(chan error, 1)
	go func() { readErr <- n.readLoop() }()
	err := n.timerLoop(ctx, readErr)
	// Stop the reader: a read deadline in the past unblocks ReadFrom
	// without closing the caller's socket.
	n.stopReader()
	if err == nil {
		<-readErr
	}
	return err
}

func (n *Node) stopReader() {
	n.mu.Lock()
	n.stopping = true
	n.mu.Unlock()
	_ = n.cfg.Conn.SetReadDeadline(time.Now())
}

func (n *Node) send(b []byte, to netip.AddrPort) {
	if _, err := n.cfg.Conn.WriteTo(b, net.UDPAddrFromAddrPort(to)); err != nil {
		n.log.Debug("gossip send failed", "to", to, "err", err)
		return
	}
	n.c.sent.Add(1)
}
