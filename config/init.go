package config

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"slonui/solana"
)

// Names of the files InitCluster writes, relative to the cluster directory.
const (
	GenesisFile       = "genesis.json"
	FaucetKeypairFile = "faucet-keypair.json"
	AdminTokenFile    = "admin.token"
)

// NodeDir is node i's directory name inside the cluster directory.
func NodeDir(i int) string { return fmt.Sprintf("node%d", i) }

// Paths of node i's files relative to the cluster directory.
func NodeConfigPath(i int) string { return filepath.Join(NodeDir(i), "config", "validator.toml") }
func NodeKeypairPath(i int) string {
	return filepath.Join(NodeDir(i), "config", "validator-keypair.json")
}
func NodeLedgerPath(i int) string { return filepath.Join(NodeDir(i), "ledger") }

var nodeDirRE = regexp.MustCompile(`^node[0-9]+$`)

// ErrClusterExists is returned when the directory already holds a cluster and Force is off.
var ErrClusterExists = errors.New("config: cluster directory already holds a cluster (use --force to replace it)")

// InitOptions are the inputs of InitCluster.
type InitOptions struct {
	Dir           string     // cluster directory (created when missing)
	Nodes         int        // 1..64
	SlotMS        int        // slot duration
	SlotsPerEpoch int        // at least 32
	AddrPlan      string     // PlanLoopback or PlanPorts
	AddrBase      netip.Addr // zero: 127.0.0.1
	PortBase      int        // zero: 8899
	// Seed, when set, derives every key and the admin token from it, so the
	// same options give byte-identical files.
	Seed string
	// CreationTime is slot 0's start; zero means now. It is truncated to the millisecond.
	CreationTime   time.Time
	FaucetLamports uint64
	StakeLamports  uint64 // every validator's stake (stakes are equal)
	LogLevel       string
	Force          bool // replace an existing cluster's files
}

// DefaultInitOptions are the defaults of `slonui init` apart from Dir.
func DefaultInitOptions() InitOptions {
	return InitOptions{
		Nodes: 3, SlotMS: DefaultSlotMS, SlotsPerEpoch: DefaultSlotsPerEpoch, AddrPlan: PlanLoopback,
		AddrBase: DefaultAddrBase, PortBase: DefaultPortBase,
		FaucetLamports: DefaultFaucetLamports, StakeLamports: DefaultStakeLamports, LogLevel: "info",
	}
}

// Validate reports every problem of the options at once.
func (o InitOptions) Validate() error {
	var errs []error
	if o.Dir == "" {
		errs = append(errs, errors.New("no cluster directory given"))
	}
	if _, err := Plan(o.AddrPlan, o.Nodes, o.AddrBase, o.PortBase); err != nil {
		errs = append(errs, fmt.Errorf("%w", err))
	}
	if o.SlotMS < 1 {
		errs = append(errs, fmt.Errorf("slot duration %d ms: must be at least 1", o.SlotMS))
	}
	if o.SlotsPerEpoch < MinSlotsPerEpoch {
		errs = append(errs, fmt.Errorf("%d slots per epoch: must be at least %d", o.SlotsPerEpoch, MinSlotsPerEpoch))
	}
	if o.FaucetLamports == 0 {
		errs = append(errs, errors.New("faucet lamports must be more than 0"))
	}
	if o.StakeLamports == 0 {
		errs = append(errs, errors.New("stake must be more than 0"))
	}
	ok := false
	for _, l := range LogLevels {
		ok = ok || l == o.LogLevel
	}
	if !ok {
		errs = append(errs, fmt.Errorf("log level %q: want one of %v", o.LogLevel, LogLevels))
	}
	return errors.Join(errs...)
}

// InitResult says what InitCluster wrote. Every path is absolute.
type InitResult struct {
	Dir               string
	GenesisPath       string
	FaucetKeypairPath string
	AdminTokenPath    string
	Genesis           Genesis
	Faucet            solana.Pubkey
	Nodes             []InitNode
}

// InitNode is one node InitCluster wrote.
type InitNode struct {
	ID          int
	Identity    solana.Pubkey
	Dir         string
	ConfigPath  string
	KeypairPath string
	LedgerPath  string
	Addrs       NodeAddrs
}

// InitCluster writes a cluster directory: genesis.json, faucet-keypair.json,
// admin.token (32 random bytes as hex, mode 0600) and per node
// nodeI/config/validator-keypair.json, nodeI/config/validator.toml and
// nodeI/ledger/. It refuses a directory that already holds genesis.json or
// a nodeN directory unless Force is set; with Force it first removes only
// the files and directories it writes. Every validator.toml it writes holds
// absolute paths and passes LoadValidatorConfig.
func InitCluster(o InitOptions) (InitResult, error) {
	if err := o.Validate(); err != nil {
		return InitResult{}, fmt.Errorf("init: %w", err)
	}
	addrs, _ := Plan(o.AddrPlan, o.Nodes, o.AddrBase, o.PortBase) // checked by Validate
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return InitResult{}, fmt.Errorf("init %s: %w", o.Dir, err)
	}
	if err := prepareDir(dir, o.Force); err != nil {
		return InitResult{}, err
	}
	keys := newKeySource(o.Seed)
	res := InitResult{
		Dir:               dir,
		GenesisPath:       filepath.Join(dir, GenesisFile),
		FaucetKeypairPath: filepath.Join(dir, FaucetKeypairFile),
		AdminTokenPath:    filepath.Join(dir, AdminTokenFile),
	}
	faucet, idents, err := keys.clusterKeys(o.Nodes)
	if err != nil {
		return InitResult{}, err
	}
	res.Faucet = faucet.Pubkey()
	g := newGenesis(o, faucet.Pubkey(), idents)
	res.Genesis = g

	if err := WriteGenesis(res.GenesisPath, g); err != nil {
		return InitResult{}, fmt.Errorf("init: %w", err)
	}
	res.Genesis.Path = res.GenesisPath
	if err := solana.WriteKeypairFile(res.FaucetKeypairPath, faucet, false); err != nil {
		return InitResult{}, fmt.Errorf("init: faucet: %w", err)
	}
	token, err := keys.bytes("admin-token")
	if err != nil {
		return InitResult{}, err
	}
	if err := os.WriteFile(res.AdminTokenPath, []byte(hex.EncodeToString(token)+"\n"), 0o600); err != nil {
		return InitResult{}, fmt.Errorf("init: admin token: %w", err)
	}
	for i, kp := range idents {
		n, err := writeNode(dir, i+1, kp, addrs[i], g, res, o)
		if err != nil {
			return InitResult{}, err
		}
		res.Nodes = append(res.Nodes, n)
	}
	return res, nil
}

func writeNode(dir string, id int, kp solana.Keypair, a NodeAddrs, g Genesis, res InitResult, o InitOptions) (InitNode, error) {
	n := InitNode{
		ID: id, Identity: kp.Pubkey(), Dir: filepath.Join(dir, NodeDir(id)), Addrs: a,
		ConfigPath: filepath.Join(dir, NodeConfigPath(id)), KeypairPath: filepath.Join(dir, NodeKeypairPath(id)),
		LedgerPath: filepath.Join(dir, NodeLedgerPath(id)),
	}
	if err := os.MkdirAll(n.LedgerPath, 0o755); err != nil {
		return n, fmt.Errorf("init: node %d: %w", id, err)
	}
	if err := solana.WriteKeypairFile(n.KeypairPath, kp, false); err != nil {
		return n, fmt.Errorf("init: node %d: %w", id, err)
	}
	cfg := DefaultValidatorConfig()
	cfg.Validator = ValidatorSection{IdentityKeypair: n.KeypairPath, LedgerPath: n.LedgerPath}
	cfg.RPC.BindAddress = a.RPC.String()
	cfg.Gossip.BindAddress = a.Gossip.String()
	cfg.Gossip.Entrypoint = ""
	if a.Entrypoint.IsValid() {
		cfg.Gossip.Entrypoint = a.Entrypoint.String()
	}
	cfg.Consensus.ExpectedShredVersion = g.ShredVersion
	cfg.Devnet.Genesis = res.GenesisPath
	cfg.Devnet.PubsubAddress = a.Pubsub.String()
	cfg.Devnet.TPUAddress = a.TPU.String()
	cfg.Devnet.TVUAddress = a.TVU.String()
	cfg.Devnet.RepairAddress = a.Repair.String()
	cfg.Devnet.AdminAddress = a.Admin.String()
	cfg.Devnet.AdminTokenPath = res.AdminTokenPath
	cfg.Devnet.LogLevel = o.LogLevel
	b, err := EncodeValidatorConfig(cfg)
	if err != nil {
		return n, fmt.Errorf("init: node %d: %w", id, err)
	}
	head := fmt.Sprintf("# slonui node %d (identity %s). Written by `slonui init`.\n\n", id, kp.Pubkey())
	if err := os.WriteFile(n.ConfigPath, append([]byte(head), b...), 0o644); err != nil {
		return n, fmt.Errorf("init: node %d: %w", id, err)
	}
	return n, nil
}

// newGenesis is the sealed genesis of a new cluster with equal stakes.
func newGenesis(o InitOptions, faucet solana.Pubkey, idents []solana.Keypair) Genesis {
	created := o.CreationTime
	if created.IsZero() {
		created = time.Now()
	}
	g := Genesis{
		CreationTime: created.UTC().Truncate(time.Millisecond), SlotMS: o.SlotMS, TicksPerSlot: DefaultTicksPerSlot,
		SlotsPerEpoch: o.SlotsPerEpoch, Faucet: GenesisFaucet{Pubkey: faucet, Lamports: o.FaucetLamports},
	}
	for _, kp := range idents {
		g.Validators = append(g.Validators, GenesisValidator{Identity: kp.Pubkey(), Stake: o.StakeLamports})
	}
	g.Seal()
	return g
}

// prepareDir makes dir, refusing (or, with force, clearing) an existing cluster.
func prepareDir(dir string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("init %s: %w", dir, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("init %s: %w", dir, err)
	}
	var ours []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case name == GenesisFile, name == FaucetKeypairFile, name == AdminTokenFile:
			ours = append(ours, name)
		case e.IsDir() && nodeDirRE.MatchString(name):
			ours = append(ours, name)
		}
	}
	cluster := false
	for _, name := range ours {
		cluster = cluster || name == GenesisFile || nodeDirRE.MatchString(name)
	}
	if cluster && !force {
		return fmt.Errorf("init %s: %w", dir, ErrClusterExists)
	}
	for _, name := range ours {
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("init %s: remove old %s: %w", dir, name, err)
		}
	}
	return nil
}

// keySource gives fresh keys from crypto/rand, or keys derived from a seed:
// the key labelled L is KeypairFromSeed(SHA-256(seed ‖ "/" ‖ L)).
type keySource struct{ seed string }

func newKeySource(seed string) keySource { return keySource{seed: seed} }

func (k keySource) bytes(label string) ([]byte, error) {
	if k.seed == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return nil, fmt.Errorf("init: random %s: %w", label, err)
		}
		return b, nil
	}
	h := sha256.Sum256([]byte(k.seed + "/" + label))
	return h[:], nil
}

// clusterKeys gives the faucet key and the identities of nodes 1..n.
func (k keySource) clusterKeys(n int) (faucet solana.Keypair, idents []solana.Keypair, err error) {
	if faucet, err = k.keypair("faucet"); err != nil {
		return faucet, nil, err
	}
	idents = make([]solana.Keypair, n)
	for i := range idents {
		if idents[i], err = k.keypair(fmt.Sprintf("node%d", i+1)); err != nil {
			return faucet, nil, err
		}
	}
	return faucet, idents, nil
}

func (k keySource) keypair(label string) (solana.Keypair, error) {
	b, err := k.bytes(label)
	if err != nil {
		return solana.Keypair{}, err
	}
	return solana.KeypairFromSeed([32]byte(b)), nil
}
