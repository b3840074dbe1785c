package rpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// getSignatureStatuses' result, read in one pass: the load generator asks
// for thousands of statuses a second. It gives what encoding/json gives
// decoding into contextValue[[]*SignatureStatus] — the same values, and an
// error for any reply encoding/json refuses. The few shapes where
// encoding/json's rules are subtle (a key that matches a field only
// case-insensitively or holds escapes or non-ASCII bytes, a second
// "value") go to encoding/json itself.

// statusesOut is GetSignatureStatuses' result: n, the number of
// signatures asked, sizes the statuses.
type statusesOut struct {
	n  int
	cv contextValue[[]*SignatureStatus]
}

// errSlowPath sends a result to encoding/json.
var errSlowPath = errors.New("rpc: decode with encoding/json")

// decodeStatuses decodes a getSignatureStatuses result into out, which
// must be zero; n is how many statuses to expect.
func decodeStatuses(raw []byte, out *contextValue[[]*SignatureStatus], n int) error {
	d := statusDecoder{b: raw}
	d.grow(n)
	err := d.result(out)
	if err == errSlowPath {
		*out = contextValue[[]*SignatureStatus]{}
		return json.Unmarshal(raw, out)
	}
	return err
}

// statusDecoder reads one result. The statuses, their confirmation counts
// and their err bytes are carved out of three arrays.
type statusDecoder struct {
	b        []byte
	statuses []SignatureStatus
	confs    []uint64
	errs     []byte
}

func (d *statusDecoder) grow(n int) {
	n = max(n, 16)
	d.statuses = make([]SignatureStatus, 0, n)
	d.confs = make([]uint64, 0, n)
	d.errs = make([]byte, 0, 4*n)
}

// result reads the whole result: null, or an object.
func (d *statusDecoder) result(out *contextValue[[]*SignatureStatus]) error {
	b := d.b
	i := skipSpace(b, 0)
	if i < len(b) && b[i] == 'n' {
		i, err := skipLiteral(b, i, "null")
		if err != nil {
			return err
		}
		return trailing(b, i)
	}
	if i >= len(b) || b[i] != '{' {
		return errors.New("rpc: statuses result is not an object")
	}
	sawValue := false
	i, err := d.members(i, func(key []byte, i int) (int, error) {
		switch {
		case string(key) == "context":
			return d.context(i, &out.Context.Slot)
		case string(key) == "value":
			if sawValue {
				return 0, errSlowPath
			}
			sawValue = true
			return d.value(i, &out.Value)
		case foldsTo(key, "context", "value"):
			return 0, errSlowPath
		}
		return skipChecked(b, i, 1)
	})
	if err != nil {
		return err
	}
	return trailing(b, i)
}

// members reads the object at b[i]=='{' (depth 1 or more), calling member
// with each plain key and the index of its value; member returns the
// index just past the value. A key that is not plain is errSlowPath.
func (d *statusDecoder) members(i int, member func(key []byte, i int) (int, error)) (int, error) {
	b := d.b
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, errSyntax
		}
		end, plain, err := skipStringChecked(b, i)
		if err != nil {
			return 0, err
		}
		if !plain {
			return 0, errSlowPath
		}
		key := b[i+1 : end-1]
		if i, err = colon(b, end); err != nil {
			return 0, err
		}
		if i, err = member(key, skipSpace(b, i)); err != nil {
			return 0, err
		}
		var done bool
		if i, done, err = next(b, i, '}'); err != nil || done {
			return i, err
		}
	}
}

// foldsTo reports whether key equals one of names ignoring ASCII case
// (the key is plain ASCII): encoding/json would match it to that field.
func foldsTo(key []byte, names ...string) bool {
	for _, n := range names {
		if len(key) == len(n) && bytes.EqualFold(key, []byte(n)) {
			return true
		}
	}
	return false
}

// context reads {"slot":N,…} or null at b[i] (depth 2).
func (d *statusDecoder) context(i int, slot *uint64) (int, error) {
	b := d.b
	if i < len(b) && b[i] == 'n' {
		return skipLiteral(b, i, "null")
	}
	if i >= len(b) || b[i] != '{' {
		return 0, errors.New("rpc: statuses context is not an object")
	}
	return d.members(i, func(key []byte, i int) (int, error) {
		switch {
		case string(key) == "slot":
			return d.uint(i, slot)
		case foldsTo(key, "slot"):
			return 0, errSlowPath
		}
		return skipChecked(b, i, 2)
	})
}

// uint reads an unsigned integer at b[i] into *out; null leaves *out.
func (d *statusDecoder) uint(i int, out *uint64) (int, error) {
	n, end, null, err := d.uintOrNull(i)
	if err == nil && !null {
		*out = n
	}
	return end, err
}

// uintOrNull reads an unsigned integer or null at b[i]. Anything else —
// a sign, a fraction, an exponent, more than 64 bits, another type — is
// an error, as encoding/json's into a uint64.
func (d *statusDecoder) uintOrNull(i int) (n uint64, end int, null bool, err error) {
	b := d.b
	if i < len(b) && b[i] == 'n' {
		end, err := skipLiteral(b, i, "null")
		return 0, end, true, err
	}
	start := i
	for ; i < len(b) && isDigit(b[i]); i++ {
		c := uint64(b[i] - '0')
		if n > (1<<64-1-c)/10 {
			return 0, 0, false, fmt.Errorf("rpc: %.40q is not an unsigned integer", b[start:])
		}
		n = n*10 + c
	}
	if i == start || b[start] == '0' && i-start > 1 || i < len(b) && (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
		return 0, 0, false, fmt.Errorf("rpc: %.40q is not an unsigned integer", b[start:])
	}
	return n, i, false, nil
}

// value reads the statuses array, or null, at b[i] (depth 2).
func (d *statusDecoder) value(i int, out *[]*SignatureStatus) (int, error) {
	b := d.b
	if i < len(b) && b[i] == 'n' {
		*out = nil
		return skipLiteral(b, i, "null")
	}
	if i >= len(b) || b[i] != '[' {
		return 0, errors.New("rpc: statuses value is not an array")
	}
	list := make([]*SignatureStatus, 0, cap(d.statuses))
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		*out = list
		return i + 1, nil
	}
	for {
		var st *SignatureStatus
		var err error
		switch {
		case i < len(b) && b[i] == 'n':
			i, err = skipLiteral(b, i, "null")
		case i < len(b) && b[i] == '{':
			d.statuses = append(d.statuses, SignatureStatus{})
			st = &d.statuses[len(d.statuses)-1]
			i, err = d.status(i, st)
		default:
			err = errors.New("rpc: a status is neither an object nor null")
		}
		if err != nil {
			return 0, err
		}
		list = append(list, st)
		var done bool
		if i, done, err = next(b, i, ']'); err != nil {
			return 0, err
		}
		if done {
			*out = list
			return i, nil
		}
	}
}

// status reads one status object at b[i]=='{' (depth 3). Unknown members
// ("status") are checked and skipped; a member given twice counts last.
func (d *statusDecoder) status(i int, st *SignatureStatus) (int, error) {
	b := d.b
	return d.members(i, func(key []byte, i int) (int, error) {
		switch string(key) {
		case "slot":
			return d.uint(i, &st.Slot)
		case "confirmations":
			n, end, null, err := d.uintOrNull(i)
			if err != nil {
				return 0, err
			}
			if null {
				st.Confirmations = nil
			} else {
				d.confs = append(d.confs, n)
				st.Confirmations = &d.confs[len(d.confs)-1]
			}
			return end, nil
		case "err":
			end, err := skipChecked(b, i, 3)
			if err != nil {
				return 0, err
			}
			start := len(d.errs)
			d.errs = append(d.errs, b[i:end]...)
			st.Err = d.errs[start:len(d.errs):len(d.errs)]
			return end, nil
		case "confirmationStatus":
			return d.commitment(i, &st.ConfirmationStatus)
		}
		if foldsTo(key, "slot", "confirmations", "err", "confirmationStatus") {
			return 0, errSlowPath
		}
		return skipChecked(b, i, 3)
	})
}

// commitment reads a string or null at b[i]; null leaves *out.
func (d *statusDecoder) commitment(i int, out *Commitment) (int, error) {
	b := d.b
	if i < len(b) && b[i] == 'n' {
		return skipLiteral(b, i, "null")
	}
	if i >= len(b) || b[i] != '"' {
		return 0, errors.New("rpc: confirmationStatus is not a string")
	}
	end, plain, err := skipStringChecked(b, i)
	if err != nil {
		return 0, err
	}
	if !plain {
		var s string
		if err := json.Unmarshal(b[i:end], &s); err != nil {
			return 0, err
		}
		*out = Commitment(s)
		return end, nil
	}
	switch s := b[i+1 : end-1]; string(s) {
	case string(Processed):
		*out = Processed
	case string(Confirmed):
		*out = Confirmed
	case string(Finalized):
		*out = Finalized
	default:
		*out = Commitment(s)
	}
	return end, nil
}
