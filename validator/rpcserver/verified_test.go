package rpcserver

import (
	"context"
	"encoding/base64"
	"net/http/httptest"
	"testing"

	"slonui/solana"
)

// verifiedFake is the fake with the optional VerifiedSender method.
type verifiedFake struct {
	*fakeBackend
	verified []solana.Transaction
}

func (v *verifiedFake) SendVerifiedTransaction(_ context.Context, tx solana.Transaction, _ []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.verified = append(v.verified, tx)
	return nil
}

func TestSendTransactionVerifiedSender(t *testing.T) {
	f := newFake()
	x := newFixture(t, f)
	vf := &verifiedFake{fakeBackend: f}
	s, err := New(vf, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	txB64 := base64.StdEncoding.EncodeToString(x.tx.Marshal())
	bad := x.tx.Marshal()
	bad[len(bad)-1] ^= 1
	badB64 := base64.StdEncoding.EncodeToString(bad)
	cases := []struct {
		params                string
		wantErr               bool
		wantVerified, wantRaw int // calls of SendVerifiedTransaction and SendTransaction
	}{
		{`["` + txB64 + `",{"encoding":"base64"}]`, false, 1, 0},                       // preflight checked it
		{`["` + txB64 + `",{"encoding":"base64","skipPreflight":true}]`, false, 0, 1},  // nothing checked it
		{`["` + badB64 + `",{"encoding":"base64"}]`, true, 0, 0},                       // preflight refuses it
		{`["` + badB64 + `",{"encoding":"base64","skipPreflight":true}]`, false, 0, 1}, // the backend must check it
	}
	for _, c := range cases {
		vf.mu.Lock()
		vf.verified, f.sent = nil, nil
		vf.mu.Unlock()
		e := call(t, hs.URL, "sendTransaction", c.params)
		if (e.Error != nil) != c.wantErr {
			t.Errorf("%s: error %+v, want error %v", c.params, e.Error, c.wantErr)
		}
		vf.mu.Lock()
		gotV, gotR := len(vf.verified), len(f.sent)
		vf.mu.Unlock()
		if gotV != c.wantVerified || gotR != c.wantRaw {
			t.Errorf("%s: SendVerifiedTransaction %d, SendTransaction %d calls; want %d, %d", c.params, gotV, gotR, c.wantVerified, c.wantRaw)
		}
	}
}
