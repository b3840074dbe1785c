package chaos

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"slonui/config"
	"slonui/solana"
)

// Node is what a plan knows of one validator.
type Node struct {
	ID       int    // 1-based node number
	Identity string // base58 identity pubkey ("" when unknown)
	Stake    uint64 // lamports of stake (any unit works; only ratios matter)
	// Addrs are the peer addresses other nodes' fault filters match this
	// node by: its own IP when no other node shares it ("127.0.0.3"),
	// otherwise each of its UDP sockets ("127.0.0.1:10000").
	Addrs []string
	Admin string // admin API address, "127.0.0.3:8006"
}

// Topology is the cluster a plan is made for: nodes 1..n in order.
type Topology struct {
	Nodes []Node
}

// ErrNoCluster is returned by LoadTopology for a directory without nodes.
var ErrNoCluster = errors.New("chaos: no cluster here (run slonui init)")

// Len is the number of nodes.
func (t Topology) Len() int { return len(t.Nodes) }

// TotalStake is the sum of every node's stake.
func (t Topology) TotalStake() uint64 {
	var s uint64
	for _, n := range t.Nodes {
		s += n.Stake
	}
	return s
}

// StakeOf sums the stake of the given nodes.
func (t Topology) StakeOf(ids []int) uint64 {
	var s uint64
	for _, id := range ids {
		if id >= 1 && id <= len(t.Nodes) {
			s += t.Nodes[id-1].Stake
		}
	}
	return s
}

// AddrsOf lists the peer addresses of the given nodes, in node order.
func (t Topology) AddrsOf(ids []int) []string {
	var out []string
	for _, id := range ids {
		if id >= 1 && id <= len(t.Nodes) {
			out = append(out, t.Nodes[id-1].Addrs...)
		}
	}
	return out
}

// Validate reports every problem: nodes not numbered 1..n in order, a node
// without addresses, or no stake at all.
func (t Topology) Validate() error {
	var errs []error
	if len(t.Nodes) == 0 {
		errs = append(errs, errors.New("topology: no nodes"))
	}
	for i, n := range t.Nodes {
		if n.ID != i+1 {
			errs = append(errs, fmt.Errorf("topology: node at index %d has number %d, want %d", i, n.ID, i+1))
		}
		if len(n.Addrs) == 0 {
			errs = append(errs, fmt.Errorf("topology: node %d: no peer address", n.ID))
		}
	}
	if len(t.Nodes) > 0 && t.TotalStake() == 0 {
		errs = append(errs, errors.New("topology: total stake is 0"))
	}
	return errors.Join(errs...)
}

// EqualTopology is n nodes of equal stake on the loopback plan (node i at
// 127.0.0.i, admin port 8006): the shape of a default `slonui init`.
func EqualTopology(n int) Topology {
	return WeightedTopology(slicesRepeat(1, n))
}

// WeightedTopology is one node per stake, on the loopback plan.
func WeightedTopology(stakes []uint64) Topology {
	t := Topology{Nodes: make([]Node, len(stakes))}
	for i, s := range stakes {
		ip := fmt.Sprintf("127.0.0.%d", i+1)
		t.Nodes[i] = Node{ID: i + 1, Stake: s, Addrs: []string{ip}, Admin: ip + ":8006"}
	}
	return t
}

func slicesRepeat(v uint64, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// LoadTopology reads a cluster directory written by `slonui init`: every
// nodeI/config/validator.toml (addresses, identity), the genesis (stakes)
// and DIR/admin.token (the admin API token, returned trimmed).
func LoadTopology(dir string) (Topology, string, error) {
	ids, err := nodeIDs(dir)
	if err != nil {
		return Topology{}, "", err
	}
	if len(ids) == 0 {
		return Topology{}, "", fmt.Errorf("%s: %w", dir, ErrNoCluster)
	}
	var errs []error
	cfgs := make([]config.ValidatorConfig, len(ids))
	for i, id := range ids {
		if id != i+1 {
			errs = append(errs, fmt.Errorf("cluster %s: node directories are not node1..node%d (found node%d)", dir, len(ids), id))
			break
		}
		cfgs[i], err = config.LoadValidatorConfig(filepath.Join(dir, config.NodeConfigPath(id)))
		if err != nil {
			errs = append(errs, fmt.Errorf("node %d: %w", id, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return Topology{}, "", err
	}
	stakes, err := loadStakes(dir, cfgs[0].Devnet.Genesis)
	if err != nil {
		return Topology{}, "", err
	}
	topo := Topology{Nodes: make([]Node, len(cfgs))}
	for i, c := range cfgs {
		n := Node{ID: i + 1, Admin: c.Devnet.AdminAddress}
		if kp, err := solana.ReadKeypairFile(c.Validator.IdentityKeypair); err == nil {
			n.Identity = kp.Pubkey().String()
			n.Stake = stakes[n.Identity]
		} else {
			errs = append(errs, fmt.Errorf("node %d: identity: %w", n.ID, err))
		}
		topo.Nodes[i] = n
	}
	if err := assignAddrs(topo.Nodes, cfgs); err != nil {
		errs = append(errs, err)
	}
	token, err := os.ReadFile(filepath.Join(dir, config.AdminTokenFile))
	if err != nil {
		errs = append(errs, fmt.Errorf("cluster %s: admin token: %w", dir, err))
	}
	if err := errors.Join(append(errs, topo.Validate())...); err != nil {
		return Topology{}, "", err
	}
	return topo, strings.TrimSpace(string(token)), nil
}

// nodeIDs lists the numbers of DIR/nodeN directories, sorted.
func nodeIDs(dir string) ([]int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", dir, err)
	}
	var ids []int
	for _, e := range entries {
		s, ok := strings.CutPrefix(e.Name(), "node")
		if !ok || !e.IsDir() {
			continue
		}
		if id, err := strconv.Atoi(s); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	return ids, nil
}

// loadStakes maps identity → stake from the genesis. A relative genesis
// path that does not exist is tried inside dir.
func loadStakes(dir, path string) (map[string]uint64, error) {
	if path == "" || (!filepath.IsAbs(path) && !exists(path)) {
		path = filepath.Join(dir, config.GenesisFile)
	}
	g, err := config.LoadGenesis(path)
	if err != nil {
		return nil, fmt.Errorf("cluster %s: %w", dir, err)
	}
	out := make(map[string]uint64, len(g.Validators))
	for _, v := range g.Validators {
		out[v.Identity.String()] = v.Stake
	}
	return out, nil
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// assignAddrs gives each node its peer addresses: its IP when no other node
// shares it, else each of its UDP sockets (gossip, TPU, TVU, repair).
func assignAddrs(nodes []Node, cfgs []config.ValidatorConfig) error {
	ipCount := map[netip.Addr]int{}
	ips := make([]netip.Addr, len(cfgs))
	var errs []error
	for i, c := range cfgs {
		ap, err := netip.ParseAddrPort(c.Gossip.BindAddress)
		if err != nil {
			errs = append(errs, fmt.Errorf("node %d: gossip.bind_address %q: %w", i+1, c.Gossip.BindAddress, err))
			continue
		}
		ips[i] = ap.Addr()
		ipCount[ap.Addr()]++
	}
	for i, c := range cfgs {
		if !ips[i].IsValid() {
			continue
		}
		if ipCount[ips[i]] == 1 {
			nodes[i].Addrs = []string{ips[i].String()}
			continue
		}
		for _, a := range []string{c.Gossip.BindAddress, c.Devnet.TPUAddress, c.Devnet.TVUAddress, c.Devnet.RepairAddress} {
			if a != "" {
				nodes[i].Addrs = append(nodes[i].Addrs, a)
			}
		}
	}
	return errors.Join(errs...)
}
