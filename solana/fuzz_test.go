package solana_test

// Transaction decoding: the fuzz target (no panic; whatever decodes encodes
// back to the same bytes) and table tests for every input the decoder must
// refuse (PROTOCOL.md §2).

import (
	"bytes"
	"errors"
	"testing"

	"slonui/solana"
)

// validTransactions are well-formed signed transactions of several shapes.
func validTransactions(tb testing.TB) map[string]solana.Transaction {
	tb.Helper()
	payer, to, acct := seedKey("payer"), seedKey("to"), seedKey("new account")
	bh := solana.HashOf([]byte("fuzz blockhash"))
	out := map[string]solana.Transaction{}
	add := func(name string, ixs []solana.Instruction, signers ...solana.Keypair) {
		tx, err := solana.NewTransaction(ixs, bh, payer, signers...)
		if err != nil {
			tb.Fatalf("%s: %v", name, err)
		}
		out[name] = tx
	}
	add("transfer", []solana.Instruction{solana.Transfer(payer.Pubkey(), to.Pubkey(), 42)})
	add("transfer+memo", []solana.Instruction{solana.Transfer(payer.Pubkey(), to.Pubkey(), 1), solana.Memo("hello", payer.Pubkey())})
	add("create account", []solana.Instruction{solana.CreateAccount(payer.Pubkey(), acct.Pubkey(), 1e9, 165, solana.SystemProgramID)}, acct)
	add("memo only, unsigned account", []solana.Instruction{solana.Memo("x")})
	add("long memo", []solana.Instruction{solana.Memo(string(bytes.Repeat([]byte("m"), 600)), payer.Pubkey())})
	return out
}

func FuzzDecodeTransaction(f *testing.F) {
	for _, tx := range validTransactions(f) {
		wire := tx.Marshal()
		f.Add(wire)
		f.Add(wire[:len(wire)-1])                    // truncated
		f.Add(append(wire[:len(wire):len(wire)], 0)) // trailing byte
		v := append([]byte(nil), wire...)
		v[1+64*len(tx.Signatures)] |= 0x80 // versioned prefix
		f.Add(v)
		h := append([]byte(nil), wire...)
		h[1+64*len(tx.Signatures)+1] = 9 // header: read-only signers
		f.Add(h)
	}
	f.Add([]byte{})
	f.Add([]byte{0x80, 0x00})
	f.Add([]byte{0xff, 0xff, 0x03})
	f.Fuzz(func(t *testing.T, b []byte) {
		tx, msg, err := solana.DecodeTransactionMessage(b)
		if err != nil {
			return
		}
		if again := tx.Marshal(); !bytes.Equal(again, b) {
			t.Fatalf("encode(decode(b)) != b:\n in  %x\n out %x", b, again)
		}
		if !bytes.Equal(msg, tx.Message.Marshal()) {
			t.Fatal("returned message bytes are not the encoded message")
		}
		if err := tx.Sanitize(); err != nil {
			t.Fatalf("decoded a transaction that does not sanitize: %v", err)
		}
		_ = tx.Verify() // must not panic on any decoded input
		for i := range tx.Message.AccountKeys {
			_ = tx.Message.IsSigner(i)
			_ = tx.Message.IsWritable(i)
		}
		for _, ix := range tx.Message.Instructions {
			if tx.Message.AccountKeys[ix.ProgramIDIndex] == solana.SystemProgramID {
				_, _ = solana.DecodeSystemInstruction(ix.Data)
			}
		}
	})
}

func TestDecodeRoundTripsValidTransactions(t *testing.T) {
	for name, tx := range validTransactions(t) {
		t.Run(name, func(t *testing.T) {
			wire := tx.Marshal()
			got, err := solana.DecodeTransaction(wire)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Marshal(), wire) {
				t.Fatal("re-encoding changed the bytes")
			}
			if err := got.Verify(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// signedWire builds a transfer, lets mutate change the decoded form, and
// returns the re-encoded bytes (the encoder does not sanitize).
func signedWire(t *testing.T, mutate func(*solana.Transaction)) []byte {
	t.Helper()
	payer, to := seedKey("payer"), seedKey("to")
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(payer.Pubkey(), to.Pubkey(), 7)}, solana.HashOf([]byte("bh")), payer)
	if err != nil {
		t.Fatal(err)
	}
	// Keys: payer (writable signer), to (writable), system program (read-only).
	mutate(&tx)
	return tx.Marshal()
}

func TestDecodeRefusesUnsanitizedTransactions(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*solana.Transaction)
	}{
		{"signers + read-only unsigned exceed the keys", func(tx *solana.Transaction) {
			tx.Message.Header.NumReadonlyUnsignedAccounts = 3 // 1 + 3 > 3 keys
		}},
		{"no writable fee payer: read-only signed = required", func(tx *solana.Transaction) {
			tx.Message.Header.NumReadonlySignedAccounts = 1
		}},
		{"no signers at all", func(tx *solana.Transaction) {
			tx.Message.Header.NumRequiredSignatures = 0
			tx.Signatures = nil
		}},
		{"program index out of range", func(tx *solana.Transaction) {
			tx.Message.Instructions[0].ProgramIDIndex = 3
		}},
		{"program index is the fee payer", func(tx *solana.Transaction) {
			tx.Message.Instructions[0].ProgramIDIndex = 0
		}},
		{"account index out of range", func(tx *solana.Transaction) {
			tx.Message.Instructions[0].Accounts[1] = 200
		}},
		{"fewer signatures than required signers", func(tx *solana.Transaction) {
			tx.Signatures = nil
		}},
		{"more signatures than required signers", func(tx *solana.Transaction) {
			tx.Signatures = append(tx.Signatures, solana.Signature{1})
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wire := signedWire(t, tc.mutate)
			_, err := solana.DecodeTransaction(wire)
			if !errors.Is(err, solana.ErrSanitize) {
				t.Fatalf("decode: %v, want ErrSanitize", err)
			}
		})
	}
	// The unmutated baseline decodes, so each case above fails for its own rule.
	if _, err := solana.DecodeTransaction(signedWire(t, func(*solana.Transaction) {})); err != nil {
		t.Fatalf("baseline: %v", err)
	}
}

func TestDecodeRefusesMalformedBytes(t *testing.T) {
	good := signedWire(t, func(*solana.Transaction) {})
	msgAt := 1 + 64 // one signature
	with := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, solana.ErrShortVecEOF},
		{"versioned prefix 0x80", with(func(b []byte) []byte { b[msgAt] |= 0x80; return b }), solana.ErrVersioned},
		{"versioned prefix 0x81", with(func(b []byte) []byte { b[msgAt] = 0x81; return b }), solana.ErrVersioned},
		{"one trailing byte", append(with(func(b []byte) []byte { return b }), 0), solana.ErrTrailing},
		{"a second transaction appended", append(with(func(b []byte) []byte { return b }), good...), solana.ErrTrailing},
		{"truncated by one byte", good[:len(good)-1], solana.ErrTruncated},
		{"signatures cut short", good[:40], solana.ErrTruncated},
		{"header only", good[:msgAt+3], solana.ErrShortVecEOF},
		{"non-canonical signature count", append([]byte{0x81, 0x00}, good[1:]...), solana.ErrShortVecNonCanonical},
		{"over the packet size", append(with(func(b []byte) []byte { return b }), make([]byte, solana.MaxTransactionSize)...), solana.ErrTooLarge},
		{"key count claims more keys than there are", with(func(b []byte) []byte { b[msgAt+3] = 30; return b }), solana.ErrTruncated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := solana.DecodeTransaction(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("decode: %v, want %v", err, tc.want)
			}
		})
	}
}

func BenchmarkDecodeTransaction(b *testing.B) {
	tx := validTransactions(b)["transfer+memo"]
	wire := tx.Marshal()
	b.SetBytes(int64(len(wire)))
	for b.Loop() {
		if _, err := solana.DecodeTransaction(wire); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeAndVerifyTransaction(b *testing.B) {
	tx := validTransactions(b)["transfer+memo"]
	wire := tx.Marshal()
	for b.Loop() {
		tx, msg, err := solana.DecodeTransactionMessage(wire)
		if err != nil {
			b.Fatal(err)
		}
		if err := tx.VerifyMessage(msg); err != nil {
			b.Fatal(err)
		}
	}
}
