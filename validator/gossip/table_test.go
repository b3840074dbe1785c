package gossip

import (
	"testing"
	"time"
)

func TestTableNewestWallclockWins(t *testing.T) {
	kp := testKey(1)
	now := time.Unix(1000, 0)
	tab := newTable()
	steps := []struct {
		wallclock uint64
		want      bool
	}{{10, true}, {10, false}, {9, false}, {11, true}}
	for _, s := range steps {
		v := signValue(kp, KindVote, s.wallclock, 1, []byte{byte(s.wallclock)})
		if got := tab.upsert(v, ContactInfo{}, now); got != s.want {
			t.Fatalf("upsert wallclock %d = %v, want %v", s.wallclock, got, s.want)
		}
	}
	if vs := tab.votes(); len(vs) != 1 || vs[0].Wallclock != 11 || vs[0].Data[0] != 11 {
		t.Fatalf("votes = %+v", vs)
	}
}

func TestTableExpireByHeardTime(t *testing.T) {
	t0 := time.Unix(1000, 0)
	tab := newTable()
	a, b := testKey(1), testKey(2)
	tab.upsert(signValue(a, KindContactInfo, 1, 1, appendContactPayload(nil, sampleContact())), ContactInfo{Pubkey: a.Pubkey()}, t0)
	tab.upsert(signValue(b, KindContactInfo, 1, 1, appendContactPayload(nil, sampleContact())), ContactInfo{Pubkey: b.Pubkey()}, t0)
	// b is refreshed (e.g. relayed) later; a is not.
	tab.upsert(signValue(b, KindContactInfo, 2, 1, appendContactPayload(nil, sampleContact())), ContactInfo{Pubkey: b.Pubkey()}, t0.Add(800*time.Millisecond))
	gone := tab.expire(t0.Add(1100*time.Millisecond), time.Second)
	if len(gone) != 1 || gone[0] != a.Pubkey() {
		t.Fatalf("expired %v, want only a", gone)
	}
	if cs := tab.contacts(time.Time{}); len(cs) != 1 || cs[0].Pubkey != b.Pubkey() {
		t.Fatalf("contacts after expiry = %+v", cs)
	}
	if cs := tab.contacts(t0.Add(900 * time.Millisecond)); len(cs) != 0 {
		t.Fatalf("contacts heard since 900 ms = %+v, want none", cs)
	}
}

func TestTableMissing(t *testing.T) {
	now := time.Unix(1000, 0)
	tab := newTable()
	a, b, req := testKey(1), testKey(2), testKey(3)
	va := signValue(a, KindVote, 5, 1, []byte("a"))
	vb := signValue(b, KindVote, 5, 1, []byte("b"))
	vr := signValue(req, KindVote, 5, 1, []byte("r"))
	tab.upsert(va, ContactInfo{}, now)
	tab.upsert(vb, ContactInfo{}, now)
	tab.upsert(vr, ContactInfo{}, now)
	own := signValue(testKey(4), KindVote, 1, 1, []byte("own"))
	tests := []struct {
		name   string
		digest map[digestKey]uint64
		want   int
	}{
		{"empty digest: all but the requester's", map[digestKey]uint64{}, 3},
		{"has a current", map[digestKey]uint64{keyOf(va): 5}, 2},
		{"has a older", map[digestKey]uint64{keyOf(va): 4}, 3},
		{"has everything", map[digestKey]uint64{keyOf(va): 5, keyOf(vb): 9, keyOf(own): 1}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tab.missing(tc.digest, req.Pubkey(), own)
			if len(got) != tc.want {
				t.Fatalf("missing = %d values, want %d", len(got), tc.want)
			}
			for _, v := range got {
				if v.origin == req.Pubkey() {
					t.Fatal("answer includes the requester's own value")
				}
			}
		})
	}
}

func TestStale(t *testing.T) {
	now := time.UnixMilli(100_000)
	tests := []struct {
		wallclock uint64
		want      bool
	}{{100_000, false}, {90_000, false}, {84_999, true}, {115_000, false}, {115_001, true}}
	for _, tc := range tests {
		if got := stale(tc.wallclock, now, 15*time.Second); got != tc.want {
			t.Errorf("stale(%d) = %v, want %v", tc.wallclock, got, tc.want)
		}
	}
}
