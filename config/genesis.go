package config

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"

	"slonui/solana"
)

// Genesis is a cluster's genesis.json.
type Genesis struct {
	CreationTime  time.Time          // slot 0 starts here; stored as RFC3339 with milliseconds
	SlotMS        int                // slot duration, default 400
	TicksPerSlot  int                // default 64
	SlotsPerEpoch int                // default 8192, at least 32
	Validators    []GenesisValidator // the staked validator set, in file order
	Faucet        GenesisFaucet
	ShredVersion  uint16 // must be solana.ShredVersion(Hash())

	// Path is the file the genesis came from; it prefixes every error.
	Path string
}

// GenesisValidator is one staked validator.
type GenesisValidator struct {
	Identity solana.Pubkey `json:"identity"`
	Stake    uint64        `json:"stake"` // lamports
}

// GenesisFaucet is the account airdrops are paid from.
type GenesisFaucet struct {
	Pubkey   solana.Pubkey `json:"pubkey"`
	Lamports uint64        `json:"lamports"`
}

// Genesis defaults (PROTOCOL.md §3.1).
const (
	DefaultSlotMS        = 400
	DefaultTicksPerSlot  = 64
	DefaultSlotsPerEpoch = 8192
	MinSlotsPerEpoch     = 32
	LamportsPerSOL       = 1_000_000_000
	// DefaultFaucetLamports is 500,000,000 SOL.
	DefaultFaucetLamports uint64 = 500_000_000 * LamportsPerSOL
	// DefaultStakeLamports is each validator's stake when stakes are equal.
	DefaultStakeLamports uint64 = 1_000_000 * LamportsPerSOL
)

// CreationTimeLayout is RFC3339 with milliseconds.
const CreationTimeLayout = "2006-01-02T15:04:05.000Z07:00"

type genesisJSON struct {
	CreationTime  string             `json:"creation_time"`
	SlotMS        int                `json:"slot_ms"`
	TicksPerSlot  int                `json:"ticks_per_slot"`
	SlotsPerEpoch int                `json:"slots_per_epoch"`
	Validators    []GenesisValidator `json:"validators"`
	Faucet        GenesisFaucet      `json:"faucet"`
	ShredVersion  uint16             `json:"shred_version"`
}

// genesisHashDomain starts the canonical encoding so the hash cannot collide
// with other SHA-256 uses.
const genesisHashDomain = "slonui-genesis-v1"

// Hash is the genesis hash: SHA-256 over this canonical encoding of every
// field except shred_version (which is derived from it) and Path, integers
// little-endian:
//
//	"slonui-genesis-v1"
//	creation_time as Unix milliseconds (i64)
//	slot_ms (u64) ‖ ticks_per_slot (u64) ‖ slots_per_epoch (u64)
//	number of validators (u32) ‖ per validator in file order: identity (32 bytes) ‖ stake (u64)
//	faucet pubkey (32 bytes) ‖ faucet lamports (u64)
func (g Genesis) Hash() solana.Hash {
	b := []byte(genesisHashDomain)
	b = binary.LittleEndian.AppendUint64(b, uint64(g.CreationTime.UnixMilli()))
	b = binary.LittleEndian.AppendUint64(b, uint64(g.SlotMS))
	b = binary.LittleEndian.AppendUint64(b, uint64(g.TicksPerSlot))
	b = binary.LittleEndian.AppendUint64(b, uint64(g.SlotsPerEpoch))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(g.Validators)))
	for _, v := range g.Validators {
		b = append(b, v.Identity[:]...)
		b = binary.LittleEndian.AppendUint64(b, v.Stake)
	}
	b = append(b, g.Faucet.Pubkey[:]...)
	b = binary.LittleEndian.AppendUint64(b, g.Faucet.Lamports)
	return solana.HashOf(b)
}

// Seal sets ShredVersion from the hash.
func (g *Genesis) Seal() { g.ShredVersion = solana.ShredVersion(g.Hash()) }

// TotalStake is the sum of the validators' stakes.
func (g Genesis) TotalStake() uint64 {
	var t uint64
	for _, v := range g.Validators {
		t += v.Stake
	}
	return t
}

// Validate reports every problem at once, each naming the file and key.
func (g Genesis) Validate() error {
	p := &problems{file: g.Path}
	if g.CreationTime.IsZero() {
		p.add("creation_time", nil, "missing")
	} else if g.CreationTime.Truncate(time.Millisecond) != g.CreationTime {
		p.add("creation_time", g.CreationTime.Format(time.RFC3339Nano), "more precise than a millisecond")
	}
	if g.SlotMS < 1 {
		p.add("slot_ms", g.SlotMS, "must be at least 1")
	}
	if g.TicksPerSlot < 1 {
		p.add("ticks_per_slot", g.TicksPerSlot, "must be at least 1")
	}
	if g.SlotsPerEpoch < MinSlotsPerEpoch {
		p.add("slots_per_epoch", g.SlotsPerEpoch, "must be at least %d", MinSlotsPerEpoch)
	}
	if len(g.Validators) == 0 {
		p.add("validators", nil, "empty (a cluster needs at least one staked validator)")
	}
	if len(g.Validators) > MaxNodes {
		p.add("validators", nil, "%d validators, at most %d", len(g.Validators), MaxNodes)
	}
	seen := map[solana.Pubkey]int{}
	var total uint64
	for i, v := range g.Validators {
		key := fmt.Sprintf("validators[%d]", i)
		if v.Identity.IsZero() {
			p.add(key+".identity", nil, "missing")
		} else if j, dup := seen[v.Identity]; dup {
			p.add(key+".identity", v.Identity, "same as validators[%d]", j)
		} else {
			seen[v.Identity] = i
		}
		if v.Stake == 0 {
			p.add(key+".stake", v.Stake, "must be more than 0")
		}
		if total+v.Stake < total {
			p.add(key+".stake", v.Stake, "total stake overflows u64")
		}
		total += v.Stake
	}
	if g.Faucet.Pubkey.IsZero() {
		p.add("faucet.pubkey", nil, "missing")
	} else if _, dup := seen[g.Faucet.Pubkey]; dup {
		p.add("faucet.pubkey", g.Faucet.Pubkey, "is also a validator identity")
	}
	if g.Faucet.Lamports == 0 {
		p.add("faucet.lamports", g.Faucet.Lamports, "must be more than 0")
	}
	if want := solana.ShredVersion(g.Hash()); g.ShredVersion != want {
		p.add("shred_version", g.ShredVersion, "does not match the genesis hash %s (want %d)", g.Hash(), want)
	}
	return p.err()
}

// MarshalJSON writes genesis.json's form.
func (g Genesis) MarshalJSON() ([]byte, error) {
	return json.Marshal(genesisJSON{
		CreationTime:  g.CreationTime.UTC().Format(CreationTimeLayout),
		SlotMS:        g.SlotMS,
		TicksPerSlot:  g.TicksPerSlot,
		SlotsPerEpoch: g.SlotsPerEpoch,
		Validators:    g.Validators,
		Faucet:        g.Faucet,
		ShredVersion:  g.ShredVersion,
	})
}

// EncodeGenesis renders genesis.json (indented, with a final newline).
func EncodeGenesis(g Genesis) ([]byte, error) {
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("config: encode genesis: %w", err)
	}
	return append(b, '\n'), nil
}

// DecodeGenesis decodes genesis.json strictly: unknown keys, missing
// creation_time, trailing data and bad base58 are errors. Keys left out take
// the defaults (slot_ms 400, ticks_per_slot 64, slots_per_epoch 8192). path
// names the file in errors. It does not validate.
func DecodeGenesis(path string, data []byte) (Genesis, error) {
	w := genesisJSON{SlotMS: DefaultSlotMS, TicksPerSlot: DefaultTicksPerSlot, SlotsPerEpoch: DefaultSlotsPerEpoch}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Genesis{}, jsonError(path, data, dec.InputOffset(), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Genesis{}, decodeErrorf("%s:%d: trailing data after the genesis object", path, lineAt(data, dec.InputOffset()))
	}
	g := Genesis{SlotMS: w.SlotMS, TicksPerSlot: w.TicksPerSlot, SlotsPerEpoch: w.SlotsPerEpoch,
		Validators: w.Validators, Faucet: w.Faucet, ShredVersion: w.ShredVersion, Path: path}
	if w.CreationTime != "" {
		t, err := time.Parse(time.RFC3339Nano, w.CreationTime)
		if err != nil {
			return Genesis{}, decodeErrorf("%s: creation_time: %q: want RFC3339 such as %s", path, w.CreationTime, CreationTimeLayout)
		}
		g.CreationTime = t
	}
	return g, nil
}

func jsonError(path string, data []byte, off int64, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
		if typ.Field != "" {
			return decodeErrorf("%s:%d: %s: %s value is not a %s", path, lineAt(data, off), typ.Field, typ.Value, typ.Type)
		}
	case errors.Is(err, io.EOF):
		return decodeErrorf("%s: empty file", path)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// The decoder has buffered the whole input: find the key itself.
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		if m := regexp.MustCompile(regexp.QuoteMeta(name) + `\s*:`).FindIndex(data); m != nil {
			off = int64(m[0])
		}
	}
	return decodeErrorf("%s:%d: %v", path, lineAt(data, off), err)
}

func lineAt(data []byte, off int64) int {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// LoadGenesis reads, strictly decodes and validates genesis.json.
func LoadGenesis(path string) (Genesis, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Genesis{}, fmt.Errorf("%s: %w", path, err)
	}
	g, err := DecodeGenesis(path, data)
	if err != nil {
		return Genesis{}, err
	}
	if err := g.Validate(); err != nil {
		return g, err
	}
	return g, nil
}

// WriteGenesis validates g and writes it to path (mode 0644), replacing any file there.
func WriteGenesis(path string, g Genesis) error {
	g.Path = path
	if err := g.Validate(); err != nil {
		return err
	}
	b, err := EncodeGenesis(g)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("genesis %s: write: %w", path, err)
	}
	return nil
}
