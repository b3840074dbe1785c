package gossip

import (
	"bytes"
	"slices"
	"time"

	"slonui/solana"
)

// table holds the newest value per (origin, kind) of every other node. It is
// pure state: callers lock it and pass the time in.
type table struct {
	m map[tableKey]*tableEntry
}

type tableKey struct {
	origin solana.Pubkey
	kind   Kind
}

type tableEntry struct {
	v       value
	contact ContactInfo // decoded, for KindContactInfo
	heard   time.Time   // local time the wallclock last advanced
}

func newTable() *table { return &table{m: map[tableKey]*tableEntry{}} }

// upsert stores v if it is newer (by wallclock) than the held value for its
// origin and kind, and reports whether it was.
func (t *table) upsert(v value, c ContactInfo, now time.Time) bool {
	k := tableKey{v.origin, v.kind}
	if e, ok := t.m[k]; ok && e.v.wallclock >= v.wallclock {
		return false
	}
	t.m[k] = &tableEntry{v: v, contact: c, heard: now}
	return true
}

// expire removes values not heard from for longer than expiry and returns
// the origins whose ContactInfo went.
func (t *table) expire(now time.Time, expiry time.Duration) []solana.Pubkey {
	var gone []solana.Pubkey
	for k, e := range t.m {
		if now.Sub(e.heard) > expiry {
			delete(t.m, k)
			if k.kind == KindContactInfo {
				gone = append(gone, k.origin)
			}
		}
	}
	return gone
}

// contacts returns the ContactInfos heard at or after since, sorted by
// pubkey (a zero since returns all held).
func (t *table) contacts(since time.Time) []ContactInfo {
	var out []ContactInfo
	for k, e := range t.m {
		if k.kind == KindContactInfo && !e.heard.Before(since) {
			out = append(out, e.contact)
		}
	}
	slices.SortFunc(out, func(a, b ContactInfo) int { return bytes.Compare(a.Pubkey[:], b.Pubkey[:]) })
	return out
}

func (t *table) contact(pub solana.Pubkey, since time.Time) (ContactInfo, bool) {
	e, ok := t.m[tableKey{pub, KindContactInfo}]
	if !ok || e.heard.Before(since) {
		return ContactInfo{}, false
	}
	return e.contact, true
}

// votes returns the held votes sorted by origin.
func (t *table) votes() []Vote {
	var out []Vote
	for k, e := range t.m {
		if k.kind == KindVote {
			out = append(out, e.v.vote())
		}
	}
	slices.SortFunc(out, func(a, b Vote) int { return bytes.Compare(a.Origin[:], b.Origin[:]) })
	return out
}

// digest lists what the table holds plus extra (the node's own values).
func (t *table) digest(extra ...value) []digestEntry {
	out := make([]digestEntry, 0, len(t.m)+len(extra))
	for _, e := range t.m {
		out = append(out, digestEntry{keyOf(e.v), e.v.wallclock})
	}
	for _, v := range extra {
		out = append(out, digestEntry{keyOf(v), v.wallclock})
	}
	return out
}

// missing returns the values among held and extra that a requester with
// digest d lacks or holds older, leaving out the requester's own values.
func (t *table) missing(d map[digestKey]uint64, requester solana.Pubkey, extra ...value) []value {
	var out []value
	consider := func(v value) {
		if v.origin == requester {
			return
		}
		if have, ok := d[keyOf(v)]; ok && have >= v.wallclock {
			return
		}
		out = append(out, v)
	}
	for _, v := range extra {
		consider(v)
	}
	for _, e := range t.m {
		consider(e.v)
	}
	return out
}

// stale reports whether a wallclock (ms) is further than expiry from now.
func stale(wallclock uint64, now time.Time, expiry time.Duration) bool {
	ms := uint64(now.UnixMilli())
	lim := uint64(expiry / time.Millisecond)
	return wallclock+lim < ms || wallclock > ms+lim
}
