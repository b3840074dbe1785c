package validator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"slonui/config"
	"slonui/solana"
	"slonui/validator/core"
)

func TestTowerSaveLoad(t *testing.T) {
	dir := t.TempDir()
	if tw, err := LoadTower(dir); err != nil || tw != nil {
		t.Fatalf("LoadTower of an empty ledger = %v, %v; want nil, nil", tw, err)
	}
	var tw core.Tower
	for s := uint64(1); s <= 40; s++ {
		tw.ProcessVote(s)
	}
	tw.LastHash = solana.HashOf([]byte("bank 40"))
	if err := SaveTower(dir, tw); err != nil {
		t.Fatal(err)
	}
	got, err := LoadTower(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.Root != tw.Root || got.LastHash != tw.LastHash || len(got.Votes) != len(tw.Votes) || got.Votes[0] != tw.Votes[0] {
		t.Fatalf("round trip: got root %d, %d votes; want root %d, %d votes", got.Root, len(got.Votes), tw.Root, len(tw.Votes))
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != TowerFile {
		t.Fatalf("ledger holds %v; want only %s (no temp file left)", entries, TowerFile)
	}
	if err := os.WriteFile(filepath.Join(dir, TowerFile), []byte("SLTW1 torn"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadTower(dir); !errors.Is(err, core.ErrTowerFormat) {
		t.Fatalf("LoadTower of a torn file: %v; want ErrTowerFormat", err)
	}
}

func TestLockoutViolations(t *testing.T) {
	var before core.Tower
	for _, s := range []uint64{1, 2, 3, 4} {
		before.ProcessVote(s)
	}
	ok := before.Clone()
	ok.ProcessVote(5)
	if bad := lockoutViolations(before, ok); len(bad) != 0 {
		t.Fatalf("a legal vote flagged: %v", bad)
	}
	// A tower that dropped vote 2 (locked out until slot 2+2^3) to vote 6.
	broken := core.Tower{Votes: []core.Lockout{{Slot: 1, Conf: 4}, {Slot: 6, Conf: 1}}}
	if bad := lockoutViolations(before, broken); len(bad) == 0 {
		t.Fatal("a dropped locked-out vote was not flagged")
	}
}

func TestLogLine(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(newLogHandler(&buf, slog.LevelInfo, false))
	log.Info("produced block", "module", "leader", "slot", 42, "hash", "abc def")
	log.Debug("hidden")
	log.With("module", "gossip").Warn("peer expired", "peer", "X")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %q", len(lines), buf.String())
	}
	re := regexp.MustCompile(`^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN ) (\w+)\] (.*)$`)
	want := []struct{ level, module, rest string }{
		{"INFO ", "leader", `produced block slot=42 hash="abc def"`},
		{"WARN ", "gossip", "peer expired peer=X"},
	}
	for i, l := range lines {
		m := re.FindStringSubmatch(l)
		if m == nil || m[1] != want[i].level || m[2] != want[i].module || m[3] != want[i].rest {
			t.Errorf("line %d = %q; want level %q module %q text %q", i, l, want[i].level, want[i].module, want[i].rest)
		}
	}
	buf.Reset()
	slog.New(newLogHandler(&buf, slog.LevelInfo, true)).Error("boom")
	if !strings.Contains(buf.String(), "\x1b[31mERROR\x1b[0m") {
		t.Errorf("coloured line %q lacks the red level", buf.String())
	}
}

func TestProbePacket(t *testing.T) {
	for _, tc := range []struct {
		b    []byte
		ok   bool
		kind byte
		v    uint16
	}{
		{probePacket(probeAsk, 4242), true, probeAsk, 4242},
		{probePacket(probeAnswer, 1), true, probeAnswer, 1},
		{[]byte("SLPROBE1"), false, 0, 0},
		{append(probePacket(probeAsk, 1), 0), false, 0, 0},
		{[]byte("SG\x01\x01\x00\x00abc"), false, 0, 0},
	} {
		k, v, ok := parseProbe(tc.b)
		if ok != tc.ok || k != tc.kind || v != tc.v {
			t.Errorf("parseProbe(%q) = %d, %d, %v; want %d, %d, %v", tc.b, k, v, ok, tc.kind, tc.v, tc.ok)
		}
	}
}

func TestTxErrJSON(t *testing.T) {
	one := uint32(1)
	for _, tc := range []struct {
		in   *core.TxError
		want string
	}{
		{nil, "<nil>"},
		{&core.TxError{Name: "BlockhashNotFound"}, "BlockhashNotFound"},
		{&core.TxError{Name: "InstructionError", Index: 0, Custom: &one}, "map[InstructionError:[0 map[Custom:1]]]"},
		{&core.TxError{Name: "InstructionError", Index: 2, InstrName: "InvalidInstructionData"}, "map[InstructionError:[2 InvalidInstructionData]]"},
	} {
		if got := fmtAny(txErrJSON(tc.in)); got != tc.want {
			t.Errorf("txErrJSON(%v) = %s; want %s", tc.in, got, tc.want)
		}
	}
}

// initOne writes a one-node cluster on addr and returns its result.
func initOne(t *testing.T, addr string, nodes int) config.InitResult {
	t.Helper()
	o := config.DefaultInitOptions()
	o.Dir = t.TempDir()
	o.Nodes = nodes
	o.SlotMS = 100
	o.SlotsPerEpoch = 64
	o.AddrBase = netip.MustParseAddr(addr)
	res, err := config.InitCluster(o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// runFor runs a node in-process until it fails or d passes.
func runFor(t *testing.T, o Options, d time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if o.Stdout == nil {
		o.Stdout = &bytes.Buffer{}
	}
	return Run(ctx, o)
}

// TestStartErrors checks the clear errors a node refuses to start with.
func TestStartErrors(t *testing.T) {
	res := initOne(t, "127.65.0.1", 2)

	t.Run("missing config", func(t *testing.T) {
		err := runFor(t, Options{ConfigPath: filepath.Join(t.TempDir(), "nope.toml")}, time.Second)
		if err == nil || !strings.Contains(err.Error(), "nope.toml") || !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("invalid config", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "v.toml")
		os.WriteFile(p, []byte("[validator]\nno_such_key = 1\n"), 0o644)
		err := runFor(t, Options{ConfigPath: p}, time.Second)
		if err == nil || !strings.Contains(err.Error(), "no_such_key") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("identity not in genesis", func(t *testing.T) {
		other := initOne(t, "127.65.1.1", 1)
		cfg, err := config.LoadValidatorConfig(res.Nodes[0].ConfigPath)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Validator.IdentityKeypair = other.Nodes[0].KeypairPath
		p := filepath.Join(t.TempDir(), "v.toml")
		b, _ := config.EncodeValidatorConfig(cfg)
		os.WriteFile(p, b, 0o644)
		err = runFor(t, Options{ConfigPath: p}, time.Second)
		if !errors.Is(err, ErrNotInGenesis) || !strings.Contains(err.Error(), other.Nodes[0].Identity.String()) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("address in use", func(t *testing.T) {
		tpu := res.Nodes[0].Addrs.TPU
		hold, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(tpu))
		if err != nil {
			t.Fatal(err)
		}
		defer hold.Close()
		err = runFor(t, Options{ConfigPath: res.Nodes[0].ConfigPath}, time.Second)
		if err == nil || !strings.Contains(err.Error(), tpu.String()) || !strings.Contains(err.Error(), "in use") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("bad log level", func(t *testing.T) {
		err := runFor(t, Options{ConfigPath: res.Nodes[0].ConfigPath, LogLevel: "loud"}, time.Second)
		if err == nil || !strings.Contains(err.Error(), "loud") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("shred version differs from the entrypoint's", func(t *testing.T) {
		// Node 1 of res runs; node 2 of another cluster joins through it.
		ready := make(chan *Node, 1)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- Run(ctx, Options{ConfigPath: res.Nodes[0].ConfigPath, Stdout: &bytes.Buffer{}, Ready: func(n *Node) { ready <- n }})
		}()
		defer func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("entrypoint node: %v", err)
			}
		}()
		select {
		case <-ready:
		case err := <-done:
			t.Fatalf("entrypoint node: %v", err)
		}
		other := initOne(t, "127.65.2.1", 2)
		cfg, err := config.LoadValidatorConfig(other.Nodes[1].ConfigPath)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Gossip.Entrypoint = res.Nodes[0].Addrs.Gossip.String()
		p := filepath.Join(t.TempDir(), "v.toml")
		b, _ := config.EncodeValidatorConfig(cfg)
		os.WriteFile(p, b, 0o644)
		err = runFor(t, Options{ConfigPath: p}, 10*time.Second)
		if !errors.Is(err, ErrShredVersion) || !strings.Contains(err.Error(), res.Nodes[0].Addrs.Gossip.String()) {
			t.Fatalf("err = %v", err)
		}
	})
}

func fmtAny(v any) string { return fmt.Sprint(v) }

func TestBlockLog(t *testing.T) {
	dir := t.TempDir()
	l, pieces, err := openBlockLog(dir)
	if err != nil || len(pieces) != 0 {
		t.Fatalf("new log: %d pieces, %v", len(pieces), err)
	}
	k, _ := solana.NewKeypair()
	piece := func(slot uint64, idx uint32, last bool) *core.BlockPiece {
		p := &core.BlockPiece{Slot: slot, Parent: slot - 1, Leader: k.Pubkey(), Index: idx, Last: last, Data: []byte{byte(slot), byte(idx)}}
		p.Signature = k.Sign(p.SignedBytes())
		return p
	}
	l.seen(piece(1, 1, true))
	l.seen(piece(1, 0, false))
	l.seen(piece(1, 0, false)) // duplicate
	l.seen(piece(2, 0, false)) // never frozen
	l.seen(piece(3, 0, true))
	for _, s := range []uint64{1, 3} {
		if err := l.frozen(s); err != nil {
			t.Fatal(err)
		}
	}
	l.forget(2)
	if len(l.pending) != 0 {
		t.Fatalf("pending after forget: %v", l.pending)
	}
	l.close()
	// A torn frame at the end, as a kill during a write leaves it.
	f, _ := os.OpenFile(filepath.Join(dir, BlocksFile), os.O_WRONLY|os.O_APPEND, 0)
	f.Write([]byte{200, 0, 0, 0, 1, 2})
	f.Close()

	l, pieces, err = openBlockLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	var got []string
	for _, p := range pieces {
		got = append(got, fmt.Sprintf("%d/%d", p.Slot, p.Index))
	}
	if strings.Join(got, " ") != "1/0 1/1 3/0" {
		t.Fatalf("pieces read back: %v; want 1/0 1/1 3/0", got)
	}
	if pieces[2].Signature != piece(3, 0, true).Signature {
		t.Error("piece changed on the way through the log")
	}
	st, _ := os.Stat(filepath.Join(dir, BlocksFile))
	if err := l.frozen(9); err != nil { // nothing pending: writes nothing
		t.Fatal(err)
	}
	if st2, _ := os.Stat(filepath.Join(dir, BlocksFile)); st2.Size() != st.Size() {
		t.Errorf("size %d after an empty freeze; want %d", st2.Size(), st.Size())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, BlocksFile)); bytes.Contains(b, []byte{200, 0, 0, 0, 1, 2}) {
		t.Error("torn tail was not cut off")
	}
}

func TestPerfSamples(t *testing.T) {
	var p perfSamples
	t0 := time.Unix(1000, 0)
	st := func(slot, txs uint64) *status {
		return &status{stats: core.Stats{Slot: slot, Transactions: txs}}
	}
	p.maybeSample(t0, st(10, 100))
	p.maybeSample(t0.Add(30*time.Second), st(85, 400)) // not a period yet
	p.maybeSample(t0.Add(PerfSamplePeriod), st(160, 700))
	p.maybeSample(t0.Add(2*PerfSamplePeriod), st(310, 650)) // a fork with fewer transactions
	got := p.newest(10)
	if len(got) != 2 {
		t.Fatalf("%d samples; want 2", len(got))
	}
	want := []struct{ slot, txs, slots uint64 }{{310, 0, 150}, {160, 600, 150}}
	for i, w := range want {
		g := got[i]
		if g.Slot != w.slot || g.NumTransactions != w.txs || g.NumSlots != w.slots || g.SamplePeriodSecs != 60 {
			t.Errorf("sample %d = %+v; want slot %d, %d transactions, %d slots, 60 s", i, g, w.slot, w.txs, w.slots)
		}
	}
	if one := p.newest(1); len(one) != 1 || one[0].Slot != 310 {
		t.Errorf("newest(1) = %+v", one)
	}
}

func FuzzReadFrames(f *testing.F) {
	k := solana.KeypairFromSeed([32]byte{1})
	p := &core.BlockPiece{Slot: 5, Parent: 4, Leader: k.Pubkey(), Index: 0, Last: true, Data: []byte("entries")}
	p.Signature = k.Sign(p.SignedBytes())
	b := core.MarshalMessage(p)
	frame := append([]byte{byte(len(b)), 0, 0, 0}, b...)
	f.Add(frame)
	f.Add(append(frame, frame[:7]...))
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		pieces, good, err := readFrames(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err) // a bytes.Reader never fails but at EOF
		}
		if good < 0 || good > int64(len(data)) {
			t.Fatalf("good offset %d outside 0..%d", good, len(data))
		}
		again, good2, _ := readFrames(bytes.NewReader(data[:good]))
		if good2 != good || len(again) != len(pieces) {
			t.Fatalf("re-reading the good prefix: %d pieces to %d, %d bytes; want %d, %d", len(again), good2, good2, len(pieces), good)
		}
	})
}
