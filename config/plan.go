package config

import (
	"errors"
	"fmt"
	"net/netip"
)

// Address plans (ARCHITECTURE.md "Conventions").
//
// loopback (the default): node i listens on its own address, addrBase+(i−1)
// (default base 127.0.0.1, so node 1 = 127.0.0.1, node 2 = 127.0.0.2), with
// Solana's standard ports: RPC 8899, pubsub 8900 (RPC+1, as web3.js
// expects), gossip 8001, TPU 8003, TVU 8004, repair 8005, admin 8006. A port
// base P other than 8899 moves every port by P−8899 (RPC = P, gossip =
// P−898, …), so parallel clusters can share addresses.
//
// ports (for systems without 127.0.0.x): every node on addrBase (default
// 127.0.0.1). Node i's RPC = P+2(i−1) (default P 8899), pubsub = RPC+1; its
// UDP and admin ports come from a second range starting at P+1101 (10000 by
// default), ten ports per node: gossip = P+1101+10(i−1), TPU +1, TVU +2,
// repair +3, admin +4. For 64 nodes the RPC range is P..P+127 and the second
// range P+1101..P+1740, so the two never overlap.
//
// In both plans node 1's gossip address is every other node's entrypoint;
// node 1 has none.
const (
	PlanLoopback = "loopback"
	PlanPorts    = "ports"

	MaxNodes        = 64
	DefaultPortBase = 8899 // RPC port of node 1

	// Standard ports of the loopback plan, at the default port base.
	StdRPCPort    = 8899
	StdPubsubPort = 8900
	StdGossipPort = 8001
	StdTPUPort    = 8003
	StdTVUPort    = 8004
	StdRepairPort = 8005
	StdAdminPort  = 8006

	portsSecondRange = 1101 // offset of the ports plan's UDP/admin range from P
	portsPerNode     = 10
)

// DefaultAddrBase is node 1's address in both plans.
var DefaultAddrBase = netip.AddrFrom4([4]byte{127, 0, 0, 1})

// NodeAddrs are one node's sockets.
type NodeAddrs struct {
	Node       int // 1-based
	RPC        netip.AddrPort
	Pubsub     netip.AddrPort
	Gossip     netip.AddrPort
	TPU        netip.AddrPort
	TVU        netip.AddrPort
	Repair     netip.AddrPort
	Admin      netip.AddrPort
	Entrypoint netip.AddrPort // node 1's gossip; invalid (zero) for node 1
}

// RPCURL is the node's JSON-RPC URL.
func (a NodeAddrs) RPCURL() string { return "http://" + a.RPC.String() }

// Sockets lists the node's own listening sockets by config key.
func (a NodeAddrs) Sockets() []NamedAddr {
	return []NamedAddr{
		{"rpc.bind_address", a.RPC}, {"devnet.pubsub_address", a.Pubsub},
		{"gossip.bind_address", a.Gossip}, {"devnet.tpu_address", a.TPU},
		{"devnet.tvu_address", a.TVU}, {"devnet.repair_address", a.Repair},
		{"devnet.admin_address", a.Admin},
	}
}

// NamedAddr is an address with the config key it is set by.
type NamedAddr struct {
	Key  string
	Addr netip.AddrPort
}

// Plan computes the sockets of n nodes under the plan kind ("" means
// loopback). A zero addrBase means 127.0.0.1 and a zero portBase 8899. It
// fails when n is outside 1..64, the base is not in 127.0.0.0/8, a node's
// address would leave 127.0.0.0/8, or a port would leave 1..65535.
func Plan(kind string, n int, addrBase netip.Addr, portBase int) ([]NodeAddrs, error) {
	if kind == "" {
		kind = PlanLoopback
	}
	if !addrBase.IsValid() {
		addrBase = DefaultAddrBase
	}
	if portBase == 0 {
		portBase = DefaultPortBase
	}
	var errs []error
	if kind != PlanLoopback && kind != PlanPorts {
		errs = append(errs, fmt.Errorf("address plan %q: want %s or %s", kind, PlanLoopback, PlanPorts))
	}
	if n < 1 || n > MaxNodes {
		errs = append(errs, fmt.Errorf("%d nodes: want 1 to %d", n, MaxNodes))
	}
	if !addrBase.Is4() || !isLoopback4(addrBase) {
		errs = append(errs, fmt.Errorf("address base %s: not in 127.0.0.0/8 (every node must stay on loopback)", addrBase))
	}
	if portBase < 1 || portBase > 65535 {
		errs = append(errs, fmt.Errorf("port base %d: not a port (1..65535)", portBase))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	nodes := make([]NodeAddrs, n)
	for i := range nodes {
		var err error
		if kind == PlanLoopback {
			nodes[i], err = loopbackNode(i+1, addrBase, portBase)
		} else {
			nodes[i], err = portsNode(i+1, addrBase, portBase)
		}
		if err != nil {
			return nil, fmt.Errorf("address plan %s: %w", kind, err)
		}
		if i > 0 {
			nodes[i].Entrypoint = nodes[0].Gossip
		}
	}
	return nodes, nil
}

func loopbackNode(i int, base netip.Addr, portBase int) (NodeAddrs, error) {
	b := base.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += uint32(i - 1)
	ip := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	if !isLoopback4(ip) {
		return NodeAddrs{}, fmt.Errorf("node %d: address %s leaves 127.0.0.0/8 (lower the address base)", i, ip)
	}
	shift := portBase - StdRPCPort
	return assemble(i, ip, shift+StdRPCPort, shift+StdPubsubPort,
		[5]int{shift + StdGossipPort, shift + StdTPUPort, shift + StdTVUPort, shift + StdRepairPort, shift + StdAdminPort})
}

func portsNode(i int, ip netip.Addr, portBase int) (NodeAddrs, error) {
	rpc := portBase + 2*(i-1)
	udp := portBase + portsSecondRange + portsPerNode*(i-1)
	return assemble(i, ip, rpc, rpc+1, [5]int{udp, udp + 1, udp + 2, udp + 3, udp + 4})
}

// assemble checks every port and builds the node; udp is gossip, TPU, TVU, repair, admin.
func assemble(i int, ip netip.Addr, rpc, pubsub int, udp [5]int) (NodeAddrs, error) {
	ports := append([]int{rpc, pubsub}, udp[:]...)
	for _, p := range ports {
		if p < 1 || p > 65535 {
			return NodeAddrs{}, fmt.Errorf("node %d: port %d out of 1..65535 (change the port base)", i, p)
		}
	}
	ap := func(p int) netip.AddrPort { return netip.AddrPortFrom(ip, uint16(p)) }
	return NodeAddrs{
		Node: i, RPC: ap(rpc), Pubsub: ap(pubsub),
		Gossip: ap(udp[0]), TPU: ap(udp[1]), TVU: ap(udp[2]), Repair: ap(udp[3]), Admin: ap(udp[4]),
	}, nil
}

func isLoopback4(a netip.Addr) bool { return a.Is4() && a.As4()[0] == 127 }
