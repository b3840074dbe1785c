package gossip

import (
	"encoding/binary"
	"errors"
	"net/netip"
)

var errShort = errors.New("gossip: packet too short")

// reader decodes little-endian fields with bounds checks; after the first
// failure every read returns zero and err stays set, so decoders never panic.
type reader struct {
	b   []byte
	off int
	err error
}

func (r *reader) left() int { return len(r.b) - r.off }

func (r *reader) bytes(n int) []byte {
	if r.err != nil || n < 0 || r.left() < n {
		r.err = errShort
		return nil
	}
	s := r.b[r.off : r.off+n]
	r.off += n
	return s
}

func (r *reader) u8() uint8 {
	if b := r.bytes(1); b != nil {
		return b[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if b := r.bytes(2); b != nil {
		return binary.LittleEndian.Uint16(b)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if b := r.bytes(8); b != nil {
		return binary.LittleEndian.Uint64(b)
	}
	return 0
}

func (r *reader) addr() netip.AddrPort {
	var ip netip.Addr
	switch r.u8() {
	case 0:
		return netip.AddrPort{}
	case 4:
		if b := r.bytes(4); b != nil {
			ip = netip.AddrFrom4([4]byte(b))
		}
	case 6:
		if b := r.bytes(16); b != nil {
			ip = netip.AddrFrom16([16]byte(b))
		}
	default:
		r.err = errContact
		return netip.AddrPort{}
	}
	return netip.AddrPortFrom(ip, r.u16())
}
