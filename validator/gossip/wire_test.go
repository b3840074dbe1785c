package gossip

import (
	"bytes"
	"net/netip"
	"testing"

	"slonui/solana"
)

func testKey(i byte) solana.Keypair {
	var seed [32]byte
	seed[0] = i
	return solana.KeypairFromSeed(seed)
}

func sampleContact() ContactInfo {
	return ContactInfo{
		Gossip:  netip.MustParseAddrPort("127.0.0.2:8001"),
		TPU:     netip.MustParseAddrPort("127.0.0.2:8003"),
		TVU:     netip.MustParseAddrPort("127.0.0.2:8004"),
		Repair:  netip.MustParseAddrPort("[::1]:8005"),
		RPC:     netip.MustParseAddrPort("127.0.0.2:8899"),
		Version: "slonui-devnet 0.1",
	}
}

func TestValueRoundTrip(t *testing.T) {
	kp := testKey(1)
	ci := sampleContact()
	v := signValue(kp, KindContactInfo, 1234, 7, appendContactPayload(nil, ci))
	vote := signValue(kp, KindVote, 1235, 7, []byte("opaque vote"))
	pkts := encodeValues(typePush, 7, []value{v, vote}, 4)
	if len(pkts) != 1 {
		t.Fatalf("%d packets, want 1", len(pkts))
	}
	p, err := decodePacket(pkts[0])
	if err != nil {
		t.Fatal(err)
	}
	if p.typ != typePush || p.shredVersion != 7 || len(p.values) != 2 {
		t.Fatalf("decoded %+v", p)
	}
	for _, got := range p.values {
		if !got.verify() {
			t.Fatalf("%v value does not verify after the round trip", got.kind)
		}
	}
	got, err := p.values[0].contact()
	if err != nil {
		t.Fatal(err)
	}
	ci.Pubkey, ci.ShredVersion, ci.Wallclock = kp.Pubkey(), 7, 1234
	if got != ci {
		t.Fatalf("contact = %+v\nwant      %+v", got, ci)
	}
	if vt := p.values[1].vote(); string(vt.Data) != "opaque vote" || vt.Origin != kp.Pubkey() || vt.Wallclock != 1235 {
		t.Fatalf("vote = %+v", vt)
	}
}

func TestTamperedValueFailsVerify(t *testing.T) {
	v := signValue(testKey(1), KindVote, 99, 1, []byte("vote"))
	for _, i := range []int{0, 64, 70, len(v.raw) - 1} {
		raw := append([]byte(nil), v.raw...)
		raw[i] ^= 1
		r := reader{b: raw}
		tv, err := readValue(&r)
		if err != nil {
			continue // a tampered kind byte no longer decodes: also refused
		}
		if tv.verify() {
			t.Errorf("flipping byte %d still verifies", i)
		}
	}
}

func TestPullRequestRoundTrip(t *testing.T) {
	self := signValue(testKey(2), KindContactInfo, 5, 3, appendContactPayload(nil, sampleContact()))
	var dig []digestEntry
	for i := range 200 { // more than fit: the encoder truncates
		var k digestKey
		k.prefix[0] = byte(i)
		k.kind = KindVote
		dig = append(dig, digestEntry{k, uint64(i)})
	}
	b := encodePullRequest(3, self, dig)
	if len(b) > MaxPacketSize {
		t.Fatalf("pull request is %d bytes", len(b))
	}
	p, err := decodePacket(b)
	if err != nil {
		t.Fatal(err)
	}
	if p.typ != typePullReq || len(p.digest) == 0 || len(p.digest) >= 200 {
		t.Fatalf("decoded type %d with %d digest entries", p.typ, len(p.digest))
	}
	var k digestKey
	k.prefix[0], k.kind = 10, KindVote
	if p.digest[k] != 10 {
		t.Fatalf("digest[10] = %d", p.digest[k])
	}
}

func TestEncodeValuesSplitsAtPacketSize(t *testing.T) {
	var vals []value
	for i := range 10 {
		vals = append(vals, signValue(testKey(byte(i)), KindVote, uint64(i), 1, bytes.Repeat([]byte{byte(i)}, 500)))
	}
	pkts := encodeValues(typePush, 1, vals, 100)
	total := 0
	for _, b := range pkts {
		if len(b) > MaxPacketSize {
			t.Fatalf("packet of %d bytes", len(b))
		}
		p, err := decodePacket(b)
		if err != nil {
			t.Fatal(err)
		}
		total += len(p.values)
	}
	if total != 10 {
		t.Fatalf("%d values across %d packets, want 10", total, len(pkts))
	}
	if got := encodeValues(typePush, 1, vals, 2); len(got) != 2 {
		t.Fatalf("maxPackets 2 gave %d packets", len(got))
	}
}

func TestDecodeRejects(t *testing.T) {
	good := encodeValues(typePush, 1, []value{signValue(testKey(1), KindVote, 1, 1, []byte("v"))}, 1)[0]
	tests := map[string][]byte{
		"empty":      nil,
		"bad magic":  append([]byte("XG"), good[2:]...),
		"bad type":   append(append([]byte(nil), good[:3]...), append([]byte{9}, good[4:]...)...),
		"truncated":  good[:len(good)-1],
		"trailing":   append(append([]byte(nil), good...), 0),
		"oversize":   make([]byte, MaxPacketSize+1),
		"count lies": append(append([]byte(nil), good[:6]...), append([]byte{5}, good[7:]...)...),
	}
	for name, b := range tests {
		if _, err := decodePacket(b); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
	for i := range good {
		if _, err := decodePacket(good[:i]); err == nil {
			t.Errorf("prefix of %d bytes decoded without error", i)
		}
	}
}

func FuzzDecodePacket(f *testing.F) {
	kp := testKey(3)
	f.Add(encodeValues(typePush, 1, []value{signValue(kp, KindVote, 1, 1, []byte("vote"))}, 1)[0])
	ci := signValue(kp, KindContactInfo, 2, 1, appendContactPayload(nil, sampleContact()))
	f.Add(encodeValues(typePullResp, 1, []value{ci}, 1)[0])
	f.Add(encodePullRequest(1, ci, []digestEntry{{digestKey{kind: KindVote}, 3}}))
	f.Add([]byte("SG\x01\x02"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := decodePacket(b)
		if err != nil {
			return
		}
		for _, v := range p.values {
			v.verify()
			if v.kind == KindContactInfo {
				v.contact()
			}
		}
		if p.typ == typePullReq {
			return
		}
		// Whatever decodes re-encodes to a packet holding the same values.
		again := encodeValues(p.typ, p.shredVersion, p.values, 1)
		if len(p.values) == 0 {
			return
		}
		if len(again) != 1 || !bytes.Equal(again[0], b) {
			t.Fatalf("re-encoding %d bytes gave %d packets, not the input", len(b), len(again))
		}
	})
}
