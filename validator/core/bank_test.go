package core

import (
	"encoding/binary"
	"encoding/json"
	"testing"

	"slonui/solana"
)

type bankFixture struct {
	n      *Node
	faucet solana.Keypair
	alice  solana.Keypair
}

func newBankFixture(t *testing.T) *bankFixture {
	t.Helper()
	g := testGenesis(1)
	faucet := testKey(200)
	cfg := DefaultConfig()
	cfg.Genesis = g
	cfg.Identity = testKey(1)
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &bankFixture{n: n, faucet: faucet, alice: testKey(50)}
}

func (f *bankFixture) child(parent *bank, slot uint64) *bank {
	return newChildBank(parent, slot, f.n.me, 0)
}

func mustTx(t *testing.T, bh solana.Hash, payer solana.Keypair, ixs ...solana.Instruction) (solana.Transaction, []byte) {
	t.Helper()
	tx, err := solana.NewTransaction(ixs, bh, payer)
	if err != nil {
		t.Fatal(err)
	}
	return tx, tx.Marshal()
}

func balance(b *bank, pk solana.Pubkey) uint64 { a, _ := b.account(pk); return a.Lamports }

func jsonOf(t *testing.T, e *TxError) string {
	t.Helper()
	if e == nil {
		return "null"
	}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestExecuteTransactions(t *testing.T) {
	f := newBankFixture(t)
	root := f.n.root
	bh := root.blockhash
	start := balance(root, f.faucet.Pubkey())
	bob := testKey(51).Pubkey()
	poor := testKey(52) // no account at all

	tests := []struct {
		name      string
		payer     solana.Keypair
		ixs       []solana.Instruction
		landed    bool
		errJSON   string
		payerDiff uint64 // lamports the payer loses
		bobDiff   uint64
	}{
		{"transfer", f.faucet, []solana.Instruction{solana.Transfer(f.faucet.Pubkey(), bob, 1000)}, true, "null", 6000, 1000},
		{"transfer beyond balance pays the fee", f.faucet, []solana.Instruction{solana.Transfer(f.faucet.Pubkey(), bob, start)}, true, `{"InstructionError":[0,{"Custom":1}]}`, 5000, 0},
		{"unknown program pays the fee", f.faucet, []solana.Instruction{{ProgramID: testKey(99).Pubkey(), Data: []byte{1}}}, true, `{"InstructionError":[0,"UnsupportedProgramId"]}`, 5000, 0},
		{"second instruction fails: first is undone", f.faucet, []solana.Instruction{solana.Transfer(f.faucet.Pubkey(), bob, 7), {ProgramID: testKey(99).Pubkey()}}, true, `{"InstructionError":[1,"UnsupportedProgramId"]}`, 5000, 0},
		{"memo", f.faucet, []solana.Instruction{solana.Memo("hello", f.faucet.Pubkey())}, true, "null", 5000, 0},
		{"payer without an account", poor, []solana.Instruction{solana.Transfer(poor.Pubkey(), bob, 1)}, false, `"AccountNotFound"`, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := f.child(root, 1)
			tx, raw := mustTx(t, bh, tc.payer, tc.ixs...)
			p0, b0 := balance(b, tc.payer.Pubkey()), balance(b, bob)
			out := executeTx(b, &tx, raw)
			if out.landed != tc.landed || jsonOf(t, out.err) != tc.errJSON {
				t.Fatalf("landed %v err %s, want %v %s", out.landed, jsonOf(t, out.err), tc.landed, tc.errJSON)
			}
			if d := p0 - balance(b, tc.payer.Pubkey()); d != tc.payerDiff {
				t.Errorf("payer lost %d, want %d", d, tc.payerDiff)
			}
			if d := balance(b, bob) - b0; d != tc.bobDiff {
				t.Errorf("bob gained %d, want %d", d, tc.bobDiff)
			}
			if _, _, found := b.findSig(tx.ID()); found != tc.landed {
				t.Errorf("status cache has it: %v", found)
			}
		})
	}
}

func TestInsufficientFundsForFee(t *testing.T) {
	f := newBankFixture(t)
	b := f.child(f.n.root, 1)
	tx, raw := mustTx(t, b.parentBlockhash, f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), 4000))
	executeTx(b, &tx, raw)
	tx2, raw2 := mustTx(t, b.parentBlockhash, f.alice, solana.Transfer(f.alice.Pubkey(), f.faucet.Pubkey(), 1))
	out := executeTx(b, &tx2, raw2)
	if out.landed || jsonOf(t, out.err) != `"InsufficientFundsForFee"` {
		t.Fatalf("landed %v err %s", out.landed, jsonOf(t, out.err))
	}
	if balance(b, f.alice.Pubkey()) != 4000 {
		t.Fatal("a transaction that did not land changed a balance")
	}
}

func TestStatusCacheOncePerFork(t *testing.T) {
	f := newBankFixture(t)
	root := f.n.root
	tx, raw := mustTx(t, root.blockhash, f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), 10))
	a := f.child(root, 1)
	if !executeTx(a, &tx, raw).landed {
		t.Fatal("first landing refused")
	}
	a.freeze()
	a2 := f.child(a, 2)
	if out := executeTx(a2, &tx, raw); out.landed || out.err.Name != "AlreadyProcessed" {
		t.Fatalf("same fork again: landed %v err %v", out.landed, out.err)
	}
	b := f.child(root, 3) // a sibling fork
	if !executeTx(b, &tx, raw).landed {
		t.Fatal("another fork refused the signature")
	}
}

func TestBlockhashAge(t *testing.T) {
	f := newBankFixture(t)
	genesisHash := f.n.root.blockhash
	b := f.n.root
	for s := uint64(1); s <= MaxProcessingAge+1; s++ {
		b = f.child(b, s)
		tx, raw := mustTx(t, genesisHash, f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), s))
		out := executeTx(b, &tx, raw)
		wantOK := s <= MaxProcessingAge
		if out.landed != wantOK {
			t.Fatalf("height %d: landed %v, want %v (err %v)", b.height, out.landed, wantOK, out.err)
		}
		if !wantOK && out.err.Name != "BlockhashNotFound" {
			t.Fatalf("err %v", out.err)
		}
		b.lastEntry = NextEntryHash(b.lastEntry, 1, nil) // every block has at least one entry
		b.freeze()
	}
	tx, raw := mustTx(t, solana.HashOf([]byte("nope")), f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), 1))
	if out := executeTx(f.child(f.n.root, 1), &tx, raw); out.landed || out.err.Name != "BlockhashNotFound" {
		t.Fatalf("unknown blockhash: %v %v", out.landed, out.err)
	}
}

func TestCreateAccount(t *testing.T) {
	f := newBankFixture(t)
	b := f.child(f.n.root, 1)
	owner := testKey(77).Pubkey()
	ix := solana.CreateAccount(f.faucet.Pubkey(), f.alice.Pubkey(), 1_000_000, 16, owner)
	tx, err := solana.NewTransaction([]solana.Instruction{ix}, b.parentBlockhash, f.faucet, f.alice)
	if err != nil {
		t.Fatal(err)
	}
	if out := executeTx(b, &tx, tx.Marshal()); out.err != nil || out.fee != 10000 {
		t.Fatalf("create: %v fee %d", out.err, out.fee)
	}
	a, ok := b.account(f.alice.Pubkey())
	if !ok || a.Lamports != 1_000_000 || a.Owner != owner || len(a.Data) != 16 {
		t.Fatalf("account %+v", a)
	}
	ix2 := solana.CreateAccount(f.faucet.Pubkey(), f.alice.Pubkey(), 5, 0, owner)
	tx2, _ := solana.NewTransaction([]solana.Instruction{ix2, solana.Memo("again")}, b.parentBlockhash, f.faucet, f.alice)
	if out := executeTx(b, &tx2, tx2.Marshal()); jsonOf(t, out.err) != `{"InstructionError":[0,{"Custom":0}]}` {
		t.Fatalf("create again: %s", jsonOf(t, out.err))
	}
}

func TestBankHash(t *testing.T) {
	f := newBankFixture(t)
	run := func(lamports uint64) *bank {
		b := f.child(f.n.root, 1)
		tx, raw := mustTx(t, b.parentBlockhash, f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), lamports))
		executeTx(b, &tx, raw)
		b.freeze()
		return b
	}
	a, b, c := run(5), run(5), run(6)
	if a.bankHash != b.bankHash {
		t.Fatal("same changes, different bank hashes")
	}
	if a.bankHash == c.bankHash {
		t.Fatal("different changes, same bank hash")
	}
}

func TestSimulateChangesNothing(t *testing.T) {
	f := newBankFixture(t)
	root := f.n.root
	before := balance(root, f.faucet.Pubkey())
	tx, _ := mustTx(t, root.blockhash, f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), 5))
	r := f.n.Simulate(&tx, Processed, true)
	if r.Err != nil || r.Fee != 5000 || len(r.Logs) == 0 {
		t.Fatalf("simulate: %+v", r)
	}
	if balance(root, f.faucet.Pubkey()) != before {
		t.Fatal("simulate changed a balance")
	}
	tx.Signatures[0][0] ^= 1
	if r := f.n.Simulate(&tx, Processed, true); r.Err == nil || r.Err.Name != "SignatureFailure" {
		t.Fatalf("bad signature simulated as %+v", r.Err)
	}
	big, _ := mustTx(t, root.blockhash, f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), before))
	if r := f.n.Simulate(&big, Finalized, false); jsonOf(t, r.Err) != `{"InstructionError":[0,{"Custom":1}]}` {
		t.Fatalf("overdraft simulated as %s", jsonOf(t, r.Err))
	}
}

func TestTxErrorJSON(t *testing.T) {
	tests := []struct {
		e    *TxError
		want string
	}{
		{errUnit("BlockhashNotFound"), `"BlockhashNotFound"`},
		{errCustom(2, 1), `{"InstructionError":[2,{"Custom":1}]}`},
		{errInstr(0, "InvalidInstructionData"), `{"InstructionError":[0,"InvalidInstructionData"]}`},
	}
	for _, tc := range tests {
		if got := jsonOf(t, tc.e); got != tc.want {
			t.Errorf("%v → %s, want %s", tc.e, got, tc.want)
		}
	}
}

func TestVoteInstruction(t *testing.T) {
	f := newBankFixture(t)
	b := f.child(f.n.root, 1)
	voter := testKey(1) // a genesis validator with lamports for the fee
	v := &Vote{Node: voter.Pubkey(), Votes: []Lockout{{1, 1}}, Hash: b.parentBlockhash}
	tx, raw := mustTx(t, b.parentBlockhash, voter, VoteInstruction(v))
	if out := executeTx(b, &tx, raw); !out.landed || out.err != nil {
		t.Fatalf("vote transaction: %v %v", out.landed, out.err)
	}
	other := &Vote{Node: testKey(2).Pubkey(), Votes: []Lockout{{1, 1}}}
	ix := VoteInstruction(other)
	ix.Accounts[0].Pubkey = voter.Pubkey() // signed by someone else than the vote's node
	tx2, raw2 := mustTx(t, b.parentBlockhash, voter, ix)
	if out := executeTx(b, &tx2, raw2); jsonOf(t, out.err) != `{"InstructionError":[0,"InvalidArgument"]}` {
		t.Fatalf("foreign vote: %s", jsonOf(t, out.err))
	}
	bad := solana.Instruction{ProgramID: solana.VoteProgramID, Accounts: []solana.AccountMeta{{Pubkey: voter.Pubkey(), IsSigner: true, IsWritable: true}}, Data: []byte{1, 2}}
	tx3, raw3 := mustTx(t, b.parentBlockhash, voter, bad)
	if out := executeTx(b, &tx3, raw3); jsonOf(t, out.err) != `{"InstructionError":[0,"InvalidInstructionData"]}` {
		t.Fatalf("garbage vote: %s", jsonOf(t, out.err))
	}
}

func TestBlockHistoryBounds(t *testing.T) {
	h := newBlockHistory(100, 1<<20)
	big := []TxRecord{{Raw: make([]byte, 100_000)}}
	for s := uint64(1); s <= 50; s++ {
		h.add(&BlockRecord{Slot: s, Transactions: big})
	}
	if len(h.order) > 11 || h.bytes > 1<<20 || h.get(50) == nil || h.get(1) != nil {
		t.Fatalf("byte budget: %d blocks, %d bytes", len(h.order), h.bytes)
	}
	h = newBlockHistory(5, 1<<30)
	for s := uint64(1); s <= 50; s++ {
		h.add(&BlockRecord{Slot: s})
	}
	if first, _ := h.first(); len(h.order) != 5 || first != 46 {
		t.Fatalf("count cap: %d blocks from %d", len(h.order), first)
	}
}

// TestEmptyBlocksOnOneParentDifferBySlot is the regression test for empty
// blocks built on one parent in different slots (one per side of a
// partition) getting the same block hash and bank hash, so that a blockhash
// of one fork checked as valid on the other.
func TestEmptyBlocksOnOneParentDifferBySlot(t *testing.T) {
	f := newBankFixture(t)
	var blockhashes, bankHashes []solana.Hash
	for _, slot := range []uint64{3, 7} {
		b := f.child(f.n.root, slot)
		tick := Entry{NumHashes: 1, Hash: NextEntryHash(SlotStartHash(f.n.root.blockhash, slot), 1, nil)}
		if err := f.n.replayEntries(b, AppendEntry(nil, &tick)); err != nil {
			t.Fatalf("slot %d: %v", slot, err)
		}
		b.freeze()
		blockhashes = append(blockhashes, b.blockhash)
		bankHashes = append(bankHashes, b.bankHash)
	}
	if blockhashes[0] == blockhashes[1] {
		t.Errorf("empty blocks in slots 3 and 7 on one parent share block hash %s", blockhashes[0])
	}
	if bankHashes[0] == bankHashes[1] {
		t.Errorf("empty blocks in slots 3 and 7 on one parent share bank hash %s", bankHashes[0])
	}
	// A tick chained from the parent's hash alone (the old rule) must not replay.
	b := f.child(f.n.root, 9)
	old := Entry{NumHashes: 1, Hash: NextEntryHash(f.n.root.blockhash, 1, nil)}
	if err := f.n.replayEntries(b, AppendEntry(nil, &old)); err == nil {
		t.Fatal("a block whose hash chain ignores its slot replayed")
	}
}

// TestStatusCacheAcrossForks: a signature landed in a bank is found from
// every descendant however deep, not from a sibling fork (where it may land
// once more), and a signature that landed nowhere is not found.
func TestStatusCacheAcrossForks(t *testing.T) {
	f := newBankFixture(t)
	root := f.n.root
	a := f.child(root, 1)
	tx, raw := mustTx(t, root.blockhash, f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), 10))
	if out := executeTx(a, &tx, raw); !out.landed {
		t.Fatalf("not landed: %s", jsonOf(t, out.err))
	}
	tip := a
	for s := uint64(2); s < 50; s++ {
		tip = f.child(tip, s)
	}
	if slot, _, ok := tip.findSig(tx.ID()); !ok || slot != 1 {
		t.Fatalf("from 48 banks above: found %v at %d, want slot 1", ok, slot)
	}
	if out := executeTx(tip, &tx, raw); out.landed || jsonOf(t, out.err) != `"AlreadyProcessed"` {
		t.Fatalf("second landing on one fork: landed %v err %s", out.landed, jsonOf(t, out.err))
	}
	sibling := f.child(root, 50)
	if _, _, ok := sibling.findSig(tx.ID()); ok {
		t.Fatal("found on a sibling fork")
	}
	if out := executeTx(sibling, &tx, raw); !out.landed {
		t.Fatalf("not landed on the other fork: %s", jsonOf(t, out.err))
	}
	other, _ := mustTx(t, root.blockhash, f.faucet, solana.Transfer(f.faucet.Pubkey(), f.alice.Pubkey(), 11))
	if _, _, ok := tip.findSig(other.ID()); ok {
		t.Fatal("a signature that landed nowhere was found")
	}
}

// The rooted status cache answers for the last statusCacheSlots slots
// before the root, whenever its generations are dropped, and dropping
// keeps every generation that still holds such a slot.
func TestStatusCacheGenerations(t *testing.T) {
	c := newStatusCache()
	sig := func(slot uint64) solana.Signature {
		var s solana.Signature
		binary.LittleEndian.PutUint64(s[:], slot)
		return s
	}
	const last = 4 * statusCacheSlots
	for slot := uint64(1); slot <= last; slot++ {
		c.add(sig(slot), rootedSig{slot: slot})
	}
	if got, want := len(c.gens), int(last/statusWindow)+1; got != want {
		t.Fatalf("%d generations for slots 1..%d, want %d", got, last, want)
	}
	root := uint64(last)
	for slot := uint64(1); slot <= last; slot++ {
		rs, ok := c.get(sig(slot), root)
		if want := slot+statusCacheSlots >= root; ok != want || ok && rs.slot != slot {
			t.Fatalf("slot %d at root %d: found %v (slot %d), want found %v", slot, root, ok, rs.slot, want)
		}
	}
	before := cacheSize(c)
	c.prune(root)
	if cacheSize(c) >= before {
		t.Fatalf("prune at root %d kept all %d signatures", root, before)
	}
	for slot := root - statusCacheSlots; slot <= last; slot++ {
		if _, ok := c.get(sig(slot), root); !ok {
			t.Fatalf("slot %d (within %d of root %d) lost by prune", slot, statusCacheSlots, root)
		}
	}
	if oldest := c.gens[0].window * statusWindow; oldest > root-statusCacheSlots {
		t.Fatalf("oldest generation starts at slot %d, after %d", oldest, root-statusCacheSlots)
	}
}

// cacheSize is how many signatures c holds, aged-out ones included.
func cacheSize(c *statusCache) int {
	n := 0
	for _, g := range c.gens {
		n += len(g.sigs)
	}
	return n
}
