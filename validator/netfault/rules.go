package netfault

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"time"
)

// Limits on rule values.
const (
	// MaxDelay bounds delay and jitter so a typo cannot park packets for hours.
	MaxDelay = time.Minute
)

// Rules is the readable form of the faults in force on one node. The zero
// value means no fault.
type Rules struct {
	// Partition lists peers ("127.0.0.2" or "127.0.0.2:8001") whose traffic,
	// to and from this node, is dropped.
	Partition []string `json:"partition"`
	// PartitionIn lists peers whose packets to this node are dropped (this
	// node still sends to them): one directed link cut at its receiver.
	PartitionIn []string `json:"partition_in"`
	// PartitionOut lists peers this node's packets to are dropped (it still
	// hears them): one directed link cut at its sender.
	PartitionOut []string  `json:"partition_out"`
	Loss         LossRule  `json:"loss"`
	Delay        DelayRule `json:"delay"`
}

// LossRule drops Fraction of the packets in each direction. Peers, when not
// empty, restricts it to traffic with those peers.
type LossRule struct {
	Fraction float64  `json:"fraction"`
	Peers    []string `json:"peers"`
}

// DelayRule holds packets for MS milliseconds ± a uniform JitterMS. Peers,
// when not empty, restricts it to traffic with those peers.
type DelayRule struct {
	MS       int      `json:"ms"`
	JitterMS int      `json:"jitter_ms"`
	Peers    []string `json:"peers"`
}

// Active reports whether any fault is in force.
func (r Rules) Active() bool {
	return len(r.Partition) > 0 || len(r.PartitionIn) > 0 || len(r.PartitionOut) > 0 || r.Loss.Fraction > 0 || r.Delay.MS > 0 || r.Delay.JitterMS > 0
}

// peerSet matches a peer by IP or by exact ip:port.
type peerSet struct {
	hosts map[netip.Addr]struct{}
	addrs map[netip.AddrPort]struct{}
}

func (s peerSet) empty() bool { return len(s.hosts) == 0 && len(s.addrs) == 0 }

func (s peerSet) has(ap netip.AddrPort) bool {
	if _, ok := s.hosts[ap.Addr()]; ok {
		return true
	}
	_, ok := s.addrs[ap]
	return ok
}

// parsePeer accepts "ip" or "ip:port".
func parsePeer(p string) (netip.AddrPort, bool, error) {
	if a, err := netip.ParseAddr(p); err == nil {
		return netip.AddrPortFrom(a.Unmap(), 0), true, nil
	}
	ap, err := netip.ParseAddrPort(p)
	if err != nil {
		return netip.AddrPort{}, false, fmt.Errorf("%q is neither an IP nor ip:port", p)
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), false, nil
}

// normalizePeers validates peers and returns them sorted and deduplicated.
func normalizePeers(field string, peers []string) ([]string, error) {
	var errs []error
	out := make([]string, 0, len(peers))
	for i, p := range peers {
		ap, hostOnly, err := parsePeer(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s[%d]: %w", field, i, err))
			continue
		}
		if hostOnly {
			out = append(out, ap.Addr().String())
		} else {
			out = append(out, ap.String())
		}
	}
	slices.Sort(out)
	return slices.Compact(out), errors.Join(errs...)
}

func compilePeers(peers []string) peerSet {
	s := peerSet{hosts: map[netip.Addr]struct{}{}, addrs: map[netip.AddrPort]struct{}{}}
	for _, p := range peers {
		ap, hostOnly, err := parsePeer(p)
		if err != nil {
			continue // normalizePeers already rejected it
		}
		if hostOnly {
			s.hosts[ap.Addr()] = struct{}{}
		} else {
			s.addrs[ap] = struct{}{}
		}
	}
	return s
}

// Validate returns every problem in r, joined.
func (r Rules) Validate() error {
	var errs []error
	if _, err := normalizePeers("partition", r.Partition); err != nil {
		errs = append(errs, err)
	}
	if _, err := normalizePeers("partition_in", r.PartitionIn); err != nil {
		errs = append(errs, err)
	}
	if _, err := normalizePeers("partition_out", r.PartitionOut); err != nil {
		errs = append(errs, err)
	}
	if !(r.Loss.Fraction >= 0 && r.Loss.Fraction <= 1) {
		errs = append(errs, fmt.Errorf("fraction: %v is not in [0, 1]", r.Loss.Fraction))
	}
	if _, err := normalizePeers("loss.peers", r.Loss.Peers); err != nil {
		errs = append(errs, err)
	}
	maxMS := int(MaxDelay / time.Millisecond)
	if r.Delay.MS < 0 || r.Delay.MS > maxMS {
		errs = append(errs, fmt.Errorf("ms: %d is not in [0, %d]", r.Delay.MS, maxMS))
	}
	if r.Delay.JitterMS < 0 || r.Delay.JitterMS > maxMS {
		errs = append(errs, fmt.Errorf("jitter_ms: %d is not in [0, %d]", r.Delay.JitterMS, maxMS))
	}
	if _, err := normalizePeers("delay.peers", r.Delay.Peers); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ruleSet is the compiled, immutable form of Rules that packets consult.
type ruleSet struct {
	rules     Rules
	partition peerSet
	partIn    peerSet
	partOut   peerSet
	lossPeers peerSet
	delayPeer peerSet
	delay     time.Duration
	jitter    time.Duration
}

func compile(r Rules) *ruleSet {
	if !r.Active() {
		return nil
	}
	return &ruleSet{
		rules:     r,
		partition: compilePeers(r.Partition),
		partIn:    compilePeers(r.PartitionIn),
		partOut:   compilePeers(r.PartitionOut),
		lossPeers: compilePeers(r.Loss.Peers),
		delayPeer: compilePeers(r.Delay.Peers),
		delay:     time.Duration(r.Delay.MS) * time.Millisecond,
		jitter:    time.Duration(r.Delay.JitterMS) * time.Millisecond,
	}
}

// addrPortOf converts a packet's peer address; ok is false when it is not an
// IP address (it then matches no peer list).
func addrPortOf(a net.Addr) (netip.AddrPort, bool) {
	switch v := a.(type) {
	case *net.UDPAddr:
		ap := v.AddrPort()
		return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), ap.IsValid()
	case nil:
		return netip.AddrPort{}, false
	}
	ap, err := netip.ParseAddrPort(a.String())
	if err != nil {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), true
}

// verdict is what to do with one packet.
type verdict int

const (
	pass verdict = iota
	dropPartition
	dropLoss
	delayIt
)

// Direction is the way a packet goes through the node's socket.
type Direction int

// Directions.
const (
	Inbound  Direction = iota // received from the peer
	Outbound                  // sent to the peer
)

// decide applies rs to a packet of direction dir with peer ap. rnd returns
// a uniform float in [0,1); it is only called when a loss or jitter rule
// needs it.
func (rs *ruleSet) decide(dir Direction, ap netip.AddrPort, known bool, rnd func() float64) (verdict, time.Duration) {
	if known && (rs.partition.has(ap) ||
		(dir == Inbound && rs.partIn.has(ap)) || (dir == Outbound && rs.partOut.has(ap))) {
		return dropPartition, 0
	}
	if f := rs.rules.Loss.Fraction; f > 0 && (rs.lossPeers.empty() || (known && rs.lossPeers.has(ap))) {
		if rnd() < f {
			return dropLoss, 0
		}
	}
	if (rs.delay > 0 || rs.jitter > 0) && (rs.delayPeer.empty() || (known && rs.delayPeer.has(ap))) {
		d := rs.delay
		if rs.jitter > 0 {
			d += time.Duration((rnd()*2 - 1) * float64(rs.jitter))
		}
		if d <= 0 {
			return pass, 0
		}
		return delayIt, d
	}
	return pass, 0
}
