package config

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"slonui/solana"
)

// goodNode returns a valid node-2 config written by InitCluster and its text.
func goodNode(t *testing.T) (path string, text string) {
	t.Helper()
	res := testInit(t, t.TempDir(), 2)
	path = res.Nodes[1].ConfigPath
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return path, string(b)
}

func writeTOML(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestValidatorConfigUnknownKeyNamesFileLineAndKey(t *testing.T) {
	path, text := goodNode(t)
	// Insert an unknown key right after [rpc]'s bind_address.
	lines := strings.Split(text, "\n")
	line := 0
	for i, l := range lines {
		if strings.HasPrefix(l, "bind_address = '127.0.0.2:8899'") {
			lines = append(lines[:i+1], append([]string{"bind_adress = '127.0.0.2:9999'"}, lines[i+1:]...)...)
			line = i + 2
			break
		}
	}
	writeTOML(t, path, strings.Join(lines, "\n"))
	_, err := LoadValidatorConfig(path)
	if !errors.Is(err, ErrDecode) {
		t.Fatalf("%v, want ErrDecode", err)
	}
	want := path + ":" + strconv.Itoa(line) + ":1: unknown key rpc.bind_adress"
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error does not say %q:\n%v", want, err)
	}
}

func testKeypairBytes() []byte { return solana.KeypairFromSeed([32]byte{7}).Bytes() }

func jsonArray(b []byte) []byte {
	s := make([]string, len(b))
	for i, x := range b {
		s[i] = strconv.Itoa(int(x))
	}
	return []byte("[" + strings.Join(s, ",") + "]")
}

func TestValidatorConfigEveryProblemAtOnce(t *testing.T) {
	path, text := goodNode(t)
	dir := filepath.Dir(path)
	text = strings.Replace(text, "bind_address = '127.0.0.2:8899'", "bind_address = '127.0.0.2:88x'", 1)
	text = strings.Replace(text, "bind_address = '127.0.0.2:8001'", "bind_address = '10.0.0.2:8001'", 1)
	text = strings.Replace(text, "tpu_address = '127.0.0.2:8003'", "tpu_address = '127.0.0.2:8004'", 1)
	text = strings.Replace(text, "repair_address = '127.0.0.2:8005'", "repair_address = '127.0.0.2:0'", 1)
	text = strings.Replace(text, "log_level = 'info'", "log_level = 'chatty'", 1)
	writeTOML(t, path, text)
	if err := os.Remove(filepath.Join(dir, "validator-keypair.json")); err != nil {
		t.Fatal(err)
	}
	_, err := LoadValidatorConfig(path)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("%v, want ErrInvalid", err)
	}
	for _, want := range []string{
		path + `: rpc.bind_address: "127.0.0.2:88x": invalid port`,
		path + `: gossip.bind_address: "10.0.0.2:8001": 10.0.0.2 is not in 127.0.0.0/8`,
		path + `: devnet.tvu_address: "127.0.0.2:8004": same address:port as devnet.tpu_address`,
		path + `: devnet.repair_address: "127.0.0.2:0": port 0 out of 1..65535`,
		path + `: devnet.log_level: "chatty": want one of debug, info, warn, error`,
		path + `: validator.identity_keypair: "` + filepath.Join(dir, "validator-keypair.json") + `": no such file`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks\n  %s\nin\n%v", want, err)
		}
	}
	if n := strings.Count(err.Error(), "\n") + 1; n != 6 {
		t.Errorf("%d problems reported, want 6:\n%v", n, err)
	}
}

func TestValidatorConfigChecks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(c *ValidatorConfig, dir string)
		want   string // substring; "" means valid
	}{
		{"as written by init", func(*ValidatorConfig, string) {}, ""},
		{"no entrypoint is fine", func(c *ValidatorConfig, _ string) { c.Gossip.Entrypoint = "" }, ""},
		{"ipv6 loopback is not 127/8", func(c *ValidatorConfig, _ string) { c.RPC.BindAddress = "[::1]:8899" }, "::1 is not in 127.0.0.0/8"},
		{"hostname", func(c *ValidatorConfig, _ string) { c.RPC.BindAddress = "localhost:8899" }, `host "localhost" is not an IP`},
		{"no port", func(c *ValidatorConfig, _ string) { c.Devnet.TPUAddress = "127.0.0.2" }, "want IP:port"},
		{"signed port", func(c *ValidatorConfig, _ string) { c.Devnet.TVUAddress = "127.0.0.2:+8004" }, `devnet.tvu_address: "127.0.0.2:+8004": invalid port`},
		{"port too big", func(c *ValidatorConfig, _ string) { c.Devnet.AdminAddress = "127.0.0.2:65536" }, "port 65536 out of 1..65535"},
		{"entrypoint off loopback", func(c *ValidatorConfig, _ string) { c.Gossip.Entrypoint = "10.0.1.1:8001" }, "gossip.entrypoint"},
		{"gossip missing", func(c *ValidatorConfig, _ string) { c.Gossip.BindAddress = "" }, "gossip.bind_address: missing"},
		{"rpc and pubsub clash", func(c *ValidatorConfig, _ string) { c.Devnet.PubsubAddress = c.RPC.BindAddress }, "devnet.pubsub_address"},
		{"mismatched keypair", func(c *ValidatorConfig, dir string) {
			kp := testKeypairBytes()
			kp[40] ^= 1
			os.WriteFile(c.Validator.IdentityKeypair, jsonArray(kp), 0o600)
		}, "not the public key"},
		{"short keypair", func(c *ValidatorConfig, _ string) {
			os.WriteFile(c.Validator.IdentityKeypair, jsonArray(testKeypairBytes()[:32]), 0o600)
		}, "32 bytes, want 64"},
		{"genesis missing", func(c *ValidatorConfig, dir string) { c.Devnet.Genesis = filepath.Join(dir, "none.json") }, "devnet.genesis"},
		{"shred version mismatch", func(c *ValidatorConfig, _ string) { c.Consensus.ExpectedShredVersion++ }, "consensus.expected_shred_version"},
		{"shred version 0 takes the genesis", func(c *ValidatorConfig, _ string) { c.Consensus.ExpectedShredVersion = 0 }, ""},
		{"admin without token", func(c *ValidatorConfig, _ string) { c.Devnet.AdminTokenPath = "" }, "devnet.admin_token_path: missing"},
		{"peer expiry too short", func(c *ValidatorConfig, _ string) { c.Devnet.PeerExpiryMS = 5 }, "devnet.peer_expiry_ms"},
		{"negative agents", func(c *ValidatorConfig, _ string) { c.MLInference.MaxAgents = -1 }, "ml_inference.max_agents"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, _ := goodNode(t)
			cfg, err := LoadValidatorConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			tc.mutate(&cfg, filepath.Dir(path))
			err = cfg.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to mention %q", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), path+": ") {
				t.Fatalf("error does not start with the file name: %v", err)
			}
		})
	}
}

func TestValidatorConfigDefaultsFillMissingKeys(t *testing.T) {
	cfg, err := DecodeValidatorConfig("v.toml", []byte("[rpc]\nbind_address = \"127.0.0.5:9000\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	def := DefaultValidatorConfig()
	if cfg.RPC.BindAddress != "127.0.0.5:9000" || cfg.Gossip != def.Gossip || cfg.Devnet.PeerExpiryMS != 15000 || !cfg.RPC.Enable {
		t.Fatalf("%+v", cfg)
	}
}

func TestValidatorConfigGuideFileDecodes(t *testing.T) {
	// The guide's validator.toml, word for word: it must decode strictly.
	guide := `[validator]
identity_keypair = "cluster/node2/config/validator-keypair.json"
ledger_path = "cluster/node2/ledger"

[rpc]
bind_address = "127.0.0.1:8900"
enable = true

[gossip]
bind_address = "127.0.0.1:8002"
entrypoint = "127.0.0.1:8001"

[consensus]
expected_shred_version = 1
enable_voting = true

[ml_inference]
enable = true
max_agents = 1000
`
	cfg, err := DecodeValidatorConfig("cluster/node2/config/validator.toml", []byte(guide))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Validator.IdentityKeypair != "cluster/node2/config/validator-keypair.json" || cfg.Consensus.ExpectedShredVersion != 1 || cfg.MLInference.MaxAgents != 1000 {
		t.Fatalf("%+v", cfg)
	}
}

func TestValidatorConfigBadTypeNamesLineAndKey(t *testing.T) {
	_, err := DecodeValidatorConfig("n/validator.toml", []byte("[rpc]\nenable = \"yes\"\n"))
	if !errors.Is(err, ErrDecode) || !strings.Contains(err.Error(), "n/validator.toml:2:10: rpc.enable:") {
		t.Fatalf("%v", err)
	}
	_, err = DecodeValidatorConfig("n/validator.toml", []byte("[rpc\n"))
	if !errors.Is(err, ErrDecode) || !strings.Contains(err.Error(), "n/validator.toml:1:") {
		t.Fatalf("%v", err)
	}
}

func TestEncodeValidatorConfigRoundTrips(t *testing.T) {
	cfg := DefaultValidatorConfig()
	cfg.Gossip.Entrypoint = "127.0.0.1:8001"
	cfg.Validator.IdentityKeypair = `/tmp/odd "name"'s/key.json`
	b, err := EncodeValidatorConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeValidatorConfig("x.toml", b)
	if err != nil {
		t.Fatal(err)
	}
	back.Path = ""
	if back != cfg {
		t.Fatalf("round trip:\n%+v\n%+v", back, cfg)
	}
}
