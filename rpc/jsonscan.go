package rpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// A small JSON scanner for the answers pollers read every 250 ms from
// every node (batches of slots, counts, vote accounts, cluster nodes,
// blocks): it walks the bytes once, without reflection, and hands any
// shape it does not know to encoding/json. It never trusts its input: a
// malformed answer is an error, never a panic or a loop.

var errSyntax = errors.New("rpc: malformed JSON")

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipValue returns the index just past the JSON value starting at i
// (after spaces).
func skipValue(b []byte, i int) (int, error) {
	i = skipSpace(b, i)
	if i >= len(b) {
		return 0, errSyntax
	}
	switch c := b[i]; {
	case c == '"':
		return skipString(b, i)
	case c == '{' || c == '[':
		depth := 0
		for i < len(b) {
			for i < len(b) && !structural[b[i]] {
				i++
			}
			if i >= len(b) {
				break
			}
			switch b[i] {
			case '"':
				end, err := skipString(b, i)
				if err != nil {
					return 0, err
				}
				i = end
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
			i++
		}
		return 0, errSyntax
	default: // number, true, false, null
		start := i
		for i < len(b) {
			switch b[i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				if i == start {
					return 0, errSyntax
				}
				return i, nil
			}
			i++
		}
		if i == start {
			return 0, errSyntax
		}
		return i, nil
	}
}

// structural marks the bytes skipValue looks at inside an array or object.
var structural = [256]bool{'"': true, '{': true, '[': true, '}': true, ']': true}

// skipString returns the index just past the string starting at b[i]=='"'.
func skipString(b []byte, i int) (int, error) {
	for i++; i < len(b); i++ {
		for i < len(b) && b[i] != '"' && b[i] != '\\' {
			i++
		}
		if i >= len(b) {
			break
		}
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, nil
		}
	}
	return 0, errSyntax
}

// eachMember calls fn with every key (raw, without quotes) and value of
// the object b. fn's keys hold no escapes (an escaped key is unescaped).
func eachMember(b []byte, fn func(key, val []byte) error) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errSyntax
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return trailing(b, i+1)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errSyntax
		}
		end, err := skipString(b, i)
		if err != nil {
			return err
		}
		key := b[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			var s string
			if err := json.Unmarshal(b[i:end], &s); err != nil {
				return err
			}
			key = []byte(s)
		}
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return errSyntax
		}
		vs := skipSpace(b, i+1)
		ve, err := skipValue(b, vs)
		if err != nil {
			return err
		}
		if err := fn(key, b[vs:ve]); err != nil {
			return err
		}
		i = skipSpace(b, ve)
		if i >= len(b) {
			return errSyntax
		}
		if b[i] == '}' {
			return trailing(b, i+1)
		}
		if b[i] != ',' {
			return errSyntax
		}
		i = skipSpace(b, i+1)
	}
}

// eachElement calls fn with every element of the array b; null is an
// empty array.
func eachElement(b []byte, fn func(val []byte) error) error {
	i := skipSpace(b, 0)
	if isNull(b) {
		return nil
	}
	if i >= len(b) || b[i] != '[' {
		return errSyntax
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return trailing(b, i+1)
	}
	for {
		vs := skipSpace(b, i)
		ve, err := skipValue(b, vs)
		if err != nil {
			return err
		}
		if err := fn(b[vs:ve]); err != nil {
			return err
		}
		i = skipSpace(b, ve)
		if i >= len(b) {
			return errSyntax
		}
		if b[i] == ']' {
			return trailing(b, i+1)
		}
		if b[i] != ',' {
			return errSyntax
		}
		i++
	}
}

// trailing accepts only spaces after index i.
func trailing(b []byte, i int) error {
	if skipSpace(b, i) != len(b) {
		return errSyntax
	}
	return nil
}

func isNull(v []byte) bool { return string(bytes.TrimSpace(v)) == "null" }

// scanUint reads an unsigned integer; null leaves *out as it is.
func scanUint(v []byte, out *uint64) error {
	v = bytes.TrimSpace(v)
	if string(v) == "null" {
		return nil
	}
	n, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil || len(v) > 1 && v[0] == '0' {
		return fmt.Errorf("rpc: %q is not an unsigned integer", v)
	}
	*out = n
	return nil
}

// scanString reads a string; null leaves *out as it is.
func scanString(v []byte, out *string) error {
	v = bytes.TrimSpace(v)
	if string(v) == "null" {
		return nil
	}
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return fmt.Errorf("rpc: %.40q is not a string", v)
	}
	in := v[1 : len(v)-1]
	if bytes.IndexByte(in, '\\') >= 0 || bytes.IndexByte(in, '"') >= 0 || !plainASCII(in) {
		return json.Unmarshal(v, out)
	}
	*out = string(in)
	return nil
}

// plainASCII reports printable ASCII only (no control bytes, no UTF-8 to
// validate).
func plainASCII(s []byte) bool {
	for _, c := range s {
		if c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// scanBool reads true or false; null leaves *out as it is.
func scanBool(v []byte, out *bool) error {
	switch string(bytes.TrimSpace(v)) {
	case "true":
		*out = true
	case "false":
		*out = false
	case "null":
	default:
		return fmt.Errorf("rpc: %.40q is not a boolean", v)
	}
	return nil
}

// scanUints reads an array of unsigned integers (null: nil).
func scanUints(v []byte, out *[]uint64) error {
	if isNull(v) {
		*out = nil
		return nil
	}
	s := make([]uint64, 0, 16)
	err := eachElement(v, func(e []byte) error {
		var n uint64
		if isNull(e) {
			return errSyntax
		}
		if err := scanUint(e, &n); err != nil {
			return err
		}
		s = append(s, n)
		return nil
	})
	if err != nil {
		return err
	}
	*out = s
	return nil
}

// scanReplies splits a batch answer (an array of replies, or one reply
// object) into replies; nil when it is neither.
func scanReplies(raw []byte) []reply {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if raw[0] != '[' {
		var r reply
		if scanReply(raw, &r) != nil {
			return nil
		}
		return []reply{r}
	}
	rs := make([]reply, 0, 8)
	err := eachElement(raw, func(e []byte) error {
		var r reply
		if err := scanReply(e, &r); err != nil {
			return err
		}
		rs = append(rs, r)
		return nil
	})
	if err != nil {
		return nil
	}
	return rs
}

// scanReply reads one reply object: its result and id stay raw (sharing
// raw's bytes), its error is decoded.
func scanReply(raw []byte, r *reply) error {
	return eachMember(raw, func(key, val []byte) error {
		switch string(key) {
		case "result":
			r.Result = val
		case "id":
			r.ID = val
		case "error":
			if isNull(val) {
				r.Error = nil
				return nil
			}
			var e Error
			if err := json.Unmarshal(val, &e); err != nil {
				return err
			}
			r.Error = &e
		}
		return nil
	})
}

// decodeResult decodes a result into out: the shapes pollers read every
// tick without reflection, any other through encoding/json.
func decodeResult(raw []byte, out any) error {
	switch p := out.(type) {
	case *uint64:
		if isNull(raw) {
			return nil
		}
		return scanUint(raw, p)
	case *bool:
		return scanBool(raw, p)
	case *string:
		return scanString(raw, p)
	case *[]uint64:
		return scanUints(raw, p)
	case *EpochInfo:
		return p.scan(raw)
	case *VoteAccounts:
		return p.scan(raw)
	case *[]ClusterNode:
		return scanList(raw, p)
	case *Block:
		return p.scan(raw)
	case *statusesOut:
		return decodeStatuses(raw, &p.cv, p.n)
	case *contextValue[[]*SignatureStatus]:
		return decodeStatuses(raw, p, 0)
	}
	return json.Unmarshal(raw, out)
}

// scan reads an EpochInfo object.
func (e *EpochInfo) scan(raw []byte) error {
	if isNull(raw) {
		return nil
	}
	return eachMember(raw, func(key, val []byte) error {
		switch string(key) {
		case "absoluteSlot":
			return scanUint(val, &e.AbsoluteSlot)
		case "blockHeight":
			return scanUint(val, &e.BlockHeight)
		case "epoch":
			return scanUint(val, &e.Epoch)
		case "slotIndex":
			return scanUint(val, &e.SlotIndex)
		case "slotsInEpoch":
			return scanUint(val, &e.SlotsInEpoch)
		case "transactionCount":
			return scanUint(val, &e.TransactionCount)
		}
		return nil
	})
}

// scan reads a VoteAccounts object.
func (v *VoteAccounts) scan(raw []byte) error {
	if isNull(raw) {
		return nil
	}
	return eachMember(raw, func(key, val []byte) error {
		switch string(key) {
		case "current":
			return scanList(val, &v.Current)
		case "delinquent":
			return scanList(val, &v.Delinquent)
		}
		return nil
	})
}

// scanner is a result element type with a one-pass reader.
type scanner[T any] interface {
	*T
	scan(raw []byte) error
}

// scanList reads a JSON array (or null) of T into out.
func scanList[T any, P scanner[T]](raw []byte, out *[]T) error {
	if isNull(raw) {
		*out = nil
		return nil
	}
	s := make([]T, 0, 16)
	err := eachElement(raw, func(e []byte) error {
		var v T
		if err := P(&v).scan(e); err != nil {
			return err
		}
		s = append(s, v)
		return nil
	})
	if err != nil {
		return err
	}
	*out = s
	return nil
}

// scan reads one VoteAccount object.
func (a *VoteAccount) scan(raw []byte) error {
	return eachMember(raw, func(key, val []byte) error {
		switch string(key) {
		case "votePubkey":
			return scanString(val, &a.VotePubkey)
		case "nodePubkey":
			return scanString(val, &a.NodePubkey)
		case "activatedStake":
			return scanUint(val, &a.ActivatedStake)
		case "epochVoteAccount":
			return scanBool(val, &a.EpochVoteAccount)
		case "commission":
			var n uint64
			if err := scanUint(val, &n); err != nil {
				return err
			}
			if n > 255 {
				return fmt.Errorf("rpc: commission %d out of range", n)
			}
			a.Commission = uint8(n)
		case "lastVote":
			return scanUint(val, &a.LastVote)
		case "rootSlot":
			return scanUint(val, &a.RootSlot)
		case "epochCredits":
			if isNull(val) {
				a.EpochCredits = nil
				return nil
			}
			var credits [][3]uint64
			err := eachElement(val, func(e []byte) error {
				var c [3]uint64
				k := 0
				err := eachElement(e, func(x []byte) error {
					if k < 3 {
						if err := scanUint(x, &c[k]); err != nil {
							return err
						}
					}
					k++
					return nil
				})
				credits = append(credits, c)
				return err
			})
			if err != nil {
				return err
			}
			a.EpochCredits = credits
		}
		return nil
	})
}

// scan reads one ClusterNode object; null addresses read as "".
func (n *ClusterNode) scan(raw []byte) error {
	if isNull(raw) {
		return nil
	}
	*n = ClusterNode{}
	optUint := func(val []byte, p **uint64) error {
		if isNull(val) {
			*p = nil
			return nil
		}
		var v uint64
		if err := scanUint(val, &v); err != nil {
			return err
		}
		*p = &v
		return nil
	}
	return eachMember(raw, func(key, val []byte) error {
		switch string(key) {
		case "pubkey":
			return scanString(val, &n.Pubkey)
		case "gossip":
			return scanString(val, &n.Gossip)
		case "tpu":
			return scanString(val, &n.TPU)
		case "tpuQuic":
			return scanString(val, &n.TPUQuic)
		case "rpc":
			return scanString(val, &n.RPC)
		case "pubsub":
			return scanString(val, &n.PubSub)
		case "version":
			return scanString(val, &n.Version)
		case "featureSet":
			return optUint(val, &n.FeatureSet)
		case "shredVersion":
			return optUint(val, &n.ShredVersion)
		}
		return nil
	})
}

// scan reads a Block object; any field it does not read itself (the
// transactions, rewards, signatures) goes through encoding/json.
func (bl *Block) scan(raw []byte) error {
	if isNull(raw) {
		return nil
	}
	return eachMember(raw, func(key, val []byte) error {
		switch string(key) {
		case "blockhash":
			return scanString(val, &bl.Blockhash)
		case "previousBlockhash":
			return scanString(val, &bl.PreviousBlockhash)
		case "parentSlot":
			return scanUint(val, &bl.ParentSlot)
		case "blockHeight":
			if isNull(val) {
				bl.BlockHeight = nil
				return nil
			}
			var h uint64
			if err := scanUint(val, &h); err != nil {
				return err
			}
			bl.BlockHeight = &h
		case "blockTime":
			return json.Unmarshal(val, &bl.BlockTime)
		case "signatures":
			return json.Unmarshal(val, &bl.Signatures)
		case "transactions":
			return json.Unmarshal(val, &bl.Transactions)
		case "rewards":
			return json.Unmarshal(val, &bl.Rewards)
		}
		return nil
	})
}

// appendRequest appends one request object, as encoding/json would write
// request{…}: the param shapes callers use are written directly, any
// other through encoding/json.
func appendRequest(buf []byte, id uint64, method string, params []any) ([]byte, error) {
	buf = append(buf, `{"jsonrpc":"2.0","id":`...)
	buf = strconv.AppendUint(buf, id, 10)
	buf = append(buf, `,"method":`...)
	buf, err := appendString(buf, method)
	if err != nil {
		return buf, err
	}
	if len(params) > 0 {
		buf = append(buf, `,"params":[`...)
		for i, p := range params {
			if i > 0 {
				buf = append(buf, ',')
			}
			if buf, err = appendValue(buf, p); err != nil {
				return buf, err
			}
		}
		buf = append(buf, ']')
	}
	return append(buf, '}'), nil
}

// appendValue appends v as JSON.
func appendValue(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case string:
		return appendString(buf, x)
	case Commitment:
		return appendString(buf, string(x))
	case bool:
		return strconv.AppendBool(buf, x), nil
	case uint64:
		return strconv.AppendUint(buf, x, 10), nil
	case int:
		return strconv.AppendInt(buf, int64(x), 10), nil
	case *uint64:
		if x == nil {
			return append(buf, "null"...), nil
		}
		return strconv.AppendUint(buf, *x, 10), nil
	case base64Param:
		return x.appendJSON(buf), nil
	case sendConfig:
		return x.appendJSON(buf)
	case map[string]any:
		if len(x) > 8 {
			break
		}
		var keys [8]string
		ks := keys[:0]
		for k := range x {
			ks = append(ks, k)
		}
		sortStrings(ks)
		buf = append(buf, '{')
		for i, k := range ks {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendString(buf, k); err != nil {
				return buf, err
			}
			buf = append(buf, ':')
			if buf, err = appendValue(buf, x[k]); err != nil {
				return buf, err
			}
		}
		return append(buf, '}'), nil
	}
	b, err := json.Marshal(v)
	return append(buf, b...), err
}

// appendString appends s quoted; anything encoding/json would escape
// goes through it.
func appendString(buf []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); i++ {
		if escaped[s[i]] {
			b, err := json.Marshal(s)
			return append(buf, b...), err
		}
	}
	buf = append(buf, '"')
	buf = append(buf, s...)
	return append(buf, '"'), nil
}

// escaped marks the bytes encoding/json does not write as they are.
var escaped = func() (t [256]bool) {
	for c := range t {
		t[c] = c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&'
	}
	return t
}()

// sortStrings sorts a few keys in place.
func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
