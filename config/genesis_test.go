package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"slonui/solana"
)

func testGenesis() Genesis {
	g := Genesis{
		CreationTime: testTime, SlotMS: 400, TicksPerSlot: 64, SlotsPerEpoch: 8192,
		Faucet: GenesisFaucet{Pubkey: solana.KeypairFromSeed([32]byte{9}).Pubkey(), Lamports: DefaultFaucetLamports},
	}
	for i := byte(1); i <= 3; i++ {
		g.Validators = append(g.Validators, GenesisValidator{Identity: solana.KeypairFromSeed([32]byte{i}).Pubkey(), Stake: 100})
	}
	g.Seal()
	return g
}

func TestGenesisRoundTripsThroughFile(t *testing.T) {
	g := testGenesis()
	path := filepath.Join(t.TempDir(), "genesis.json")
	if err := WriteGenesis(path, g); err != nil {
		t.Fatal(err)
	}
	back, err := LoadGenesis(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash() != g.Hash() || back.ShredVersion != g.ShredVersion || !back.CreationTime.Equal(g.CreationTime) {
		t.Fatalf("round trip changed the genesis: %+v", back)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"creation_time": "2026-11-25T12:00:00.123Z"`) {
		t.Fatalf("creation_time not RFC3339 with ms:\n%s", b)
	}
}

// Every hashed field changes the hash; shred_version and Path do not.
func TestGenesisHashCoversEveryField(t *testing.T) {
	base := testGenesis()
	for _, tc := range []struct {
		name    string
		mutate  func(*Genesis)
		changes bool
	}{
		{"creation time +1ms", func(g *Genesis) { g.CreationTime = g.CreationTime.Add(time.Millisecond) }, true},
		{"slot ms", func(g *Genesis) { g.SlotMS++ }, true},
		{"ticks per slot", func(g *Genesis) { g.TicksPerSlot++ }, true},
		{"slots per epoch", func(g *Genesis) { g.SlotsPerEpoch++ }, true},
		{"a stake", func(g *Genesis) { g.Validators[1].Stake++ }, true},
		{"an identity", func(g *Genesis) { g.Validators[2].Identity[0] ^= 1 }, true},
		{"validator order", func(g *Genesis) { g.Validators[0], g.Validators[1] = g.Validators[1], g.Validators[0] }, true},
		{"one validator fewer", func(g *Genesis) { g.Validators = g.Validators[:2] }, true},
		{"faucet pubkey", func(g *Genesis) { g.Faucet.Pubkey[5] ^= 1 }, true},
		{"faucet lamports", func(g *Genesis) { g.Faucet.Lamports-- }, true},
		{"shred version", func(g *Genesis) { g.ShredVersion++ }, false},
		{"path", func(g *Genesis) { g.Path = "elsewhere.json" }, false},
		{"time zone of the same instant", func(g *Genesis) { g.CreationTime = g.CreationTime.In(time.FixedZone("X", 3600)) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := testGenesis()
			g.Validators = append([]GenesisValidator(nil), base.Validators...)
			tc.mutate(&g)
			if changed := g.Hash() != base.Hash(); changed != tc.changes {
				t.Fatalf("hash changed = %v, want %v", changed, tc.changes)
			}
		})
	}
}

func TestGenesisValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*Genesis)
		want   string
	}{
		{"valid", func(*Genesis) {}, ""},
		{"shred version not from hash", func(g *Genesis) { g.ShredVersion++ }, "shred_version"},
		{"slots per epoch below 32", func(g *Genesis) { g.SlotsPerEpoch = 31; g.Seal() }, "slots_per_epoch"},
		{"slot ms 0", func(g *Genesis) { g.SlotMS = 0; g.Seal() }, "slot_ms"},
		{"ticks 0", func(g *Genesis) { g.TicksPerSlot = 0; g.Seal() }, "ticks_per_slot"},
		{"no validators", func(g *Genesis) { g.Validators = nil; g.Seal() }, "validators: empty"},
		{"duplicate identity", func(g *Genesis) { g.Validators[2].Identity = g.Validators[0].Identity; g.Seal() }, "validators[2].identity"},
		{"zero stake", func(g *Genesis) { g.Validators[1].Stake = 0; g.Seal() }, "validators[1].stake"},
		{"zero faucet", func(g *Genesis) { g.Faucet.Lamports = 0; g.Seal() }, "faucet.lamports"},
		{"faucet is a validator", func(g *Genesis) { g.Faucet.Pubkey = g.Validators[0].Identity; g.Seal() }, "faucet.pubkey"},
		{"sub-millisecond time", func(g *Genesis) { g.CreationTime = g.CreationTime.Add(time.Microsecond); g.Seal() }, "creation_time"},
		{"no creation time", func(g *Genesis) { g.CreationTime = time.Time{}; g.Seal() }, "creation_time: missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := testGenesis()
			g.Path = "c/genesis.json"
			tc.mutate(&g)
			err := g.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "c/genesis.json: "+tc.want) {
				t.Fatalf("error %v, want one naming c/genesis.json and %q", err, tc.want)
			}
		})
	}
}

func TestDecodeGenesisStrict(t *testing.T) {
	good, err := EncodeGenesis(testGenesis())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := DecodeGenesis("g.json", good); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, in, want string
	}{
		{"unknown key", strings.Replace(string(good), `"slot_ms"`, `"slot_msec": 1,`+"\n"+`  "slot_ms"`, 1), `g.json:3: json: unknown field "slot_msec"`},
		{"unknown nested key", strings.Replace(string(good), `"lamports"`, `"owner": "x", "lamports"`, 1), `unknown field "owner"`},
		{"bad base58 identity", strings.Replace(string(good), `"identity": "`, `"identity": "0`, 1), "invalid base58"},
		{"string for a number", strings.Replace(string(good), `"slot_ms": 400`, `"slot_ms": "400"`, 1), "slot_ms"},
		{"trailing data", string(good) + "{}", "trailing data"},
		{"not RFC3339", strings.Replace(string(good), "2026-11-25T12:00:00.123Z", "25 Nov 2026", 1), "creation_time"},
		{"empty", "", "empty file"},
		{"syntax", `{"slot_ms": 4,,}`, "g.json:1:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeGenesis("g.json", []byte(tc.in))
			if !errors.Is(err, ErrDecode) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want ErrDecode mentioning %q", err, tc.want)
			}
		})
	}
	// Missing keys take the defaults.
	minimal := `{"creation_time": "2026-01-01T00:00:00.000Z", "validators": [{"identity": "` +
		solana.KeypairFromSeed([32]byte{1}).Pubkey().String() + `", "stake": 5}], "faucet": {"pubkey": "` +
		solana.KeypairFromSeed([32]byte{2}).Pubkey().String() + `", "lamports": 9}}`
	g, err := DecodeGenesis("m.json", []byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if g.SlotMS != 400 || g.TicksPerSlot != 64 || g.SlotsPerEpoch != 8192 {
		t.Fatalf("defaults not applied: %+v", g)
	}
}

func TestLoadGenesisSaysShredVersionIsWrong(t *testing.T) {
	g := testGenesis()
	g.ShredVersion++
	b, err := EncodeGenesis(g)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "genesis.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadGenesis(path)
	if err == nil || !strings.Contains(err.Error(), path+": shred_version:") || !strings.Contains(err.Error(), "does not match the genesis hash") {
		t.Fatalf("%v", err)
	}
	if err := WriteGenesis(path, g); err == nil {
		t.Fatal("WriteGenesis wrote an unsealed genesis")
	}
}
