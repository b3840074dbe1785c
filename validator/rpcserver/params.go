package rpcserver

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/mr-tron/base58"

	"slonui/solana"
)

// params are the positional parameters of a request.
type params []json.RawMessage

// parseParams accepts a missing or null params as no parameters and an array
// as positional parameters; anything else is refused as jsonrpc-derive does.
func parseParams(raw json.RawMessage) (params, *Error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, rawNull) {
		return nil, nil
	}
	var p params
	if raw[0] != '[' || json.Unmarshal(raw, &p) != nil {
		return nil, errParams("`params` should be an array")
	}
	return p, nil
}

// arity checks the number of parameters against [min, max] with the
// messages of Agave's jsonrpc-derive wrappers.
func (p params) arity(min, max int) *Error {
	n := len(p)
	switch {
	case n >= min && n <= max:
		return nil
	case max == 0:
		return errParams("Invalid parameters: No parameters were expected")
	case min == max:
		return errParamsDecode("invalid length %d, expected a tuple of size %d", n, min)
	case n < min:
		return errParams("`params` should have at least %d argument(s)", min)
	}
	e := errParams("Invalid parameters: Expected from %d to %d parameters.", min, max)
	e.Data = fmt.Sprintf("%q", fmt.Sprintf("Got: %d", n))
	return e
}

// has reports whether parameter i is present and not null.
func (p params) has(i int) bool {
	return i < len(p) && !bytes.Equal(bytes.TrimSpace(p[i]), rawNull)
}

// decode unmarshals parameter i into dst when it is present and not null.
func (p params) decode(i int, dst any) *Error {
	if !p.has(i) {
		return nil
	}
	if err := json.Unmarshal(p[i], dst); err != nil {
		return errParamsDecode("%s", serdeText(err))
	}
	return nil
}

// str reads the required string parameter i.
func (p params) str(i int) (string, *Error) {
	if i < len(p) {
		if plain, ok := plainString(p[i]); ok {
			return string(plain), nil
		}
	}
	var s string
	if !p.has(i) {
		return "", errParamsDecode("invalid type: null, expected a string")
	}
	if err := p.decode(i, &s); err != nil {
		return "", err
	}
	return s, nil
}

// strs reads the required string-array parameter i (a sequence; null is
// refused). An array of plain strings is read without encoding/json, into
// substrings of one copy of the array.
func (p params) strs(i int) ([]string, *Error) {
	if !p.has(i) {
		return nil, errParamsDecode("invalid type: null, expected a sequence")
	}
	if out, ok := plainStrings(p[i]); ok {
		return out, nil
	}
	var out []string
	if err := p.decode(i, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// plainStrings reads an array of plain strings (see plainString) with JSON
// whitespace around its elements; ok is false for anything else.
func plainStrings(raw []byte) (out []string, ok bool) {
	if len(raw) < 2 || raw[0] != '[' || raw[len(raw)-1] != ']' {
		return nil, false
	}
	all := string(raw)
	n := 1 + bytes.Count(raw, []byte{','})
	out = make([]string, 0, n)
	s := scanner{data: raw, off: 1}
	s.ws()
	if s.peek() == ']' {
		return out, s.off == len(raw)-1
	}
	for {
		if s.peek() != '"' {
			return nil, false
		}
		start := s.off
		if simple, ok := s.str(); !ok || !simple {
			return nil, false
		}
		out = append(out, all[start+1:s.off-1])
		s.ws()
		switch s.peek() {
		case ',':
			s.off++
			s.ws()
			continue
		case ']':
			return out, s.off == len(raw)-1
		}
		return nil, false
	}
}

// u64 reads the required unsigned integer parameter i.
func (p params) u64(i int) (uint64, *Error) {
	var n uint64
	if !p.has(i) {
		return 0, errParamsDecode("invalid type: null, expected u64")
	}
	if err := p.decode(i, &n); err != nil {
		return 0, err
	}
	return n, nil
}

// serdeText turns an encoding/json error into a short serde-like reason.
func serdeText(err error) string {
	switch e := err.(type) {
	case *json.UnmarshalTypeError:
		if e.Field != "" {
			return fmt.Sprintf("invalid type: %s, expected %s for field `%s`", e.Value, e.Type, e.Field)
		}
		return fmt.Sprintf("invalid type: %s, expected %s", e.Value, e.Type)
	case *json.SyntaxError:
		return e.Error()
	}
	return err.Error()
}

// pubkeyParam is Agave's verify_pubkey.
func pubkeyParam(s string) (solana.Pubkey, *Error) {
	var pk solana.Pubkey
	if err := fixedB58(pk[:], s); err != nil {
		return pk, err
	}
	return pk, nil
}

// signatureParam is Agave's verify_signature.
func signatureParam(s string) (solana.Signature, *Error) {
	var sig solana.Signature
	if err := fixedB58(sig[:], s); err != nil {
		return sig, err
	}
	return sig, nil
}

// hashParam is Agave's verify_hash.
func hashParam(s string) (solana.Hash, *Error) {
	var h solana.Hash
	if err := fixedB58(h[:], s); err != nil {
		return h, err
	}
	return h, nil
}

func fixedB58(dst []byte, s string) *Error {
	if len(s) > 2*len(dst) {
		return errParams("Invalid param: WrongSize")
	}
	b, err := base58.Decode(s)
	if err != nil || len(s) == 0 {
		return errParams("Invalid param: Invalid")
	}
	if len(b) != len(dst) {
		return errParams("Invalid param: WrongSize")
	}
	copy(dst, b)
	return nil
}

// commitmentConfig is the common trailing config object.
type commitmentConfig struct {
	Commitment     *string `json:"commitment"`
	MinContextSlot *uint64 `json:"minContextSlot"`
}

// level resolves the commitment; missing means finalized.
func (c commitmentConfig) level() (Commitment, *Error) {
	return parseCommitment(c.Commitment)
}

func parseCommitment(s *string) (Commitment, *Error) {
	if s == nil {
		return Finalized, nil
	}
	switch Commitment(*s) {
	case Processed, Confirmed, Finalized:
		return Commitment(*s), nil
	}
	return "", errParamsDecode("unknown variant `%s`, expected one of `processed`, `confirmed`, `finalized`", *s)
}

// atLeastConfirmed is Agave's check_is_at_least_confirmed.
func atLeastConfirmed(c Commitment) *Error {
	if c == Processed {
		return errBelowConfirmed()
	}
	return nil
}
