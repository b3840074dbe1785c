package gossip

import (
	"errors"
	"net/netip"

	"slonui/solana"
)

// ContactInfo is what a node tells the cluster about itself. Zero addresses
// mean "not served".
type ContactInfo struct {
	Pubkey       solana.Pubkey
	Gossip       netip.AddrPort
	TPU          netip.AddrPort
	TVU          netip.AddrPort
	Repair       netip.AddrPort
	RPC          netip.AddrPort
	PubSub       netip.AddrPort
	Version      string
	ShredVersion uint16
	// Wallclock is the origin's clock (ms since the Unix epoch) when it
	// signed this record.
	Wallclock uint64
}

// MaxVersionLen bounds ContactInfo.Version on the wire.
const MaxVersionLen = 64

func (c *ContactInfo) addrs() []*netip.AddrPort {
	return []*netip.AddrPort{&c.Gossip, &c.TPU, &c.TVU, &c.Repair, &c.RPC, &c.PubSub}
}

// appendContactPayload encodes the address block and version of c:
// 6 × addr (gossip, tpu, tvu, repair, rpc, pubsub), then u8 len + version.
func appendContactPayload(b []byte, c ContactInfo) []byte {
	for _, a := range c.addrs() {
		b = appendAddr(b, *a)
	}
	v := c.Version
	if len(v) > MaxVersionLen {
		v = v[:MaxVersionLen]
	}
	b = append(b, byte(len(v)))
	return append(b, v...)
}

var errContact = errors.New("gossip: malformed contact info")

func decodeContactPayload(p []byte) (ContactInfo, error) {
	r := reader{b: p}
	var c ContactInfo
	for _, a := range c.addrs() {
		*a = r.addr()
	}
	n := int(r.u8())
	if n > MaxVersionLen {
		return ContactInfo{}, errContact
	}
	c.Version = string(r.bytes(n))
	if r.err != nil || r.left() != 0 {
		return ContactInfo{}, errContact
	}
	return c, nil
}

// addr: family u8 (0 none, 4 IPv4, 6 IPv6) + 4 or 16 IP bytes + port u16 LE.
func appendAddr(b []byte, a netip.AddrPort) []byte {
	switch {
	case !a.IsValid():
		return append(b, 0)
	case a.Addr().Unmap().Is4():
		ip := a.Addr().Unmap().As4()
		b = append(b, 4)
		b = append(b, ip[:]...)
	default:
		ip := a.Addr().As16()
		b = append(b, 6)
		b = append(b, ip[:]...)
	}
	return append(b, byte(a.Port()), byte(a.Port()>>8))
}
