package gossip

import (
	"encoding/binary"
	"errors"
)

// Wire format (all integers little-endian). Every packet is at most
// MaxPacketSize (1,232) bytes, one UDP datagram:
//
//	packet      = magic "SG" | proto u8 (=1) | type u8 | shred_version u16 | body
//	PUSH (1)    body = count u8 | count × value
//	PULL_REQ(2) body = value (the requester's ContactInfo) | n u16 | n × digest
//	PULL_RESP(3)body = count u8 | count × value
//	value       = signature [64] | kind u8 | origin [32] | wallclock u64 (ms) |
//	              shred_version u16 | len u16 | payload [len]
//	              (the signature is the origin's ed25519 over the bytes after it)
//	ContactInfo payload = 6 × addr (gossip, tpu, tvu, repair, rpc, pubsub) |
//	              version_len u8 | version
//	addr        = family u8 (0 none | 4 | 6) | ip [4 or 16] | port u16
//	Vote payload= the opaque vote bytes
//	digest      = origin prefix [8] | kind u8 | wallclock u64
//
// A pull request's digest lists what the requester holds; the responder
// answers with its values that are missing from the digest or newer. The
// digest is a flat list rather than a Bloom filter: about 60 entries (30
// nodes' contact info and vote) fit in one packet; beyond that a random
// subset is sent, which only costs duplicate answers.

// MaxPacketSize is Solana's PACKET_DATA_SIZE.
const MaxPacketSize = 1232

const (
	packetHeaderSize = 6
	protoVersion     = 1
	digestEntrySize  = 8 + 1 + 8
)

type packetType uint8

const (
	typePush     packetType = 1
	typePullReq  packetType = 2
	typePullResp packetType = 3
)

// digestKey identifies a value in a pull digest.
type digestKey struct {
	prefix [8]byte
	kind   Kind
}

// packet is a decoded gossip packet. Values are not yet verified.
type packet struct {
	typ          packetType
	shredVersion uint16
	values       []value
	digest       map[digestKey]uint64 // PULL_REQ only
}

var (
	errMagic = errors.New("gossip: not a gossip packet")
	errType  = errors.New("gossip: unknown packet type")
	errSize  = errors.New("gossip: packet larger than 1232 bytes")
	errTrail = errors.New("gossip: trailing bytes")
)

// decodePacket parses b. It checks every length and never panics.
func decodePacket(b []byte) (packet, error) {
	if len(b) > MaxPacketSize {
		return packet{}, errSize
	}
	r := reader{b: b}
	hdr := r.bytes(4)
	if hdr == nil || hdr[0] != 'S' || hdr[1] != 'G' || hdr[2] != protoVersion {
		return packet{}, errMagic
	}
	p := packet{typ: packetType(hdr[3]), shredVersion: r.u16()}
	switch p.typ {
	case typePush, typePullResp:
		n := int(r.u8())
		for range n {
			v, err := readValue(&r)
			if err != nil {
				return packet{}, err
			}
			p.values = append(p.values, v)
		}
	case typePullReq:
		v, err := readValue(&r)
		if err != nil {
			return packet{}, err
		}
		if v.kind != KindContactInfo {
			return packet{}, errValue
		}
		p.values = []value{v}
		n := int(r.u16())
		if n*digestEntrySize > r.left() {
			return packet{}, errShort
		}
		p.digest = make(map[digestKey]uint64, n)
		for range n {
			var k digestKey
			copy(k.prefix[:], r.bytes(8))
			k.kind = Kind(r.u8())
			p.digest[k] = r.u64()
		}
	default:
		return packet{}, errType
	}
	if r.err != nil {
		return packet{}, r.err
	}
	if r.left() != 0 {
		return packet{}, errTrail
	}
	return p, nil
}

func appendHeader(b []byte, t packetType, shredVersion uint16) []byte {
	b = append(b, 'S', 'G', protoVersion, byte(t))
	return binary.LittleEndian.AppendUint16(b, shredVersion)
}

// encodeValues packs values into as few PUSH or PULL_RESP packets as fit,
// at most maxPackets; values too large for any packet are skipped.
func encodeValues(t packetType, shredVersion uint16, vals []value, maxPackets int) [][]byte {
	var out [][]byte
	var cur []byte
	count := 0
	flush := func() {
		if count > 0 {
			cur[packetHeaderSize] = byte(count)
			out = append(out, cur)
		}
		cur, count = nil, 0
	}
	for _, v := range vals {
		if packetHeaderSize+1+len(v.raw) > MaxPacketSize {
			continue
		}
		if cur != nil && (len(cur)+len(v.raw) > MaxPacketSize || count == 255) {
			flush()
			if len(out) >= maxPackets {
				return out
			}
		}
		if cur == nil {
			cur = appendHeader(make([]byte, 0, MaxPacketSize), t, shredVersion)
			cur = append(cur, 0)
		}
		cur = append(cur, v.raw...)
		count++
	}
	flush()
	if len(out) > maxPackets {
		out = out[:maxPackets]
	}
	return out
}

// encodePullRequest builds a PULL_REQ carrying self and as many digest
// entries as fit (the caller shuffles them if it wants a random subset).
func encodePullRequest(shredVersion uint16, self value, digest []digestEntry) []byte {
	b := appendHeader(make([]byte, 0, MaxPacketSize), typePullReq, shredVersion)
	b = append(b, self.raw...)
	room := (MaxPacketSize - len(b) - 2) / digestEntrySize
	if room < 0 {
		room = 0
	}
	if len(digest) > room {
		digest = digest[:room]
	}
	b = binary.LittleEndian.AppendUint16(b, uint16(len(digest)))
	for _, d := range digest {
		b = append(b, d.key.prefix[:]...)
		b = append(b, byte(d.key.kind))
		b = binary.LittleEndian.AppendUint64(b, d.wallclock)
	}
	return b
}

type digestEntry struct {
	key       digestKey
	wallclock uint64
}

func keyOf(v value) digestKey {
	var k digestKey
	copy(k.prefix[:], v.origin[:8])
	k.kind = v.kind
	return k
}
