package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"slonui/config"
	"slonui/solana"
)

func TestInitTenNodesDecodeBackStrictly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	code, out, errs := runCmd(t, "init", "--nodes", "10", "--dir", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	g, err := config.LoadGenesis(filepath.Join(dir, "genesis.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Validators) != 10 {
		t.Fatalf("%d validators in genesis", len(g.Validators))
	}
	if _, err := solana.ReadKeypairFile(filepath.Join(dir, "faucet-keypair.json")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		cfgPath := filepath.Join(dir, config.NodeDir(i), "config", "validator.toml")
		cfg, err := config.LoadValidatorConfig(cfgPath)
		if err != nil {
			t.Fatalf("node %d: %v", i, err)
		}
		kp, err := solana.ReadKeypairFile(filepath.Join(dir, config.NodeDir(i), "config", "validator-keypair.json"))
		if err != nil || kp.Pubkey() != g.Validators[i-1].Identity {
			t.Fatalf("node %d keypair: %v", i, err)
		}
		if st, err := os.Stat(filepath.Join(dir, config.NodeDir(i), "ledger")); err != nil || !st.IsDir() {
			t.Fatalf("node %d ledger: %v", i, err)
		}
		// The printed table has the node's identity, RPC URL and gossip address on one line.
		row := ""
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, kp.Pubkey().String()) {
				row = l
			}
		}
		fields := strings.Fields(row)
		want := []string{strconv.Itoa(i), kp.Pubkey().String(), "http://" + cfg.RPC.BindAddress, cfg.Gossip.BindAddress}
		if strings.Join(fields, " ") != strings.Join(want, " ") {
			t.Fatalf("table row for node %d is %q, want %q", i, row, want)
		}
	}
	if !strings.Contains(out, "http://127.0.0.10:8899") || !strings.Contains(out, filepath.Join(dir, "genesis.json")) {
		t.Fatalf("output lacks node 10's RPC URL or the genesis path:\n%s", out)
	}
}

func TestInitSameInputsAndSeedGiveIdenticalBytes(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c")
	args := []string{"init", "--nodes", "4", "--dir", dir, "--seed", "demo", "--creation-time", "2026-11-25T10:00:00.000Z", "--force"}
	read := func() map[string][]byte {
		files := map[string][]byte{}
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			files[p] = b
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return files
	}
	if code, _, errs := runCmd(t, args...); code != exitOK {
		t.Fatal(errs)
	}
	first := read()
	if code, _, errs := runCmd(t, args...); code != exitOK {
		t.Fatal(errs)
	}
	second := read()
	if len(first) != 3+4*2 || len(second) != len(first) {
		t.Fatalf("%d then %d files, want 11", len(first), len(second))
	}
	for p, b := range first {
		if !bytes.Equal(b, second[p]) {
			t.Errorf("%s differs between two runs with the same inputs", p)
		}
	}
	// Another seed gives other keys.
	args[6] = "other"
	if code, _, errs := runCmd(t, args...); code != exitOK {
		t.Fatal(errs)
	}
	if bytes.Equal(read()[filepath.Join(dir, "node1", "config", "validator-keypair.json")],
		first[filepath.Join(dir, "node1", "config", "validator-keypair.json")]) {
		t.Fatal("another seed gave the same key")
	}
}

func TestInitMalformedValidatorTomlNamesFileLineAndKey(t *testing.T) {
	dir := t.TempDir()
	if code, _, errs := runCmd(t, "init", "--nodes", "2", "--dir", dir); code != exitOK {
		t.Fatal(errs)
	}
	path := filepath.Join(dir, "node2", "config", "validator.toml")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lineOf := func(text, prefix string) string {
		for i, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, prefix) {
				return strconv.Itoa(i + 1)
			}
		}
		t.Fatalf("no line %q", prefix)
		return ""
	}

	// Unknown key: file, line and key.
	bad := strings.Replace(string(orig), "enable_voting = true", "enable_voting = true\nenable_votes = true", 1)
	os.WriteFile(path, []byte(bad), 0o644)
	_, err = config.LoadValidatorConfig(path)
	want := path + ":" + lineOf(bad, "enable_votes") + ":1: unknown key consensus.enable_votes"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("unknown key: %v\nwant %q", err, want)
	}

	// Bad address and missing keypair file: file and key, both at once.
	bad = strings.Replace(string(orig), "bind_address = '127.0.0.2:8899'", "bind_address = '127.0.0.2:88x'", 1)
	os.WriteFile(path, []byte(bad), 0o644)
	keyPath := filepath.Join(dir, "node2", "config", "validator-keypair.json")
	os.Remove(keyPath)
	_, err = config.LoadValidatorConfig(path)
	for _, want := range []string{
		path + `: rpc.bind_address: "127.0.0.2:88x": invalid port`,
		path + `: validator.identity_keypair: "` + keyPath + `": no such file`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v\nlacks %q", err, want)
		}
	}
}

func TestInitRefusals(t *testing.T) {
	existing := t.TempDir()
	if code, _, errs := runCmd(t, "init", "--nodes", "1", "--dir", existing); code != exitOK {
		t.Fatal(errs)
	}
	fresh := func() string { return filepath.Join(t.TempDir(), "c") }
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		reason string // the first line of stderr starts with it
	}{
		{"zero nodes", []string{"--nodes", "0", "--dir", fresh()}, exitUsage, "slonui init: 0 nodes: want 1 to 64"},
		{"65 nodes", []string{"--nodes", "65", "--dir", fresh()}, exitUsage, "slonui init: 65 nodes: want 1 to 64"},
		{"not a number", []string{"--nodes", "ten", "--dir", fresh()}, exitUsage, `slonui init: invalid value "ten" for flag -nodes`},
		{"unknown flag", []string{"--nodez", "3"}, exitUsage, "slonui init: flag provided but not defined: -nodez"},
		{"unknown plan", []string{"--addr-plan", "mesh", "--dir", fresh()}, exitUsage, `slonui init: address plan "mesh"`},
		{"base off loopback", []string{"--addr-base", "10.0.0.1", "--dir", fresh()}, exitUsage, "slonui init: address base 10.0.0.1: not in 127.0.0.0/8"},
		{"base not an ip", []string{"--addr-base", "localhost", "--dir", fresh()}, exitUsage, `slonui init: --addr-base "localhost" is not an IP`},
		{"slots per epoch too few", []string{"--slots-per-epoch", "16", "--dir", fresh()}, exitUsage, "slonui init: 16 slots per epoch"},
		{"bad creation time", []string{"--creation-time", "yesterday", "--dir", fresh()}, exitUsage, `slonui init: --creation-time "yesterday"`},
		{"stray argument", []string{"--dir", fresh(), "extra"}, exitUsage, `slonui init: unexpected argument "extra"`},
		{"existing cluster", []string{"--nodes", "2", "--dir", existing}, exitFail, "slonui init: " + existing + " already holds a cluster; use --force"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, append([]string{"init"}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, errs)
			}
			first, rest, _ := strings.Cut(errs, "\n")
			if !strings.HasPrefix(first, tc.reason) || out != "" {
				t.Fatalf("first line %q, want %q (stdout %q)", first, tc.reason, out)
			}
			if tc.code == exitUsage && !strings.HasPrefix(rest, "usage: slonui init") {
				t.Fatalf("no usage after the reason: %q", rest)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(existing, "node2")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused init wrote into the existing cluster")
	}
	if code, _, errs := runCmd(t, "init", "--nodes", "2", "--dir", existing, "--force"); code != exitOK {
		t.Fatalf("--force: %s", errs)
	}
	if code, out, _ := runCmd(t, "init", "--help"); code != exitOK || !strings.HasPrefix(out, "usage: slonui init") {
		t.Fatalf("--help: exit %d %q", code, out)
	}
}

func TestInitPortsPlanTable(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCmd(t, "init", "--nodes", "3", "--dir", dir, "--addr-plan", "ports", "--port-base", "28899")
	if code != exitOK {
		t.Fatal(errs)
	}
	for _, want := range []string{"http://127.0.0.1:28899", "http://127.0.0.1:28901", "http://127.0.0.1:28903", "127.0.0.1:30020"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
}
