package validator

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"slonui/config"
	"slonui/solana"
	"slonui/validator/core"
)

// Options are the inputs of Run beyond the config file.
type Options struct {
	ConfigPath string    // validator.toml (required)
	LedgerDir  string    // overrides [validator] ledger_path when set
	LogLevel   string    // overrides [devnet] log_level when set
	Stdout     io.Writer // log lines; nil is os.Stdout
	// Version is what getVersion and gossip report; "" uses DefaultVersion.
	Version string
	// TickInterval is how often the core is ticked while the node leads
	// the slot (twice that otherwise, see nextTick); 0 uses DefaultTick.
	TickInterval time.Duration
	// Ready, when set, is called once every socket is bound and the node
	// runs (tests and benchmarks wait on it).
	Ready func(*Node)
}

// Defaults of Options.
const (
	DefaultVersion = "2.2.0"
	DefaultTick    = 25 * time.Millisecond
)

// ErrNotInGenesis is returned when the identity is not a genesis validator.
var ErrNotInGenesis = errors.New("identity is not a validator in the genesis")

// setup is everything loaded from disk before any socket is bound.
type setup struct {
	cfg        config.ValidatorConfig
	genesis    config.Genesis
	identity   solana.Keypair
	faucet     *solana.Keypair
	adminToken string
	ledger     string
	tower      *core.Tower
	logLevel   string
	addrs      addrs
	entrypoint netip.AddrPort
}

// addrs are the node's sockets as configured.
type addrs struct {
	rpc, pubsub, gossip, tpu, tvu, repair, admin netip.AddrPort
}

// load reads and checks the config, genesis, keys, token and tower.
func load(o Options) (*setup, error) {
	if o.ConfigPath == "" {
		return nil, errors.New("no config file given (--config FILE)")
	}
	cfg, err := config.LoadValidatorConfig(o.ConfigPath)
	if err != nil {
		return nil, err
	}
	s := &setup{cfg: cfg, ledger: cfg.Validator.LedgerPath, logLevel: cfg.Devnet.LogLevel}
	if o.LedgerDir != "" {
		s.ledger = o.LedgerDir
	}
	if o.LogLevel != "" {
		s.logLevel = o.LogLevel
	}
	if _, err := parseLevel(s.logLevel); err != nil {
		return nil, err
	}
	if s.genesis, err = config.LoadGenesis(cfg.Devnet.Genesis); err != nil {
		return nil, fmt.Errorf("genesis: %w", err)
	}
	if want := cfg.Consensus.ExpectedShredVersion; want != 0 && want != s.genesis.ShredVersion {
		return nil, fmt.Errorf("%s: consensus.expected_shred_version %d does not match genesis %s (shred version %d)",
			o.ConfigPath, want, cfg.Devnet.Genesis, s.genesis.ShredVersion)
	}
	if s.identity, err = solana.ReadKeypairFile(cfg.Validator.IdentityKeypair); err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	if !inGenesis(s.genesis, s.identity.Pubkey()) {
		return nil, fmt.Errorf("identity %s (%s): %w %s", s.identity.Pubkey(), cfg.Validator.IdentityKeypair, ErrNotInGenesis, cfg.Devnet.Genesis)
	}
	if s.faucet, err = loadFaucet(s.genesis, cfg.Devnet.Genesis); err != nil {
		return nil, err
	}
	if s.addrs, err = parseAddrs(cfg); err != nil {
		return nil, err
	}
	if e := cfg.Gossip.Entrypoint; e != "" {
		if s.entrypoint, err = netip.ParseAddrPort(e); err != nil {
			return nil, fmt.Errorf("%s: gossip.entrypoint %q: %w", o.ConfigPath, e, err)
		}
	}
	if s.addrs.admin.IsValid() {
		tok, err := os.ReadFile(cfg.Devnet.AdminTokenPath)
		if err != nil {
			return nil, fmt.Errorf("admin token: %w", err)
		}
		if s.adminToken = strings.TrimSpace(string(tok)); s.adminToken == "" {
			return nil, fmt.Errorf("admin token %s: empty", cfg.Devnet.AdminTokenPath)
		}
	}
	if err := os.MkdirAll(s.ledger, 0o755); err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if s.tower, err = LoadTower(s.ledger); err != nil {
		return nil, err
	}
	return s, nil
}

func inGenesis(g config.Genesis, pk solana.Pubkey) bool {
	for _, v := range g.Validators {
		if v.Identity == pk {
			return true
		}
	}
	return false
}

// loadFaucet reads faucet-keypair.json beside genesis.json. A missing file
// means no faucet; a file with another key is an error.
func loadFaucet(g config.Genesis, genesisPath string) (*solana.Keypair, error) {
	path := filepath.Join(filepath.Dir(genesisPath), config.FaucetKeypairFile)
	kp, err := solana.ReadKeypairFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("faucet: %w", err)
	}
	if kp.Pubkey() != g.Faucet.Pubkey {
		return nil, fmt.Errorf("faucet %s: key %s is not the genesis faucet %s", path, kp.Pubkey(), g.Faucet.Pubkey)
	}
	return &kp, nil
}

func parseAddrs(cfg config.ValidatorConfig) (addrs, error) {
	var a addrs
	var errs []error
	parse := func(key, v string, dst *netip.AddrPort) {
		if v == "" {
			return
		}
		ap, err := netip.ParseAddrPort(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s %q: %w", cfg.Path, key, v, err))
			return
		}
		*dst = ap
	}
	if cfg.RPC.Enable {
		parse("rpc.bind_address", cfg.RPC.BindAddress, &a.rpc)
		parse("devnet.pubsub_address", cfg.Devnet.PubsubAddress, &a.pubsub)
	}
	parse("gossip.bind_address", cfg.Gossip.BindAddress, &a.gossip)
	parse("devnet.tpu_address", cfg.Devnet.TPUAddress, &a.tpu)
	parse("devnet.tvu_address", cfg.Devnet.TVUAddress, &a.tvu)
	parse("devnet.repair_address", cfg.Devnet.RepairAddress, &a.repair)
	parse("devnet.admin_address", cfg.Devnet.AdminAddress, &a.admin)
	return a, errors.Join(errs...)
}

// coreGenesis converts the genesis file into the core's input. Validator
// identity accounts start empty: votes are not transactions here.
func coreGenesis(g config.Genesis) core.Genesis {
	cg := core.Genesis{
		CreationMs:     g.CreationTime.UnixMilli(),
		SlotMs:         int64(g.SlotMS),
		TicksPerSlot:   uint64(g.TicksPerSlot),
		SlotsPerEpoch:  uint64(g.SlotsPerEpoch),
		Faucet:         g.Faucet.Pubkey,
		FaucetLamports: g.Faucet.Lamports,
	}
	for _, v := range g.Validators {
		cg.Validators = append(cg.Validators, core.GenesisValidator{Identity: v.Identity, Stake: v.Stake})
	}
	return cg
}
