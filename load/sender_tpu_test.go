package load

import (
	"bytes"
	"net"
	"net/netip"
	"testing"
	"time"

	"slonui/rpc"
	"slonui/solana"
	"slonui/validator/rpcserver"
	"slonui/validator/rpcserver/rpcservertest"
)

// tpuBackend advertises a UDP TPU address per leader; the Fake's schedule
// alternates its identity and one other every 4 slots.
type tpuBackend struct {
	*rpcservertest.Fake
	tpus map[solana.Pubkey]netip.AddrPort
}

func (b *tpuBackend) ClusterNodes() []rpcserver.ContactInfo {
	var out []rpcserver.ContactInfo
	for pk, ap := range b.tpus {
		out = append(out, rpcserver.ContactInfo{Pubkey: pk, TPU: ap, ShredVersion: 4242})
	}
	return out
}

func listenUDP(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// The TPU sender reaches the current and the next leader (slot 130 is
// the Fake identity's, 132–135 the other's) at the TPU addresses gossip
// reports, with the transaction's wire bytes.
func TestTPUSenderReachesCurrentAndNextLeader(t *testing.T) {
	fake := rpcservertest.NewFake()
	leaderA, leaderB := listenUDP(t), listenUDP(t)
	b := &tpuBackend{Fake: fake, tpus: map[solana.Pubkey]netip.AddrPort{
		fake.Identity(): leaderA.LocalAddr().(*net.UDPAddr).AddrPort(),
		solana.KeypairFromSeed([32]byte{2}).Pubkey(): leaderB.LocalAddr().(*net.UDPAddr).AddrPort(),
	}}
	srv, err := rpcserver.New(b, rpcserver.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	c, err := rpc.New(serve(t, srv), rpc.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var log errLog
	s, err := newTPUSender([]*rpc.Client{c}, RealClock, log.add)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := len(*s.targets.Load()); n != 2 {
		t.Fatalf("%d TPU targets, want the current and the next leader", n)
	}
	wire := []byte("a signed transaction")
	if e := s.Send(t.Context(), []Tx{{Wire: wire}}); e[0] != nil {
		t.Fatalf("Send: %v", e[0])
	}
	for _, conn := range []*net.UDPConn{leaderA, leaderB} {
		buf := make([]byte, 2048)
		conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, err := conn.Read(buf)
		if err != nil || !bytes.Equal(buf[:n], wire) {
			t.Errorf("leader %s got %q, %v; want the wire bytes", conn.LocalAddr(), buf[:n], err)
		}
	}
	if errs := log.all(); len(errs) != 0 {
		t.Errorf("refresh errors %v", errs)
	}
}

func TestTPUSenderWithoutLeadersCountsNoLeader(t *testing.T) {
	s, err := newTPUSender(nil, RealClock, func(string) {})
	if err != nil {
		t.Fatal(err)
	}
	defer s.conn.Close()
	e := s.Send(t.Context(), []Tx{{Wire: []byte{1}}})
	if got := ErrorKind(e[0]); got != "no leader address" {
		t.Errorf("kind %q, want no leader address", got)
	}
}
