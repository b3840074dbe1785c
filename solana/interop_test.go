package solana_test

// Interop with github.com/gagliardetto/solana-go, a widely used independent
// Go implementation of the same wire formats: key files and transactions must
// cross between the two both ways, byte for byte.

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sg "github.com/gagliardetto/solana-go"
	sgmemo "github.com/gagliardetto/solana-go/programs/memo"
	sgsystem "github.com/gagliardetto/solana-go/programs/system"

	"slonui/solana"
)

func seedKey(label string) solana.Keypair {
	return solana.KeypairFromSeed(sha256.Sum256([]byte(label)))
}

func sgKey(k solana.Keypair) sg.PrivateKey { return sg.PrivateKey(k.Bytes()) }

func sgSigner(keys ...solana.Keypair) func(sg.PublicKey) *sg.PrivateKey {
	return func(pub sg.PublicKey) *sg.PrivateKey {
		for _, k := range keys {
			if sg.PublicKey(k.Pubkey()) == pub {
				p := sgKey(k)
				return &p
			}
		}
		return nil
	}
}

func TestInteropKeypairFileWeWriteLoadsInSolanaGo(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 5; i++ {
		k, err := solana.NewKeypair()
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("k%d.json", i))
		if err := solana.WriteKeypairFile(path, k, false); err != nil {
			t.Fatal(err)
		}
		theirs, err := sg.PrivateKeyFromSolanaKeygenFile(path)
		if err != nil {
			t.Fatalf("solana-go cannot load our key file: %v", err)
		}
		if got := theirs.PublicKey().String(); got != k.Pubkey().String() {
			t.Fatalf("solana-go sees pubkey %s, we wrote %s", got, k.Pubkey())
		}
		if !bytes.Equal(theirs, k.Bytes()) {
			t.Fatal("solana-go read different key bytes than we wrote")
		}
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Fatalf("key file mode %v, want 0600", st.Mode().Perm())
		}
	}
}

func TestInteropKeypairFileSolanaGoMakesLoadsHere(t *testing.T) {
	theirs, err := sg.NewRandomPrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	// Written the way solana-keygen writes it: a JSON array of 64 numbers.
	nums := make([]string, len(theirs))
	for i, b := range theirs {
		nums[i] = fmt.Sprint(b)
	}
	path := filepath.Join(t.TempDir(), "id.json")
	if err := os.WriteFile(path, []byte("["+strings.Join(nums, ",")+"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ours, err := solana.ReadKeypairFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if ours.Pubkey().String() != theirs.PublicKey().String() {
		t.Fatalf("pubkey %s here, %s in solana-go", ours.Pubkey(), theirs.PublicKey())
	}
	// The same key signs the same bytes the same way (ed25519 is deterministic).
	msg := []byte("interop")
	theirSig, err := theirs.Sign(msg)
	if err != nil {
		t.Fatal(err)
	}
	if ours.Sign(msg) != solana.Signature(theirSig) {
		t.Fatal("signatures of the same message differ")
	}
}

// decodeTheirs checks what every transaction solana-go builds must satisfy
// here: it decodes, re-encodes byte for byte, and verifies.
func decodeTheirs(t *testing.T, wire []byte) solana.Transaction {
	t.Helper()
	tx, err := solana.DecodeTransaction(wire)
	if err != nil {
		t.Fatalf("decode solana-go transaction: %v", err)
	}
	if again := tx.Marshal(); !bytes.Equal(again, wire) {
		t.Fatalf("re-encoding changed the bytes:\n theirs %x\n ours   %x", wire, again)
	}
	if err := tx.Verify(); err != nil {
		t.Fatalf("verify solana-go transaction: %v", err)
	}
	// A flipped bit in the message must break verification.
	bad := append([]byte(nil), wire...)
	bad[len(bad)-1] ^= 0x01
	if btx, err := solana.DecodeTransaction(bad); err == nil && btx.Verify() == nil {
		t.Fatal("a tampered transaction still verified")
	}
	return tx
}

func TestInteropSolanaGoTransferDecodesAndVerifiesHere(t *testing.T) {
	payer, to := seedKey("payer"), seedKey("to")
	bh := sg.Hash(solana.HashOf([]byte("blockhash")))
	for _, lamports := range []uint64{0, 1, 5000, 1 << 40, ^uint64(0)} {
		tx, err := sg.NewTransaction([]sg.Instruction{
			sgsystem.NewTransferInstruction(lamports, sg.PublicKey(payer.Pubkey()), sg.PublicKey(to.Pubkey())).Build(),
		}, bh, sg.TransactionPayer(sg.PublicKey(payer.Pubkey())))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Sign(sgSigner(payer)); err != nil {
			t.Fatal(err)
		}
		wire, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		got := decodeTheirs(t, wire)
		if got.Message.FeePayer() != payer.Pubkey() || got.Message.RecentBlockhash != solana.Hash(bh) {
			t.Fatalf("payer %s blockhash %s", got.Message.FeePayer(), got.Message.RecentBlockhash)
		}
		if got.ID() != solana.Signature(tx.Signatures[0]) {
			t.Fatal("transaction id is not the first signature")
		}
		if len(got.Message.Instructions) != 1 {
			t.Fatalf("%d instructions", len(got.Message.Instructions))
		}
		ix := got.Message.Instructions[0]
		if got.Message.AccountKeys[ix.ProgramIDIndex] != solana.SystemProgramID {
			t.Fatal("program is not the System program")
		}
		si, err := solana.DecodeSystemInstruction(ix.Data)
		if err != nil || si.Kind != solana.SystemTransfer || si.Lamports != lamports {
			t.Fatalf("system instruction %+v, %v; want transfer of %d", si, err, lamports)
		}
		if got.Message.AccountKeys[ix.Accounts[1]] != to.Pubkey() || !got.Message.IsWritable(int(ix.Accounts[1])) {
			t.Fatal("recipient missing or not writable")
		}
	}
}

func TestInteropSolanaGoCreateAccountAndMemoDecodeHere(t *testing.T) {
	payer, acct := seedKey("payer"), seedKey("new account")
	owner := seedKey("owner").Pubkey()
	tx, err := sg.NewTransaction([]sg.Instruction{
		sgsystem.NewCreateAccountInstruction(890880, 64, sg.PublicKey(owner), sg.PublicKey(payer.Pubkey()), sg.PublicKey(acct.Pubkey())).Build(),
		// solana-go's memo builder prefixes the text with its length
		// (binary encoding of a []byte); the Memo program takes the raw
		// UTF-8 text, so build the raw form with a generic instruction.
		sg.NewInstruction(sgmemo.ProgramID, sg.AccountMetaSlice{sg.Meta(sg.PublicKey(payer.Pubkey())).SIGNER()}, []byte("hello from solana-go")),
	}, sg.Hash(solana.HashOf([]byte("bh2"))), sg.TransactionPayer(sg.PublicKey(payer.Pubkey())))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Sign(sgSigner(payer, acct)); err != nil {
		t.Fatal(err)
	}
	wire, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	got := decodeTheirs(t, wire)
	if len(got.Signatures) != 2 {
		t.Fatalf("%d signatures, want 2", len(got.Signatures))
	}
	m := got.Message
	si, err := solana.DecodeSystemInstruction(m.Instructions[0].Data)
	if err != nil || si.Kind != solana.SystemCreateAccount || si.Lamports != 890880 || si.Space != 64 || si.Owner != owner {
		t.Fatalf("create account decoded as %+v, %v", si, err)
	}
	memo := m.Instructions[1]
	if m.AccountKeys[memo.ProgramIDIndex] != solana.MemoProgramID || string(memo.Data) != "hello from solana-go" {
		t.Fatalf("memo program %s data %q", m.AccountKeys[memo.ProgramIDIndex], memo.Data)
	}
}

// verifyThere decodes our wire bytes with solana-go, verifies the signatures
// there and checks that solana-go re-encodes the same bytes.
func verifyThere(t *testing.T, wire []byte) *sg.Transaction {
	t.Helper()
	theirs, err := sg.TransactionFromBytes(wire)
	if err != nil {
		t.Fatalf("solana-go cannot decode our transaction: %v", err)
	}
	if err := theirs.VerifySignatures(); err != nil {
		t.Fatalf("solana-go rejects our signatures: %v", err)
	}
	again, err := theirs.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, wire) {
		t.Fatalf("solana-go re-encodes our transaction differently:\n ours   %x\n theirs %x", wire, again)
	}
	return theirs
}

func TestInteropOurTransferVerifiesInSolanaGo(t *testing.T) {
	payer, to := seedKey("payer"), seedKey("to")
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), to.Pubkey(), 123456789)},
		solana.HashOf([]byte("bh")), payer)
	if err != nil {
		t.Fatal(err)
	}
	wire := tx.Marshal()
	theirs := verifyThere(t, wire)
	if theirs.Signatures[0] != sg.Signature(tx.ID()) {
		t.Fatal("solana-go sees another transaction id")
	}
	ix := theirs.Message.Instructions[0]
	prog, err := theirs.ResolveProgramIDIndex(ix.ProgramIDIndex)
	if err != nil || prog != sgsystem.ProgramID {
		t.Fatalf("program %s, %v", prog, err)
	}
	accts, err := ix.ResolveInstructionAccounts(&theirs.Message)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := sgsystem.DecodeInstruction(accts, ix.Data)
	if err != nil {
		t.Fatalf("solana-go cannot decode our transfer: %v", err)
	}
	tr, ok := dec.Impl.(*sgsystem.Transfer)
	if !ok || tr.Lamports == nil || *tr.Lamports != 123456789 {
		t.Fatalf("solana-go decoded %#v", dec.Impl)
	}
	if tr.GetRecipientAccount().PublicKey != sg.PublicKey(to.Pubkey()) || !tr.GetFundingAccount().IsSigner {
		t.Fatal("transfer accounts differ in solana-go")
	}

	// A tampered signature must fail there too.
	bad := append([]byte(nil), wire...)
	bad[5] ^= 0x10
	if btx, err := sg.TransactionFromBytes(bad); err == nil && btx.VerifySignatures() == nil {
		t.Fatal("solana-go accepted a tampered signature")
	}
}

func TestInteropOurCreateAccountAndMemoVerifyInSolanaGo(t *testing.T) {
	payer, acct := seedKey("payer"), seedKey("new account")
	owner := solana.VoteProgramID
	tx, err := solana.NewTransaction([]solana.Instruction{
		solana.CreateAccount(payer.Pubkey(), acct.Pubkey(), 1_000_000, 3762, owner),
		solana.Memo("gm", payer.Pubkey()),
	}, solana.HashOf([]byte("bh3")), payer, acct)
	if err != nil {
		t.Fatal(err)
	}
	theirs := verifyThere(t, tx.Marshal())
	if n := theirs.NumSigners(); n != 2 {
		t.Fatalf("solana-go counts %d signers, want 2", n)
	}
	ix := theirs.Message.Instructions[0]
	accts, err := ix.ResolveInstructionAccounts(&theirs.Message)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := sgsystem.DecodeInstruction(accts, ix.Data)
	if err != nil {
		t.Fatal(err)
	}
	ca, ok := dec.Impl.(*sgsystem.CreateAccount)
	if !ok || *ca.Lamports != 1_000_000 || *ca.Space != 3762 || *ca.Owner != sg.PublicKey(owner) {
		t.Fatalf("solana-go decoded %#v", dec.Impl)
	}
	memoProg, err := theirs.ResolveProgramIDIndex(theirs.Message.Instructions[1].ProgramIDIndex)
	if err != nil || memoProg != sgmemo.ProgramID {
		t.Fatalf("memo program %s, %v", memoProg, err)
	}
}

func TestInteropBase58AgreesWithSolanaGo(t *testing.T) {
	for i := 0; i < 50; i++ {
		k := seedKey(fmt.Sprint("b58 ", i))
		s := k.Pubkey().String()
		theirs, err := sg.PublicKeyFromBase58(s)
		if err != nil || theirs != sg.PublicKey(k.Pubkey()) {
			t.Fatalf("%s: solana-go reads %s, %v", s, theirs, err)
		}
		if theirs.String() != s {
			t.Fatalf("solana-go prints %s for %s", theirs, s)
		}
	}
	// Well-known ids print the same in both.
	for _, c := range []struct {
		ours   solana.Pubkey
		theirs sg.PublicKey
	}{{solana.SystemProgramID, sg.SystemProgramID}, {solana.MemoProgramID, sg.MemoProgramID}, {solana.VoteProgramID, sg.VoteProgramID}} {
		if c.ours.String() != c.theirs.String() {
			t.Errorf("program id %s here, %s in solana-go", c.ours, c.theirs)
		}
	}
}

func TestStrictBase58Parsing(t *testing.T) {
	valid := seedKey("strict").Pubkey().String()
	sig := seedKey("strict").Sign([]byte("x")).String()
	for _, tc := range []struct {
		name, in string
		parse    func(string) error
		ok       bool
	}{
		{"pubkey ok", valid, parsePubkey, true},
		{"system program (all zero)", "11111111111111111111111111111111", parsePubkey, true},
		{"empty", "", parsePubkey, false},
		{"one char short decodes to fewer bytes", valid[:len(valid)-1], parsePubkey, false},
		{"one char more decodes to more bytes", valid + "2", parsePubkey, false},
		{"31 bytes", "1111111111111111111111111111111", parsePubkey, false},
		{"33 bytes", "111111111111111111111111111111111", parsePubkey, false},
		{"far too long", strings.Repeat("z", 100), parsePubkey, false},
		{"zero is not base58", "0" + valid[1:], parsePubkey, false},
		{"capital O is not base58", "O" + valid[1:], parsePubkey, false},
		{"capital I is not base58", "I" + valid[1:], parsePubkey, false},
		{"lower l is not base58", "l" + valid[1:], parsePubkey, false},
		{"space", " " + valid, parsePubkey, false},
		{"trailing newline", valid + "\n", parsePubkey, false},
		{"non-ascii", "é" + valid[2:], parsePubkey, false},
		{"signature ok", sig, parseSignature, true},
		{"pubkey is not a signature", valid, parseSignature, false},
		{"signature is not a pubkey", sig, parsePubkey, false},
		{"signature cut to 80 chars", sig[:80], parseSignature, false},
		{"hash ok", solana.HashOf([]byte("h")).String(), parseHash, true},
		{"hash too short", "11111111111111111111111111111", parseHash, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.parse(tc.in)
			if tc.ok && err != nil {
				t.Fatalf("refused %q: %v", tc.in, err)
			}
			if !tc.ok {
				if err == nil {
					t.Fatalf("accepted %q", tc.in)
				}
				if !errors.Is(err, solana.ErrBase58) {
					t.Fatalf("error %v is not ErrBase58", err)
				}
			}
		})
	}
}

func parsePubkey(s string) error    { _, err := solana.ParsePubkey(s); return err }
func parseSignature(s string) error { _, err := solana.ParseSignature(s); return err }
func parseHash(s string) error      { _, err := solana.ParseHash(s); return err }

func TestPubkeyTextRoundTrip(t *testing.T) {
	k := seedKey("text").Pubkey()
	b, err := k.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	var back solana.Pubkey
	if err := back.UnmarshalText(b); err != nil || back != k {
		t.Fatalf("round trip gave %s, %v", back, err)
	}
	if err := back.UnmarshalText([]byte("not-base58!")); err == nil {
		t.Fatal("UnmarshalText accepted garbage")
	}
}

func TestKeypairVerify(t *testing.T) {
	good := seedKey("kp")
	other := seedKey("other")
	otherPub := other.Pubkey()
	mismatched := append(good.Bytes()[:32:32], otherPub[:]...)
	arr := func(b []byte) string {
		s := make([]string, len(b))
		for i, x := range b {
			s[i] = fmt.Sprint(x)
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	for _, tc := range []struct {
		name, data string
		wantErr    string // substring; empty means it must load
	}{
		{"good", arr(good.Bytes()), ""},
		{"good with whitespace", "\n " + arr(good.Bytes()) + " \n", ""},
		{"empty file", "", "not a JSON array"},
		{"empty array", "[]", "0 bytes"},
		{"short: seed only", arr(good.Bytes()[:32]), "32 bytes"},
		{"short: 63 bytes", arr(good.Bytes()[:63]), "63 bytes"},
		{"long: 65 bytes", arr(append(good.Bytes(), 0)), "65 bytes"},
		{"mismatched public key", arr(mismatched), "not the public key"},
		{"byte out of range", "[" + strings.Repeat("256,", 63) + "256]", "not a byte"},
		{"negative byte", "[" + strings.Repeat("-1,", 63) + "-1]", "not a byte"},
		{"strings not numbers", `["1","2"]`, "not a JSON array"},
		{"object", `{"privateKey":"x","publicKey":"y"}`, "not a JSON array"},
		{"hex text", strings.Repeat("ab", 64), "not a JSON array"},
		{"truncated json", arr(good.Bytes())[:50], "not a JSON array"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := solana.ParseKeypair([]byte(tc.data))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if k.Pubkey() != good.Pubkey() {
					t.Fatalf("pubkey %s, want %s", k.Pubkey(), good.Pubkey())
				}
				return
			}
			if err == nil {
				t.Fatalf("accepted %.40q", tc.data)
			}
			if !errors.Is(err, solana.ErrKeypair) || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %q: want ErrKeypair mentioning %q", err, tc.wantErr)
			}
			// solana-go must refuse the broken files as well, except the
			// mismatched one: it does not check the public half, which is
			// why ours does.
			if tc.name != "mismatched public key" {
				if _, err := sg.PrivateKeyFromSolanaKeygenFileBytes([]byte(tc.data)); err == nil {
					t.Fatalf("solana-go accepted %.40q (the case is not broken)", tc.data)
				}
			}
		})
	}
}

func TestWriteKeypairFileRefusesOverwrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "k.json")
	a, b := seedKey("a"), seedKey("b")
	if err := solana.WriteKeypairFile(path, a, false); err != nil {
		t.Fatal(err)
	}
	if err := solana.WriteKeypairFile(path, b, false); !errors.Is(err, solana.ErrExists) {
		t.Fatalf("second write without force: %v, want ErrExists", err)
	}
	if k, err := solana.ReadKeypairFile(path); err != nil || k.Pubkey() != a.Pubkey() {
		t.Fatalf("file changed after a refused write: %v", err)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := solana.WriteKeypairFile(path, b, true); err != nil {
		t.Fatal(err)
	}
	k, err := solana.ReadKeypairFile(path)
	if err != nil || k.Pubkey() != b.Pubkey() {
		t.Fatalf("forced write: %s, %v", k.Pubkey(), err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Fatalf("forced write left mode %v", st.Mode().Perm())
	}
}

func TestShredVersionVectors(t *testing.T) {
	h := func(pairs ...byte) solana.Hash {
		var x solana.Hash
		copy(x[:], pairs)
		return x
	}
	var allFF solana.Hash
	for i := range allFF {
		allFF[i] = 0xff
	}
	for _, tc := range []struct {
		name string
		in   solana.Hash
		want uint16
	}{
		{"zero hash gives 1, never 0", solana.Hash{}, 1},
		{"first pair big-endian plus one", h(0x12, 0x34), 0x1235},
		{"pairs xor together", h(0x12, 0x34, 0x01, 0x01), 0x1336},
		{"a pair that cancels itself", h(0xab, 0xcd, 0xab, 0xcd), 1},
		{"even count of 0xff pairs cancels", allFF, 1},
		{"0xfffe plus one", h(0xff, 0xfe), 0xffff},
		{"0xffff saturates", h(0xff, 0xff), 0xffff},
		{"last pair counts", solana.Hash{31: 0x02}, 0x0003},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := solana.ShredVersion(tc.in); got != tc.want {
				t.Fatalf("ShredVersion(%x) = %#04x, want %#04x", tc.in[:], got, tc.want)
			}
		})
	}
}
