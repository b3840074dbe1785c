package rpc

import "errors"

// Checking skips for the one-pass decoders that replace encoding/json on a
// hot path (statuses.go): where skipValue only finds a value's end, these
// also check its syntax as encoding/json does, so a reply it refuses is
// refused here too.

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

var errDepth = errors.New("rpc: JSON nested too deep")

// skipChecked returns the index just past the JSON value starting at b[i]
// (after spaces); depth is the number of arrays and objects around it.
func skipChecked(b []byte, i, depth int) (int, error) {
	i = skipSpace(b, i)
	if i >= len(b) {
		return 0, errSyntax
	}
	switch b[i] {
	case '"':
		end, _, err := skipStringChecked(b, i)
		return end, err
	case '{':
		return skipObjectChecked(b, i, depth+1)
	case '[':
		return skipArrayChecked(b, i, depth+1)
	case 't':
		return skipLiteral(b, i, "true")
	case 'f':
		return skipLiteral(b, i, "false")
	case 'n':
		return skipLiteral(b, i, "null")
	}
	return skipNumber(b, i)
}

// skipObjectChecked skips the object at b[i]=='{'.
func skipObjectChecked(b []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return 0, errDepth
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, errSyntax
		}
		end, _, err := skipStringChecked(b, i)
		if err != nil {
			return 0, err
		}
		if i, err = colon(b, end); err != nil {
			return 0, err
		}
		if i, err = skipChecked(b, i, depth); err != nil {
			return 0, err
		}
		var done bool
		if i, done, err = next(b, i, '}'); err != nil || done {
			return i, err
		}
	}
}

// skipArrayChecked skips the array at b[i]=='['.
func skipArrayChecked(b []byte, i, depth int) (int, error) {
	if depth > maxDepth {
		return 0, errDepth
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, nil
	}
	for {
		var err error
		if i, err = skipChecked(b, i, depth); err != nil {
			return 0, err
		}
		var done bool
		if i, done, err = next(b, i, ']'); err != nil || done {
			return i, err
		}
	}
}

// colon expects a ':' (after spaces) at i and returns the index after it.
func colon(b []byte, i int) (int, error) {
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return 0, errSyntax
	}
	return i + 1, nil
}

// next reads what follows a member or element: a ',' (done false, i past
// it and its spaces) or the closing byte (done true, i past it).
func next(b []byte, i int, closing byte) (int, bool, error) {
	i = skipSpace(b, i)
	if i >= len(b) {
		return 0, false, errSyntax
	}
	switch b[i] {
	case ',':
		return skipSpace(b, i+1), false, nil
	case closing:
		return i + 1, true, nil
	}
	return 0, false, errSyntax
}

// skipStringChecked returns the index just past the string at b[i]=='"',
// and whether it is plain: printable ASCII without escapes, the same text
// once decoded.
func skipStringChecked(b []byte, i int) (int, bool, error) {
	plain := true
	for i++; ; i++ {
		for i < len(b) && plainByte[b[i]] {
			i++
		}
		if i >= len(b) {
			return 0, false, errSyntax
		}
		switch c := b[i]; {
		case c == '"':
			return i + 1, plain, nil
		case c == '\\':
			plain = false
			i++
			if i >= len(b) {
				return 0, false, errSyntax
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) || !isHex(b[i+1]) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) {
					return 0, false, errSyntax
				}
				i += 4
			default:
				return 0, false, errSyntax
			}
		case c < 0x20:
			return 0, false, errSyntax
		default: // 0x7f and up
			plain = false
		}
	}
}

// plainByte marks the bytes a plain string holds as they are: printable
// ASCII but the quote and the backslash.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// skipLiteral skips lit at b[i].
func skipLiteral(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, errSyntax
	}
	return i + len(lit), nil
}

// skipNumber skips the number at b[i]: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
func skipNumber(b []byte, i int) (int, error) {
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	default:
		return 0, errSyntax
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || !isDigit(b[i]) {
			return 0, errSyntax
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || !isDigit(b[i]) {
			return 0, errSyntax
		}
		for i++; i < len(b) && isDigit(b[i]); i++ {
		}
	}
	return i, nil
}
