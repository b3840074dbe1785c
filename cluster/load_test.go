package cluster

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"slonui/config"
)

func TestLoadSpecsFromInit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	o := config.DefaultInitOptions()
	o.Dir, o.Nodes, o.Seed = dir, 3, "load-test"
	o.AddrBase = netip.MustParseAddr("127.0.43.1")
	res, err := config.InitCluster(o)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := CountNodes(dir); n != 3 || err != nil {
		t.Fatalf("CountNodes = %d, %v; want 3", n, err)
	}
	specs, err := LoadSpecs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(specs) != 3 {
		t.Fatalf("%d specs, want 3", len(specs))
	}
	seen := map[string]bool{}
	for i, s := range specs {
		in := res.Nodes[i]
		if s.ID != i+1 || s.Identity != in.Identity.String() || s.RPCURL != in.Addrs.RPCURL() {
			t.Errorf("node %d: got %+v, init wrote identity %s rpc %s", i+1, s, in.Identity, in.Addrs.RPCURL())
		}
		if s.IdentityPath != in.KeypairPath || s.LedgerPath != in.LedgerPath {
			t.Errorf("node %d: identity %q ledger %q, init wrote %q %q", i+1, s.IdentityPath, s.LedgerPath, in.KeypairPath, in.LedgerPath)
		}
		if len(s.Listen) != 7 {
			t.Errorf("node %d: %d endpoints, want 7: %+v", i+1, len(s.Listen), s.Listen)
		}
		for _, e := range s.Listen {
			k := e.Network + " " + e.Addr
			if seen[k] {
				t.Errorf("endpoint %s planned twice", k)
			}
			seen[k] = true
		}
	}
	cfg := DefaultConfig()
	cfg.Dir, cfg.Nodes = dir, specs
	if err := cfg.Validate(); err != nil {
		t.Errorf("loaded specs do not validate: %v", err)
	}
}

func TestCountNodes(t *testing.T) {
	mk := func(t *testing.T, paths ...string) string {
		dir := t.TempDir()
		for _, p := range paths {
			full := filepath.Join(dir, p)
			if strings.HasSuffix(p, "/") {
				os.MkdirAll(full, 0o755)
			} else {
				os.WriteFile(full, []byte("{}"), 0o644)
			}
		}
		return dir
	}
	tests := []struct {
		name    string
		paths   []string
		want    int
		wantErr string
	}{
		{"empty", nil, 0, ""},
		{"unrelated files", []string{"notes.txt", "nodes/"}, 0, ""},
		{"two nodes", []string{"genesis.json", "node1/", "node2/"}, 2, ""},
		{"gap", []string{"genesis.json", "node1/", "node3/"}, 0, "node2 missing"},
		{"no genesis", []string{"node1/"}, 0, "genesis.json"},
		{"genesis only", []string{"genesis.json"}, 0, "no node directories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := CountNodes(mk(t, tt.paths...))
			if n != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("CountNodes = %d, %v; want %d, error containing %q", n, err, tt.want, tt.wantErr)
			}
		})
	}
	if n, err := CountNodes(filepath.Join(t.TempDir(), "missing")); n != 0 || err != nil {
		t.Errorf("missing dir: %d, %v", n, err)
	}
}
