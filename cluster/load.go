package cluster

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"slonui/config"
	"slonui/solana"
)

// CountNodes reports how many nodes the cluster directory dir holds: the
// number of node1..nodeK directories with a config/validator.toml, which
// must be numbered without gaps. It returns 0 with no error when dir holds
// no cluster (missing, or no genesis.json and no node directory).
func CountNodes(dir string) (int, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("cluster %s: %w", dir, err)
	}
	ids := map[int]bool{}
	for _, e := range entries {
		n, ok := strings.CutPrefix(e.Name(), "node")
		if !ok || !e.IsDir() {
			continue
		}
		if id, err := strconv.Atoi(n); err == nil && id > 0 {
			ids[id] = true
		}
	}
	_, gerr := os.Stat(filepath.Join(dir, config.GenesisFile))
	if len(ids) == 0 {
		if gerr == nil {
			return 0, fmt.Errorf("cluster %s: has %s but no node directories", dir, config.GenesisFile)
		}
		return 0, nil
	}
	for i := 1; i <= len(ids); i++ {
		if !ids[i] {
			return 0, fmt.Errorf("cluster %s: node directories are not node1..node%d (node%d missing)", dir, len(ids), i)
		}
	}
	if gerr != nil {
		return 0, fmt.Errorf("cluster %s: %s: %w", dir, config.GenesisFile, gerr)
	}
	return len(ids), nil
}

// LoadSpecs reads the cluster in dir (as `slonui init` wrote it) and returns
// one NodeSpec per node: its validator.toml (decoded strictly and
// validated), identity, RPC URL and every socket it will bind.
func LoadSpecs(dir string) ([]NodeSpec, error) {
	n, err := CountNodes(dir)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("cluster %s: no cluster here (run slonui init)", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	var specs []NodeSpec
	var errs []error
	for i := 1; i <= n; i++ {
		s, err := loadSpec(abs, i)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		specs = append(specs, s)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return specs, nil
}

func loadSpec(dir string, i int) (NodeSpec, error) {
	path := filepath.Join(dir, config.NodeConfigPath(i))
	vc, err := config.LoadValidatorConfig(path)
	if err != nil {
		return NodeSpec{}, fmt.Errorf("node %d: %w", i, err)
	}
	kp, err := solana.ReadKeypairFile(vc.Validator.IdentityKeypair)
	if err != nil {
		return NodeSpec{}, fmt.Errorf("node %d: identity: %w", i, err)
	}
	spec := NodeSpec{
		ID:         i,
		Dir:        filepath.Join(dir, config.NodeDir(i)),
		ConfigPath: path,
		Identity:   kp.Pubkey().String(),
		RPCURL:     "http://" + vc.RPC.BindAddress,
		Gossip:     vc.Gossip.BindAddress,

		IdentityPath: vc.Validator.IdentityKeypair,
		LedgerPath:   vc.Validator.LedgerPath,
	}
	add := func(name, network, addr string) {
		if addr != "" {
			spec.Listen = append(spec.Listen, Endpoint{Name: name, Network: network, Addr: addr})
		}
	}
	if vc.RPC.Enable {
		add("rpc", "tcp", vc.RPC.BindAddress)
		add("pubsub", "tcp", vc.Devnet.PubsubAddress)
	}
	add("gossip", "udp", vc.Gossip.BindAddress)
	add("tpu", "udp", vc.Devnet.TPUAddress)
	add("tvu", "udp", vc.Devnet.TVUAddress)
	add("repair", "udp", vc.Devnet.RepairAddress)
	add("admin", "tcp", vc.Devnet.AdminAddress)
	return spec, nil
}
