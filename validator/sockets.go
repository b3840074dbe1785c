package validator

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"

	"slonui/validator/netfault"
)

// sockets are the node's bound sockets. UDP sockets are raw here; the node
// wraps them with its netfault.Filter.
type sockets struct {
	gossip, tpu, tvu, repair *net.UDPConn
	rpc, pubsub, admin       net.Listener
}

// udpBuffer is the socket buffer asked for on every UDP socket, so bursts
// of shreds or transactions are not dropped by the kernel.
const udpBuffer = 4 << 20

// bind opens every configured socket, or none: on the first failure it
// closes what it opened and names the address and its role.
func bind(a addrs) (*sockets, error) {
	s := &sockets{}
	var err error
	udp := func(role string, ap netip.AddrPort) *net.UDPConn {
		if err != nil || !ap.IsValid() {
			return nil
		}
		c, e := net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
		if e != nil {
			err = bindError(role, "udp", ap, e)
			return nil
		}
		_ = c.SetReadBuffer(udpBuffer)
		_ = c.SetWriteBuffer(udpBuffer)
		return c
	}
	tcp := func(role string, ap netip.AddrPort) net.Listener {
		if err != nil || !ap.IsValid() {
			return nil
		}
		var l net.Listener
		var e error
		if role == "admin" {
			l, e = netfault.ListenLoopback(ap.String())
		} else {
			l, e = net.Listen("tcp", ap.String())
		}
		if e != nil {
			err = bindError(role, "tcp", ap, e)
			return nil
		}
		return l
	}
	s.gossip = udp("gossip", a.gossip)
	s.tpu = udp("tpu", a.tpu)
	s.tvu = udp("tvu", a.tvu)
	s.repair = udp("repair", a.repair)
	s.rpc = tcp("rpc", a.rpc)
	s.pubsub = tcp("pubsub", a.pubsub)
	s.admin = tcp("admin", a.admin)
	if err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

func bindError(role, proto string, ap netip.AddrPort, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s address %s/%s is already in use", role, ap, proto)
	}
	if errors.Is(err, syscall.EADDRNOTAVAIL) {
		return fmt.Errorf("%s address %s/%s is not available on this host (is %s a local address?)", role, ap, proto, ap.Addr())
	}
	return fmt.Errorf("%s address %s/%s: %w", role, ap, proto, err)
}

// close closes every socket that is open. Listeners handed to a server are
// closed by it as well; a second close is harmless.
func (s *sockets) close() {
	for _, c := range []*net.UDPConn{s.gossip, s.tpu, s.tvu, s.repair} {
		if c != nil {
			c.Close()
		}
	}
	for _, l := range []net.Listener{s.rpc, s.pubsub, s.admin} {
		if l != nil {
			l.Close()
		}
	}
}
