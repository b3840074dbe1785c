package solana

import "errors"

// Errors of the compact-u16 ("short_vec") encoding.
var (
	ErrShortVecEOF          = errors.New("solana: compact-u16: unexpected end of input")
	ErrShortVecNonCanonical = errors.New("solana: compact-u16: non-canonical encoding")
	ErrShortVecOverflow     = errors.New("solana: compact-u16: value overflows u16")
)

// AppendCompactU16 appends v in the compact-u16 encoding (1–3 bytes).
func AppendCompactU16(b []byte, v uint16) []byte {
	x := uint32(v)
	for {
		c := byte(x & 0x7f)
		x >>= 7
		if x == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

// DecodeCompactU16 reads one compact-u16 from the front of b and returns the
// value and the number of bytes used. Only the canonical (shortest) encoding
// is accepted, as Solana's short_vec does.
func DecodeCompactU16(b []byte) (uint16, int, error) {
	var v uint32
	for i := 0; i < 3; i++ {
		if i >= len(b) {
			return 0, 0, ErrShortVecEOF
		}
		c := b[i]
		if i == 2 && c > 0x03 {
			// The third byte carries bits 14..15 only; any more overflows u16
			// and a set continuation bit would ask for a fourth byte.
			return 0, 0, ErrShortVecOverflow
		}
		v |= uint32(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			if i > 0 && c == 0 {
				return 0, 0, ErrShortVecNonCanonical
			}
			return uint16(v), i + 1, nil
		}
	}
	return 0, 0, ErrShortVecOverflow
}
