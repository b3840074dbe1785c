package config

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"slonui/solana"
)

var testTime = time.Date(2026, 11, 25, 12, 0, 0, 123_000_000, time.UTC)

func testInit(t *testing.T, dir string, nodes int, mut ...func(*InitOptions)) InitResult {
	t.Helper()
	o := DefaultInitOptions()
	o.Dir, o.Nodes, o.CreationTime = dir, nodes, testTime
	for _, m := range mut {
		m(&o)
	}
	res, err := InitCluster(o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestInitClusterFilesLoadBackStrictly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	res := testInit(t, dir, 10)
	g, err := LoadGenesis(filepath.Join(dir, GenesisFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Validators) != 10 || !g.CreationTime.Equal(testTime) || g.SlotMS != 400 || g.TicksPerSlot != 64 {
		t.Fatalf("genesis %+v", g)
	}
	faucet, err := solana.ReadKeypairFile(filepath.Join(dir, FaucetKeypairFile))
	if err != nil || faucet.Pubkey() != g.Faucet.Pubkey || g.Faucet.Lamports != DefaultFaucetLamports {
		t.Fatalf("faucet %s vs genesis %s: %v", faucet.Pubkey(), g.Faucet.Pubkey, err)
	}
	tok, err := os.ReadFile(filepath.Join(dir, AdminTokenFile))
	if err != nil || len(strings.TrimSpace(string(tok))) != 64 {
		t.Fatalf("admin token %q: %v", tok, err)
	}
	for _, f := range []string{AdminTokenFile, FaucetKeypairFile, NodeKeypairPath(3)} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("%s: mode %v, %v; want 0600", f, st.Mode().Perm(), err)
		}
	}
	for i := 1; i <= 10; i++ {
		cfg, err := LoadValidatorConfig(filepath.Join(dir, NodeConfigPath(i)))
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		kp, err := solana.ReadKeypairFile(cfg.Validator.IdentityKeypair)
		if err != nil {
			t.Fatal(err)
		}
		if kp.Pubkey() != g.Validators[i-1].Identity || res.Nodes[i-1].Identity != kp.Pubkey() {
			t.Fatalf("node %d identity %s, genesis has %s", i, kp.Pubkey(), g.Validators[i-1].Identity)
		}
		if g.Validators[i-1].Stake != g.Validators[0].Stake {
			t.Fatal("stakes are not equal")
		}
		if cfg.Consensus.ExpectedShredVersion != g.ShredVersion {
			t.Fatalf("node %d expects shred version %d, genesis %d", i, cfg.Consensus.ExpectedShredVersion, g.ShredVersion)
		}
		if st, err := os.Stat(cfg.Validator.LedgerPath); err != nil || !st.IsDir() {
			t.Fatalf("node %d ledger %s: %v", i, cfg.Validator.LedgerPath, err)
		}
		for _, p := range []string{cfg.Validator.IdentityKeypair, cfg.Validator.LedgerPath, cfg.Devnet.Genesis, cfg.Devnet.AdminTokenPath} {
			if !filepath.IsAbs(p) {
				t.Fatalf("node %d: path %s is not absolute", i, p)
			}
		}
		a := res.Nodes[i-1].Addrs
		if cfg.RPC.BindAddress != a.RPC.String() || cfg.Devnet.PubsubAddress != a.Pubsub.String() || cfg.Gossip.BindAddress != a.Gossip.String() {
			t.Fatalf("node %d addresses %+v vs plan %+v", i, cfg, a)
		}
		wantEntry := "127.0.0.1:8001"
		if i == 1 {
			wantEntry = ""
		}
		if cfg.Gossip.Entrypoint != wantEntry {
			t.Fatalf("node %d entrypoint %q, want %q", i, cfg.Gossip.Entrypoint, wantEntry)
		}
	}
}

func TestInitClusterSeedGivesIdenticalBytes(t *testing.T) {
	root := t.TempDir()
	a := testInit(t, filepath.Join(root, "a"), 4, func(o *InitOptions) { o.Seed = "s1" })
	b := testInit(t, filepath.Join(root, "a2"), 4, func(o *InitOptions) { o.Seed = "s1" })
	c := testInit(t, filepath.Join(root, "c"), 4, func(o *InitOptions) { o.Seed = "s2" })
	files := func(r InitResult) map[string][]byte {
		out := map[string][]byte{}
		filepath.WalkDir(r.Dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				b, _ := os.ReadFile(p)
				rel, _ := filepath.Rel(r.Dir, p)
				// Absolute paths inside the files name the directory: compare without it.
				out[rel] = bytes.ReplaceAll(b, []byte(r.Dir), []byte("DIR"))
			}
			return nil
		})
		return out
	}
	fa, fb, fc := files(a), files(b), files(c)
	if len(fa) != 3+4*2 {
		t.Fatalf("%d files, want 11: %v", len(fa), fa)
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	if bytes.Equal(fa[NodeKeypairPath(1)], fc[NodeKeypairPath(1)]) || bytes.Equal(fa[AdminTokenFile], fc[AdminTokenFile]) {
		t.Fatal("another seed gave the same keys")
	}
	// Without a seed keys are fresh.
	d := testInit(t, filepath.Join(root, "d"), 4)
	e := testInit(t, filepath.Join(root, "e"), 4)
	if d.Nodes[0].Identity == e.Nodes[0].Identity || d.Faucet == e.Faucet {
		t.Fatal("two unseeded runs made the same key")
	}
}

func TestInitClusterRefusesExistingClusterWithoutForce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	first := testInit(t, dir, 5)
	// Something of the user's in the directory must survive --force.
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := DefaultInitOptions()
	o.Dir, o.Nodes = dir, 2
	if _, err := InitCluster(o); !errors.Is(err, ErrClusterExists) {
		t.Fatalf("second init: %v, want ErrClusterExists", err)
	}
	if _, err := os.Stat(filepath.Join(dir, NodeDir(5))); err != nil {
		t.Fatal("a refused init touched the old cluster")
	}
	o.Force = true
	second, err := InitCluster(o)
	if err != nil {
		t.Fatal(err)
	}
	if second.Nodes[0].Identity == first.Nodes[0].Identity {
		t.Fatal("forced init kept the old key")
	}
	if _, err := os.Stat(filepath.Join(dir, NodeDir(5))); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("old node5 still there after --force: %v", err)
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "mine" {
		t.Fatalf("--force removed a file init does not write: %v", err)
	}
}

func TestInitClusterOnlyGenesisCountsAsCluster(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	testInit(t, dir, 1) // a directory with unrelated files is fine
	other := t.TempDir()
	if err := os.Mkdir(filepath.Join(other, "node7"), 0o755); err != nil {
		t.Fatal(err)
	}
	o := DefaultInitOptions()
	o.Dir = other
	if _, err := InitCluster(o); !errors.Is(err, ErrClusterExists) {
		t.Fatalf("a node dir alone: %v, want ErrClusterExists", err)
	}
}

func TestInitOptionsValidateReportsEverything(t *testing.T) {
	o := DefaultInitOptions()
	o.Nodes, o.SlotMS, o.SlotsPerEpoch, o.LogLevel = 65, 0, 31, "loud"
	err := o.Validate()
	if err == nil {
		t.Fatal("accepted bad options")
	}
	for _, want := range []string{"no cluster directory", "65 nodes: want 1 to 64", "slot duration 0", "31 slots per epoch", `log level "loud"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	o = DefaultInitOptions()
	o.Dir, o.Nodes = t.TempDir(), 0
	if _, err := InitCluster(o); err == nil || !strings.Contains(err.Error(), "0 nodes") {
		t.Fatalf("N=0: %v", err)
	}
}

func TestInitClusterPortsPlan(t *testing.T) {
	res := testInit(t, t.TempDir(), 3, func(o *InitOptions) { o.AddrPlan, o.PortBase = PlanPorts, 18899 })
	cfg, err := LoadValidatorConfig(res.Nodes[2].ConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RPC.BindAddress != "127.0.0.1:18903" || cfg.Devnet.PubsubAddress != "127.0.0.1:18904" || cfg.Gossip.Entrypoint != "127.0.0.1:20000" {
		t.Fatalf("node 3: %+v %+v %+v", cfg.RPC, cfg.Devnet, cfg.Gossip)
	}
}
