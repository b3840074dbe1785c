package validator

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"sync"
)

// The shred version probe lets a starting node learn its entrypoint's shred
// version, which gossip cannot tell it: a gossip node silently drops
// packets of another version, so a node started with the wrong genesis
// would otherwise just never find a peer. It travels on the gossip socket
// (so partitions cut it too) in packets gossip never sees:
//
//	probe = "SLPROBE1" | kind u8 (1 ask, 2 answer) | shred_version u16
var probeMagic = []byte("SLPROBE1")

const (
	probeAsk    = 1
	probeAnswer = 2
	probeSize   = 8 + 1 + 2
)

func probePacket(kind byte, version uint16) []byte {
	b := append([]byte(nil), probeMagic...)
	b = append(b, kind)
	return binary.LittleEndian.AppendUint16(b, version)
}

func parseProbe(b []byte) (kind byte, version uint16, ok bool) {
	if len(b) != probeSize || !bytes.HasPrefix(b, probeMagic) {
		return 0, 0, false
	}
	return b[8], binary.LittleEndian.Uint16(b[9:]), true
}

// probeConn wraps the gossip socket: it answers probes, reports answers to
// onAnswer, and passes every other packet to its reader (gossip).
type probeConn struct {
	net.PacketConn
	version uint16

	mu       sync.Mutex
	onAnswer func(from netip.AddrPort, version uint16)
}

func (c *probeConn) setOnAnswer(f func(netip.AddrPort, uint16)) {
	c.mu.Lock()
	c.onAnswer = f
	c.mu.Unlock()
}

func (c *probeConn) ReadFrom(b []byte) (int, net.Addr, error) {
	for {
		n, from, err := c.PacketConn.ReadFrom(b)
		if err != nil {
			return n, from, err
		}
		kind, v, ok := parseProbe(b[:n])
		if !ok {
			return n, from, nil
		}
		switch kind {
		case probeAsk:
			_, _ = c.PacketConn.WriteTo(probePacket(probeAnswer, c.version), from)
		case probeAnswer:
			c.mu.Lock()
			f := c.onAnswer
			c.mu.Unlock()
			if ua, ok := from.(*net.UDPAddr); ok && f != nil {
				ap := ua.AddrPort()
				f(netip.AddrPortFrom(ap.Addr().Unmap(), ap.Port()), v)
			}
		}
	}
}

// ask sends a probe to addr.
func (c *probeConn) ask(addr netip.AddrPort) {
	_, _ = c.PacketConn.WriteTo(probePacket(probeAsk, c.version), net.UDPAddrFromAddrPort(addr))
}
