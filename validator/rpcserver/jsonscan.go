package rpcserver

import "encoding/binary"

// maxDepth is encoding/json's nesting limit: json.Valid refuses a value
// nested deeper than this.
const maxDepth = 10000

// scanner reads JSON from one buffer in a single pass. It accepts exactly
// what json.Valid accepts (RFC 8259, any byte from 0x20 up inside strings,
// at most maxDepth nested containers) and reports where each value starts
// and ends, so that callers can keep raw spans instead of decoding them
// again. It never allocates except for containers nested deeper than 32
// inside one skipped value.
type scanner struct {
	data []byte
	off  int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// ws skips JSON whitespace.
func (s *scanner) ws() {
	for s.off < len(s.data) && isSpace(s.data[s.off]) {
		s.off++
	}
}

// peek returns the byte at the offset, 0 at the end.
func (s *scanner) peek() byte {
	if s.off < len(s.data) {
		return s.data[s.off]
	}
	return 0
}

// strClass sorts the bytes inside a string: 0 plain, 1 quote, 2 backslash,
// 3 control (invalid), 4 plain but not ASCII.
var strClass = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = 3
	}
	t['"'], t['\\'] = 1, 2
	for c := 0x80; c < 0x100; c++ {
		t[c] = 4
	}
	return t
}()

// Bytes of a word, for plainRun.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainRun returns the index of the first byte from i on that is not plain
// inside a string (class 0 of strClass: ASCII from 0x20, not a quote or a
// backslash), len(d) if none. It reads 8 bytes at a time: base64 and base58
// strings are most of a hot body.
func plainRun(d []byte, i int) int {
	for ; i+8 <= len(d); i += 8 {
		w := binary.LittleEndian.Uint64(d[i:])
		q, b := w^(ones*'"'), w^(ones*'\\')
		// A byte below 0x20, a zero byte in q or b (a quote or a backslash
		// in w), or a byte from 0x80.
		if ((w-ones*0x20)&^w|(q-ones)&^q|(b-ones)&^b|w)&highs != 0 {
			break
		}
	}
	for i < len(d) && strClass[d[i]] == 0 {
		i++
	}
	return i
}

// str reads the string whose opening quote is at the offset. simple
// reports that it holds only printable ASCII and no escape, so that its
// raw bytes are its value.
func (s *scanner) str() (simple, ok bool) {
	d := s.data
	i := s.off + 1
	simple = true
	for {
		if i = plainRun(d, i); i >= len(d) {
			return false, false
		}
		switch strClass[d[i]] {
		case 4:
			simple = false
			i++
		case 1:
			s.off = i + 1
			return simple, true
		case 2:
			simple = false
			if i+1 >= len(d) {
				return false, false
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(d) || !isHex(d[i+2]) || !isHex(d[i+3]) || !isHex(d[i+4]) || !isHex(d[i+5]) {
					return false, false
				}
				i += 6
			default:
				return false, false
			}
		default:
			return false, false
		}
	}
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// digits skips one or more digits.
func (s *scanner) digits() bool {
	start := s.off
	for s.off < len(s.data) && isDigit(s.data[s.off]) {
		s.off++
	}
	return s.off > start
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?.
func (s *scanner) number() bool {
	if s.peek() == '-' {
		s.off++
	}
	switch c := s.peek(); {
	case c == '0':
		s.off++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return false
	}
	if s.peek() == '.' {
		s.off++
		if !s.digits() {
			return false
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.off++
		if c := s.peek(); c == '+' || c == '-' {
			s.off++
		}
		if !s.digits() {
			return false
		}
	}
	return true
}

// literal reads true, false or null.
func (s *scanner) literal(word string) bool {
	if len(s.data)-s.off < len(word) || string(s.data[s.off:s.off+len(word)]) != word {
		return false
	}
	s.off += len(word)
	return true
}

// scalar reads a string, number or literal starting at the offset.
func (s *scanner) scalar() bool {
	switch c := s.peek(); {
	case c == '"':
		_, ok := s.str()
		return ok
	case c == '-' || isDigit(c):
		return s.number()
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	}
	return false
}

// value reads the value starting at the offset (no whitespace before it)
// inside depth open containers, and stops just past it.
func (s *scanner) value(depth int) bool {
	c := s.peek()
	if c != '{' && c != '[' {
		return s.scalar()
	}
	// open holds, for each container opened here, whether it is an object.
	var small [32]bool
	open := small[:0]
	for {
		// At the start of a value.
		switch c := s.peek(); c {
		case '{', '[':
			if depth+len(open)+1 > maxDepth {
				return false
			}
			open = append(open, c == '{')
			s.off++
			s.ws()
			if s.peek() == closer(c) {
				s.off++
				open = open[:len(open)-1]
				break
			}
			if c == '{' && !s.key() {
				return false
			}
			continue
		default:
			if !s.scalar() {
				return false
			}
		}
		// After a value: close containers or move to the next member.
		for {
			if len(open) == 0 {
				return true
			}
			s.ws()
			obj := open[len(open)-1]
			c := s.peek()
			if c == ',' {
				s.off++
				s.ws()
				if obj && !s.key() {
					return false
				}
				break
			}
			if obj && c == '}' || !obj && c == ']' {
				s.off++
				open = open[:len(open)-1]
				continue
			}
			return false
		}
	}
}

func closer(open byte) byte {
	if open == '{' {
		return '}'
	}
	return ']'
}

// key reads `"name" :` and the whitespace before the value.
func (s *scanner) key() bool {
	if s.peek() != '"' {
		return false
	}
	if _, ok := s.str(); !ok {
		return false
	}
	s.ws()
	if s.peek() != ':' {
		return false
	}
	s.off++
	s.ws()
	return true
}

// plainString returns the contents of a JSON string holding only ASCII from
// 0x20 and no escape: there its raw bytes are what json.Unmarshal yields.
func plainString(raw []byte) ([]byte, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' || plainRun(raw, 1) != len(raw)-1 {
		return nil, false
	}
	return raw[1 : len(raw)-1], true
}
