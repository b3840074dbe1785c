package cluster

import (
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
)

func TestPreflightNamesTheHolder(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.3.7:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	u, err := net.ListenPacket("udp4", "127.0.3.7:0")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	free, err := net.Listen("tcp4", "127.0.3.8:0")
	if err != nil {
		t.Fatal(err)
	}
	freeAddr := free.Addr().String()
	free.Close()

	nodes := []NodeSpec{
		{ID: 1, Listen: []Endpoint{{"rpc", "tcp", l.Addr().String()}, {"rpc-free", "tcp", freeAddr}}},
		{ID: 2, Listen: []Endpoint{{"gossip", "udp", u.LocalAddr().String()}}},
	}
	err = Preflight(nodes)
	if err == nil {
		t.Fatal("preflight passed with two ports held")
	}
	msg := err.Error()
	me := fmt.Sprintf("pid %d", os.Getpid())
	for _, want := range []string{
		"node 1: rpc tcp " + l.Addr().String() + " is in use by " + me,
		"node 2: gossip udp " + u.LocalAddr().String() + " is in use by " + me,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, freeAddr) {
		t.Errorf("free address %s reported:\n%s", freeAddr, msg)
	}
	var ce *ClashError
	if !errors.As(err, &ce) || ce.Command == "" || !strings.Contains(ce.Command, os.Args[0]) {
		t.Errorf("clash does not carry the holder's command line (%q): %+v", os.Args[0], ce)
	}
}

func TestPreflightFreeAndDuplicate(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.3.9:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	if err := Preflight([]NodeSpec{{ID: 1, Listen: []Endpoint{{"rpc", "tcp", addr}, {"gossip", "udp", addr}}}}); err != nil {
		t.Fatalf("free ports refused: %v", err)
	}
	err = Preflight([]NodeSpec{
		{ID: 1, Listen: []Endpoint{{"rpc", "tcp", addr}}},
		{ID: 2, Listen: []Endpoint{{"rpc", "tcp", addr}}},
	})
	if err == nil || !strings.Contains(err.Error(), "node 2: rpc tcp "+addr+" is also planned for node 1") {
		t.Fatalf("duplicate plan not reported: %v", err)
	}
}

func TestParseProcAddr(t *testing.T) {
	tests := []struct {
		in   string
		ip   string
		port int
		ok   bool
	}{
		{"0100007F:22C3", "127.0.0.1", 8899, true},
		{"0700037F:1F41", "127.3.0.7", 8001, true},
		{"00000000:0050", "0.0.0.0", 80, true},
		{"00000000000000000000000001000000:1F90", "::1", 8080, true},
		{"zz:0050", "", 0, false},
		{"0100007F", "", 0, false},
	}
	for _, tt := range tests {
		ip, port, ok := parseProcAddr(tt.in)
		if ok != tt.ok || (ok && (ip.String() != tt.ip || port != tt.port)) {
			t.Errorf("parseProcAddr(%q) = %v %d %v, want %s %d %v", tt.in, ip, port, ok, tt.ip, tt.port, tt.ok)
		}
	}
}
