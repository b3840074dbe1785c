package node

import "unicode/utf8"

// MaxLineBytes is where an endless line is cut: the part so far is delivered
// as a line of its own and the rest continues as the next line.
const MaxLineBytes = 16 << 10

// maxEscBytes bounds the CSI sequence kept for the SGR check; longer ones are
// dropped whole.
const maxEscBytes = 64

// tabWidth is the tab stop distance used to expand '\t' into spaces.
const tabWidth = 8

type splitState uint8

const (
	stGround    splitState = iota
	stEsc                  // after ESC
	stEscInter             // ESC followed by intermediate bytes (e.g. ESC ( B)
	stCSI                  // ESC [ … until a final byte
	stString               // OSC, DCS, SOS, PM, APC: until BEL or ESC \
	stStringEsc            // ESC inside a string
)

// splitter turns a raw terminal byte stream into lines: it is the pure core
// of the pty reader (no I/O, no goroutines). Lines end at '\n'; a '\r' before
// the '\n' is dropped (CRLF under a pty); a lone '\r' followed by more text
// starts the line over (the terminal's overwrite); SGR colour sequences
// (ESC [ params m) are kept; every other escape sequence and control
// character is dropped; tabs become spaces up to the next tab stop.
type splitter struct {
	max   int // MaxLineBytes when 0
	state splitState
	line  []byte
	col   int  // runes of visible text on the line, for tab stops
	cr    bool // a '\r' is waiting to see whether '\n' follows
	esc   []byte
	long  bool // the current CSI outgrew maxEscBytes
}

// write consumes p and calls emit for every completed line; the slice given
// to emit is valid only during the call.
func (s *splitter) write(p []byte, emit func([]byte)) {
	for i := 0; i < len(p); {
		if s.state == stGround {
			j := i
			for j < len(p) && p[j] >= 0x20 && p[j] != 0x7f {
				j++
			}
			if j > i {
				s.overwrite()
				s.appendText(p[i:j], emit)
				i = j
				continue
			}
		}
		if s.step(p[i], emit) {
			i++
		}
	}
}

// flush delivers a partial last line, if any (the stream has ended).
func (s *splitter) flush(emit func([]byte)) {
	if len(s.line) > 0 {
		emit(s.line)
	}
	s.line = s.line[:0]
	s.col = 0
	s.cr = false
	s.state = stGround
}

// overwrite applies a pending lone '\r': the line starts over.
func (s *splitter) overwrite() {
	if s.cr {
		s.line = s.line[:0]
		s.col = 0
		s.cr = false
	}
}

// step consumes one byte that is not part of a run of ground text. It
// reports false when the byte must be looked at again in the new state.
func (s *splitter) step(b byte, emit func([]byte)) bool {
	switch s.state {
	case stGround:
		s.ground(b, emit)
		return true
	case stEsc:
		return s.escape(b)
	case stEscInter:
		switch {
		case b >= 0x20 && b <= 0x2f:
		case b >= 0x30 && b <= 0x7e:
			s.state = stGround
		default:
			s.state = stGround
			return false
		}
		return true
	case stCSI:
		return s.csi(b)
	case stString:
		switch b {
		case 0x07:
			s.state = stGround
		case 0x1b:
			s.state = stStringEsc
		case '\n', '\r':
			s.state = stGround // never let a stray OSC swallow lines
			return false
		}
		return true
	case stStringEsc:
		if b == '\\' {
			s.state = stGround
			return true
		}
		s.state = stEsc
		return false
	}
	return true
}

func (s *splitter) ground(b byte, emit func([]byte)) {
	switch b {
	case '\n':
		emit(s.line)
		s.line = s.line[:0]
		s.col = 0
		s.cr = false
		return
	case '\r':
		s.cr = true
		return
	}
	switch b {
	case 0x1b:
		s.overwrite()
		s.state = stEsc
	case '\t':
		s.overwrite()
		n := tabWidth - s.col%tabWidth
		for range n {
			s.line = append(s.line, ' ')
		}
		s.col += n
	}
	// Every other C0 control and DEL is dropped (and leaves a pending '\r'
	// pending).
}

func (s *splitter) escape(b byte) bool {
	switch {
	case b == '[':
		s.state = stCSI
		s.esc = s.esc[:0]
		s.long = false
	case b == ']' || b == 'P' || b == 'X' || b == '^' || b == '_':
		s.state = stString
	case b == 0x1b:
		// ESC ESC: the first one is abandoned.
	case b >= 0x20 && b <= 0x2f:
		s.state = stEscInter
	case b >= 0x30 && b <= 0x7e:
		s.state = stGround // a two-byte escape such as ESC 7 or ESC M
	default:
		s.state = stGround
		return false
	}
	return true
}

func (s *splitter) csi(b byte) bool {
	switch {
	case b >= 0x40 && b <= 0x7e: // final byte
		s.state = stGround
		if b == 'm' && !s.long && isSGRParams(s.esc) {
			s.line = append(s.line, 0x1b, '[')
			s.line = append(s.line, s.esc...)
			s.line = append(s.line, 'm')
		}
	case b >= 0x20 && b <= 0x3f: // parameter and intermediate bytes
		if len(s.esc) < maxEscBytes {
			s.esc = append(s.esc, b)
		} else {
			s.long = true
		}
	case b == 0x1b:
		s.state = stEsc // a new escape cancels this one
	case b < 0x20 && b != '\n' && b != '\r':
		// C0 controls inside a CSI are ignored.
	default:
		s.state = stGround // line endings and non-ASCII abort the sequence
		return false
	}
	return true
}

// isSGRParams reports whether p is the parameter part of a plain SGR
// sequence: digits, ';' and ':' only (no private markers, no intermediates).
func isSGRParams(p []byte) bool {
	for _, c := range p {
		if (c < '0' || c > '9') && c != ';' && c != ':' {
			return false
		}
	}
	return true
}

// appendText adds printable bytes, cutting the line at s.max.
func (s *splitter) appendText(t []byte, emit func([]byte)) {
	limit := s.max
	if limit <= 0 {
		limit = MaxLineBytes
	}
	for len(t) > 0 {
		room := limit - len(s.line)
		if room <= 0 {
			s.cut(emit)
			continue
		}
		k := min(room, len(t))
		s.line = append(s.line, t[:k]...)
		s.col += runeStarts(t[:k])
		t = t[k:]
	}
}

// cut delivers the full line up to its last complete rune and keeps the rest.
func (s *splitter) cut(emit func([]byte)) {
	at := len(s.line)
	i := at - 1
	for i > 0 && at-i < utf8.UTFMax && s.line[i]&0xc0 == 0x80 {
		i--
	}
	if i >= 0 && !utf8.FullRune(s.line[i:]) {
		at = i
	}
	if at == 0 {
		at = len(s.line)
	}
	emit(s.line[:at])
	rest := copy(s.line, s.line[at:])
	s.line = s.line[:rest]
	s.col = runeStarts(s.line)
}

// runeStarts counts bytes that begin a UTF-8 sequence.
func runeStarts(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xc0 != 0x80 {
			n++
		}
	}
	return n
}
