package core

import (
	"reflect"
	"testing"

	"slonui/solana"
)

func testGenesis(stakes ...uint64) Genesis {
	g := Genesis{SlotMs: 400, TicksPerSlot: 64, SlotsPerEpoch: 8192, Faucet: testKey(200).Pubkey(), FaucetLamports: 1e15}
	for i, s := range stakes {
		g.Validators = append(g.Validators, GenesisValidator{Identity: testKey(byte(i + 1)).Pubkey(), Stake: s, Lamports: 1e9})
	}
	return g
}

func TestLeaderSchedule(t *testing.T) {
	g := testGenesis(90, 5, 5)
	a := ComputeLeaderSchedule(g, 3)
	b := ComputeLeaderSchedule(g, 3)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("same epoch, different schedules")
	}
	if reflect.DeepEqual(a.Leaders, ComputeLeaderSchedule(g, 4).Leaders) {
		t.Fatal("epochs 3 and 4 have the same schedule")
	}
	if a.FirstSlot != 3*8192 || len(a.Leaders) != 8192 {
		t.Fatalf("first slot %d, %d leaders", a.FirstSlot, len(a.Leaders))
	}
	counts := map[solana.Pubkey]int{}
	for i := 0; i < len(a.Leaders); i += LeaderRun {
		for j := 1; j < LeaderRun; j++ {
			if a.Leaders[i+j] != a.Leaders[i] {
				t.Fatalf("slots %d..%d are not one leader's run", i, i+LeaderRun-1)
			}
		}
		counts[a.Leaders[i]]++
	}
	heavy := counts[g.Validators[0].Identity]
	if heavy*100 < 80*len(a.Leaders)/LeaderRun || heavy == len(a.Leaders)/LeaderRun {
		t.Fatalf("the 90%% validator leads %d of %d runs", heavy, len(a.Leaders)/LeaderRun)
	}
	// The order of the validators in the genesis does not matter.
	g2 := g
	g2.Validators = []GenesisValidator{g.Validators[2], g.Validators[0], g.Validators[1]}
	if !reflect.DeepEqual(ComputeLeaderSchedule(g2, 3).Leaders, a.Leaders) {
		t.Fatal("schedule depends on genesis order")
	}
}

func TestGenesisValidate(t *testing.T) {
	g := testGenesis(1, 1)
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := g
	bad.SlotMs = 0
	bad.SlotsPerEpoch = 30
	bad.Validators = append([]GenesisValidator{{Identity: g.Validators[0].Identity}}, g.Validators...)
	err := bad.Validate()
	if err == nil {
		t.Fatal("bad genesis accepted")
	}
	for _, want := range []string{"slot_ms", "slots_per_epoch", "duplicate identity", "stake must be > 0"} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if g.Hash() == testGenesis(1, 2).Hash() {
		t.Fatal("different genesis, same hash")
	}
}

func contains(s, sub string) bool {
	return len(sub) == 0 || (len(s) >= len(sub) && (s[:len(sub)] == sub || contains(s[1:], sub)))
}
