package rpcserver

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/mr-tron/base58"

	"slonui/solana"
)

// fixture fills the fake with accounts, blocks, votes and statuses.
type fixture struct {
	f                 *fakeBackend
	payer, other      solana.Keypair
	tx                solana.Transaction
	known, finalSig   solana.Signature
	identity, node2   string
	blockhash, voteID string
}

func newFixture(t *testing.T, f *fakeBackend) fixture {
	t.Helper()
	x := fixture{f: f, payer: solana.KeypairFromSeed([32]byte{7}), other: solana.KeypairFromSeed([32]byte{8})}
	f.accounts[x.payer.Pubkey()] = Account{Lamports: 5_000_000, Owner: solana.SystemProgramID, RentEpoch: ^uint64(0)}
	f.accounts[x.other.Pubkey()] = Account{Lamports: 42, Owner: solana.MemoProgramID, Data: []byte("hello world"), Executable: true, RentEpoch: 3}
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(x.payer.Pubkey(), x.other.Pubkey(), 1000)}, f.blockhash, x.payer)
	if err != nil {
		t.Fatal(err)
	}
	x.tx = tx
	x.known, x.finalSig = tx.ID(), solana.Signature{9}
	two := uint64(2)
	f.statuses[x.known] = &SignatureStatus{Slot: 128, Confirmations: &two, ConfirmationStatus: Confirmed}
	f.statuses[x.finalSig] = &SignatureStatus{Slot: 90, Err: map[string]any{"InstructionError": []any{0, map[string]any{"Custom": 1}}}, ConfirmationStatus: Finalized}
	bt := int64(1_700_000_000)
	bh := uint64(95)
	f.blocks[98] = Block{Blockhash: solana.HashOf([]byte("b98")), PreviousBlockhash: solana.HashOf([]byte("b97")), ParentSlot: 97,
		BlockTime: &bt, BlockHeight: &bh,
		Transactions: []BlockTransaction{{Tx: tx, Wire: tx.Marshal(), Fee: 5000, PreBalances: []uint64{5_000_000, 42, 1},
			PostBalances: []uint64{4_994_000, 1042, 1}, LogMessages: []string{"ok"}, ComputeUnits: 150}},
		Rewards: []Reward{{Pubkey: f.identity.Pubkey(), Lamports: 2500, PostBalance: 10, RewardType: "fee"}}}
	f.skipped[99] = true
	node2 := solana.KeypairFromSeed([32]byte{2}).Pubkey()
	f.votes = []VoteAccount{
		{VotePubkey: solana.Pubkey{11}, NodePubkey: f.identity.Pubkey(), ActivatedStake: 100, Commission: 10, EpochVoteAccount: true,
			EpochCredits: [][3]uint64{{0, 1, 0}, {1, 2, 1}, {2, 3, 2}, {3, 4, 3}, {4, 5, 4}, {5, 6, 5}}, LastVote: 129, RootSlot: 90},
		{VotePubkey: solana.Pubkey{12}, NodePubkey: node2, ActivatedStake: 100, LastVote: 2, RootSlot: 0},
		{VotePubkey: solana.Pubkey{13}, NodePubkey: solana.Pubkey{14}, ActivatedStake: 0, LastVote: 1},
	}
	f.samples = []PerformanceSample{{Slot: 130, NumTransactions: 60, NumNonVoteTransactions: 20, NumSlots: 150, SamplePeriodSecs: 60},
		{Slot: 0, NumTransactions: 1, NumSlots: 1, SamplePeriodSecs: 60}}
	x.identity, x.node2 = f.identity.Pubkey().String(), node2.String()
	x.blockhash = f.blockhash.String()
	x.voteID = solana.Pubkey{11}.String()
	return x
}

func TestMethods(t *testing.T) {
	f, _, hs := newTestServer(t)
	x := newFixture(t, f)
	payer, other := x.payer.Pubkey().String(), x.other.Pubkey().String()
	otherKey := x.other.Pubkey()
	ctx := func(slot int, v string) string {
		return fmt.Sprintf(`{"context":{"apiVersion":"2.2.0","slot":%d},"value":%s}`, slot, v)
	}
	txB64 := base64.StdEncoding.EncodeToString(x.tx.Marshal())
	msgB64 := base64.StdEncoding.EncodeToString(x.tx.Message.Marshal())
	cases := []struct{ method, params, want string }{
		{"getHealth", ``, `"ok"`},
		{"getSlot", `[{"commitment":"processed"}]`, `130`},
		{"getSlot", `[{"commitment":"confirmed"}]`, `128`},
		{"getSlot", `[{"commitment":"finalized","minContextSlot":100}]`, `100`},
		{"getBlockHeight", `[]`, `97`},
		{"getTransactionCount", `[{"commitment":"confirmed"}]`, `1280`},
		{"getEpochInfo", `[]`, `{"absoluteSlot":100,"blockHeight":97,"epoch":3,"slotIndex":4,"slotsInEpoch":32,"transactionCount":1000}`},
		{"getEpochSchedule", ``, `{"slotsPerEpoch":32,"leaderScheduleSlotOffset":32,"warmup":false,"firstNormalEpoch":0,"firstNormalSlot":0}`},
		{"getVersion", ``, `{"solana-core":"2.2.0","feature-set":3746818610}`},
		{"getIdentity", ``, `{"identity":"` + x.identity + `"}`},
		{"getGenesisHash", ``, `"` + solana.HashOf([]byte("genesis")).String() + `"`},
		{"getClusterNodes", ``, `[{"pubkey":"` + x.identity + `","gossip":"127.0.0.1:8001","tvu":"127.0.0.1:8004","tpu":null,"tpuQuic":"127.0.0.1:8009","tpuForwards":null,
			"tpuForwardsQuic":null,"tpuVote":null,"serveRepair":null,"rpc":"127.0.0.1:8899","pubsub":"127.0.0.1:8900","version":"2.2.0",
			"featureSet":3746818610,"shredVersion":4242,"clientId":null},
			{"pubkey":"` + x.node2 + `","gossip":"127.0.0.2:8001","tvu":null,"tpu":null,"tpuQuic":null,"tpuForwards":null,"tpuForwardsQuic":null,
			"tpuVote":null,"serveRepair":null,"rpc":null,"pubsub":null,"version":null,"featureSet":null,"shredVersion":4242,"clientId":null}]`},
		{"getLeaderSchedule", ``, `{"` + x.identity + `":[0,1,2,3,8,9,10,11,16,17,18,19,24,25,26,27],"` + x.node2 + `":[4,5,6,7,12,13,14,15,20,21,22,23,28,29,30,31]}`},
		{"getLeaderSchedule", `[null,{"identity":"` + x.node2 + `"}]`, `{"` + x.node2 + `":[4,5,6,7,12,13,14,15,20,21,22,23,28,29,30,31]}`},
		{"getLeaderSchedule", `[{"identity":"` + x.node2 + `"}]`, `{"` + x.node2 + `":[4,5,6,7,12,13,14,15,20,21,22,23,28,29,30,31]}`},
		{"getLeaderSchedule", `[1000]`, `null`},
		{"getSlotLeaders", `[30, 4]`, `["` + x.node2 + `","` + x.node2 + `","` + x.identity + `","` + x.identity + `"]`},
		{"getVoteAccounts", `[{"commitment":"processed"}]`, `{"current":[{"votePubkey":"` + x.voteID + `","nodePubkey":"` + x.identity + `","activatedStake":100,
			"epochVoteAccount":true,"commission":10,"lastVote":129,"epochCredits":[[1,2,1],[2,3,2],[3,4,3],[4,5,4],[5,6,5]],"rootSlot":90}],
			"delinquent":[{"votePubkey":"` + solana.Pubkey{12}.String() + `","nodePubkey":"` + x.node2 + `","activatedStake":100,
			"epochVoteAccount":false,"commission":0,"lastVote":2,"epochCredits":[],"rootSlot":0}]}`},
		{"getVoteAccounts", `[{"votePubkey":"` + x.voteID + `","delinquentSlotDistance":1,"commitment":"processed"}]`, `{"current":[],"delinquent":[{"votePubkey":"` + x.voteID + `","nodePubkey":"` + x.identity + `","activatedStake":100,
			"epochVoteAccount":true,"commission":10,"lastVote":129,"epochCredits":[[1,2,1],[2,3,2],[3,4,3],[4,5,4],[5,6,5]],"rootSlot":90}]}`},
		{"getLatestBlockhash", `[{"commitment":"processed"}]`, ctx(130, `{"blockhash":"`+x.blockhash+`","lastValidBlockHeight":277}`)},
		{"isBlockhashValid", `["` + x.blockhash + `"]`, ctx(100, `true`)},
		{"isBlockhashValid", `["` + solana.Hash{}.String() + `",{"commitment":"processed"}]`, ctx(130, `false`)},
		{"getBalance", `["` + payer + `"]`, ctx(100, `5000000`)},
		{"getBalance", `["` + solana.Pubkey{99}.String() + `",{"commitment":"confirmed"}]`, ctx(128, `0`)},
		{"getAccountInfo", `["` + other + `"]`, ctx(100, `{"data":"`+base58.Encode([]byte("hello world"))+`","executable":true,"lamports":42,"owner":"`+solana.MemoProgramID.String()+`","rentEpoch":3,"space":11}`)},
		{"getAccountInfo", `["` + other + `",{"encoding":"base64","dataSlice":{"offset":6,"length":100}}]`, ctx(100, `{"data":["d29ybGQ=","base64"],"executable":true,"lamports":42,"owner":"`+solana.MemoProgramID.String()+`","rentEpoch":3,"space":11}`)},
		{"getAccountInfo", `["` + payer + `",{"encoding":"base58"}]`, ctx(100, `{"data":["","base58"],"executable":false,"lamports":5000000,"owner":"11111111111111111111111111111111","rentEpoch":18446744073709551615,"space":0}`)},
		{"getAccountInfo", `["` + solana.Pubkey{99}.String() + `",{"encoding":"base64"}]`, ctx(100, `null`)},
		{"getMultipleAccounts", `[["` + solana.Pubkey{99}.String() + `","` + payer + `"],{"encoding":"base64"}]`, ctx(100, `[null,{"data":["","base64"],"executable":false,"lamports":5000000,"owner":"11111111111111111111111111111111","rentEpoch":18446744073709551615,"space":0}]`)},
		{"getMinimumBalanceForRentExemption", `[0]`, `890880`},
		{"getMinimumBalanceForRentExemption", `[165]`, `2039280`},
		{"getFeeForMessage", `["` + msgB64 + `"]`, ctx(100, `5000`)},
		{"requestAirdrop", `["` + other + `", 1000000000]`, `"` + x.f.identity.Sign(otherKey[:]).String() + `"`},
		{"getSignatureStatuses", `[["` + x.known.String() + `","` + solana.Signature{1}.String() + `","` + x.finalSig.String() + `"],{"searchTransactionHistory":true}]`,
			ctx(130, `[{"slot":128,"confirmations":2,"err":null,"status":{"Ok":null},"confirmationStatus":"confirmed"},null,
			{"slot":90,"confirmations":null,"err":{"InstructionError":[0,{"Custom":1}]},"status":{"Err":{"InstructionError":[0,{"Custom":1}]}},"confirmationStatus":"finalized"}]`)},
		{"getRecentPerformanceSamples", `[1]`, `[{"slot":130,"numTransactions":60,"numNonVoteTransactions":20,"numSlots":150,"samplePeriodSecs":60}]`},
		{"getRecentPerformanceSamples", ``, `[{"slot":130,"numTransactions":60,"numNonVoteTransactions":20,"numSlots":150,"samplePeriodSecs":60},{"slot":0,"numTransactions":1,"numNonVoteTransactions":0,"numSlots":1,"samplePeriodSecs":60}]`},
		{"getBlocks", `[95, 101]`, `[95,96,97,98,100]`},
		{"getBlocks", `[95, {"commitment":"confirmed"}]`, `[95,96,97,98,100,101,102,103,104,105,106,107,108,109,110,111,112,113,114,115,116,117,118,119,120,121,122,123,124,125,126,127,128]`},
		{"getBlocks", `[120, 110]`, `[]`},
		{"getFirstAvailableBlock", ``, `10`},
		{"minimumLedgerSlot", ``, `10`},
		{"simulateTransaction", `["` + txB64 + `",{"encoding":"base64","sigVerify":true}]`, ctx(100, `{"err":null,"logs":["Program 11111111111111111111111111111111 invoke [1]","Program 11111111111111111111111111111111 success"],"accounts":null,"unitsConsumed":150,"returnData":null,"innerInstructions":null,"replacementBlockhash":null}`)},
		{"simulateTransaction", `["` + txB64 + `",{"encoding":"base64","replaceRecentBlockhash":true,"commitment":"processed","accounts":{"addresses":["` + other + `"],"encoding":"base64"}}]`,
			ctx(130, `{"err":null,"logs":["Program 11111111111111111111111111111111 invoke [1]","Program 11111111111111111111111111111111 success"],
			"accounts":[{"data":["aGVsbG8gd29ybGQ=","base64"],"executable":true,"lamports":1000000042,"owner":"`+solana.MemoProgramID.String()+`","rentEpoch":3,"space":11}],
			"unitsConsumed":150,"returnData":null,"innerInstructions":null,"replacementBlockhash":{"blockhash":"`+x.blockhash+`","lastValidBlockHeight":277}}`)},
		{"sendTransaction", `["` + base58.Encode(x.tx.Marshal()) + `"]`, `"` + x.known.String() + `"`},
		{"sendTransaction", `["` + txB64 + `",{"encoding":"base64","skipPreflight":true}]`, `"` + x.known.String() + `"`},
	}
	for _, c := range cases {
		t.Run(c.method+c.params, func(t *testing.T) {
			e := call(t, hs.URL, c.method, c.params)
			if e.Error != nil {
				t.Fatalf("error %+v", *e.Error)
			}
			if !jsonEqual(t, e.Result, c.want) {
				t.Fatalf("result\n got %s\nwant %s", e.Result, c.want)
			}
		})
	}
	if len(f.sent) != 2 {
		t.Errorf("backend got %d transactions, want 2", len(f.sent))
	}
}

func TestGetBlockShapes(t *testing.T) {
	f, _, hs := newTestServer(t)
	x := newFixture(t, f)
	head := `"blockhash":"` + solana.HashOf([]byte("b98")).String() + `","previousBlockhash":"` + solana.HashOf([]byte("b97")).String() +
		`","parentSlot":97,"blockTime":1700000000,"blockHeight":95`
	rewards := `"rewards":[{"pubkey":"` + x.identity + `","lamports":2500,"postBalance":10,"rewardType":"fee","commission":null}]`
	m := x.tx.Message
	keys := fmt.Sprintf(`["%s","%s","%s"]`, m.AccountKeys[0], m.AccountKeys[1], m.AccountKeys[2])
	meta := `"err":null,"status":{"Ok":null},"fee":5000,"preBalances":[5000000,42,1],"postBalances":[4994000,1042,1],"preTokenBalances":[],"postTokenBalances":[]`
	fullMeta := `{` + meta + `,"innerInstructions":[],"logMessages":["ok"],"rewards":[],"loadedAddresses":{"writable":[],"readonly":[]},"computeUnitsConsumed":150}`
	jsonTx := `{"signatures":["` + x.known.String() + `"],"message":{"accountKeys":` + keys + `,"header":{"numRequiredSignatures":1,
		"numReadonlySignedAccounts":0,"numReadonlyUnsignedAccounts":1},"recentBlockhash":"` + x.blockhash + `",
		"instructions":[{"programIdIndex":2,"accounts":[0,1],"data":"` + base58.Encode(m.Instructions[0].Data) + `","stackHeight":null}]}}`
	cases := []struct{ params, want string }{
		{`[98]`, `{` + head + `,"transactions":[{"transaction":` + jsonTx + `,"meta":` + fullMeta + `}],` + rewards + `}`},
		{`[98,{"transactionDetails":"signatures","rewards":false}]`, `{` + head + `,"signatures":["` + x.known.String() + `"]}`},
		{`[98,{"transactionDetails":"none","commitment":"confirmed"}]`, `{` + head + `,` + rewards + `}`},
		{`[98,{"encoding":"base64","maxSupportedTransactionVersion":0,"rewards":false}]`, `{` + head + `,"transactions":[{"transaction":["` +
			base64.StdEncoding.EncodeToString(x.tx.Marshal()) + `","base64"],"meta":` + fullMeta + `,"version":"legacy"}]}`},
		{`[98,{"transactionDetails":"accounts","rewards":false}]`, `{` + head + `,"transactions":[{"transaction":{"signatures":["` + x.known.String() +
			`"],"accountKeys":[{"pubkey":"` + m.AccountKeys[0].String() + `","writable":true,"signer":true,"source":"transaction"},{"pubkey":"` +
			m.AccountKeys[1].String() + `","writable":true,"signer":false,"source":"transaction"},{"pubkey":"` + m.AccountKeys[2].String() +
			`","writable":false,"signer":false,"source":"transaction"}]},"meta":{` + meta + `}}]}`},
	}
	for _, c := range cases {
		t.Run(c.params, func(t *testing.T) {
			e := call(t, hs.URL, "getBlock", c.params)
			if e.Error != nil {
				t.Fatalf("error %+v", *e.Error)
			}
			if !jsonEqual(t, e.Result, c.want) {
				t.Fatalf("result\n got %s\nwant %s", e.Result, c.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	f, _, hs := newTestServer(t)
	x := newFixture(t, f)
	sigs := make([]string, 257)
	for i := range sigs {
		sigs[i] = `"` + solana.Signature{byte(i)}.String() + `"`
	}
	badSig := x.tx
	badSig.Signatures = []solana.Signature{{1, 2, 3}}
	unsanitized := x.tx
	unsanitized.Message.Instructions = append([]solana.CompiledInstruction(nil), x.tx.Message.Instructions...)
	unsanitized.Message.Instructions[0].ProgramIDIndex = 0
	b64 := func(tx solana.Transaction) string { return base64.StdEncoding.EncodeToString(tx.Marshal()) }
	big := strings.Repeat("A", 1648)
	cases := []struct {
		name, method, params string
		code                 int
		msg                  string // exact, or prefix when it ends with "…"
		data                 string // JSON, "" = not checked
	}{
		{"257 signatures", "getSignatureStatuses", `[[` + strings.Join(sigs, ",") + `]]`, -32602, "Too many inputs provided; max 256", ""},
		{"slot leaders limit", "getSlotLeaders", `[0, 5001]`, -32602, "Invalid limit; max 5000", ""},
		{"slot leaders unknown epoch", "getSlotLeaders", `[190, 10]`, -32602, "Invalid slot range: leader schedule for epoch 6 is unavailable", ""},
		{"samples limit", "getRecentPerformanceSamples", `[721]`, -32602, "Invalid limit; max 720", ""},
		{"blocks range", "getBlocks", `[0, 600000, {"commitment":"confirmed"}]`, 0, "", ""},
		{"blocks processed", "getBlocks", `[0, 10, {"commitment":"processed"}]`, -32602, "Method does not support commitment below `confirmed`", ""},
		{"block processed", "getBlock", `[98, {"commitment":"processed"}]`, -32602, "Method does not support commitment below `confirmed`", ""},
		{"block not available", "getBlock", `[120]`, -32004, "Block not available for slot 120", ""},
		{"block skipped", "getBlock", `[99]`, -32007, "Slot 99 was skipped, or missing due to ledger jump to recent snapshot", ""},
		{"block cleaned up", "getBlock", `[3]`, -32001, "Block 3 cleaned up, does not exist on node. First available block: 10", ""},
		{"bad commitment", "getSlot", `[{"commitment":"max"}]`, -32602, "Invalid params: unknown variant `max`, expected one of `processed`, `confirmed`, `finalized`.", ""},
		{"min context slot", "getBalance", `["` + x.payer.Pubkey().String() + `",{"minContextSlot":120}]`, -32016, "Minimum context slot has not been reached", `{"contextSlot":100}`},
		{"bad pubkey", "getBalance", `["not-a-key"]`, -32602, "Invalid param: Invalid", ""},
		{"short pubkey", "getBalance", `["abc"]`, -32602, "Invalid param: WrongSize", ""},
		{"balance no params", "getBalance", ``, -32602, "`params` should have at least 1 argument(s)", ""},
		{"balance too many params", "getBalance", `["` + x.payer.Pubkey().String() + `",{},3]`, -32602, "Invalid parameters: Expected from 1 to 2 parameters.", `"\"Got: 3\""`},
		{"params to a method without any", "getHealth", `[1]`, -32602, "Invalid parameters: No parameters were expected", ""},
		{"slot leaders one param", "getSlotLeaders", `[1]`, -32602, "Invalid params: invalid length 1, expected a tuple of size 2.", ""},
		{"wrong param type", "getBalance", `[5]`, -32602, "Invalid params: invalid type: number, expected string.", ""},
		{"invalid base58", "sendTransaction", `["0OIl"]`, -32602, "invalid base58 encoding: InvalidCharacter { character: '0', index: 0 }", ""},
		{"invalid base64", "sendTransaction", `["!!!!",{"encoding":"base64"}]`, -32602, "invalid base64 encoding: …", ""},
		{"base64 too large", "sendTransaction", `["` + big + `",{"encoding":"base64"}]`, -32602,
			"base64 encoded solana_transaction::versioned::VersionedTransaction too large: 1648 bytes (max: encoded/raw 1644/1232)", ""},
		{"decoded too large", "sendTransaction", `["` + big[:1644] + `",{"encoding":"base64"}]`, -32602,
			"decoded solana_transaction::versioned::VersionedTransaction too large: 1233 bytes (max: 1232 bytes)", ""},
		{"undecodable", "sendTransaction", `["AAAA",{"encoding":"base64"}]`, -32602, "failed to deserialize solana_transaction::versioned::VersionedTransaction: …", ""},
		{"unsanitized", "sendTransaction", `["` + b64(unsanitized) + `",{"encoding":"base64"}]`, -32602, "invalid transaction: …", ""},
		{"json encoding", "sendTransaction", `["` + b64(x.tx) + `",{"encoding":"json"}]`, -32602, "unsupported encoding: json. Supported encodings: base58, base64", ""},
		{"bad signature", "sendTransaction", `["` + b64(badSig) + `",{"encoding":"base64"}]`, -32003, "Transaction signature verification failure", ""},
		{"simulate sigverify+replace", "simulateTransaction", `["` + b64(x.tx) + `",{"encoding":"base64","sigVerify":true,"replaceRecentBlockhash":true}]`,
			-32602, "sigVerify may not be used with replaceRecentBlockhash", ""},
		{"unknown method", "getBlockProduction", ``, -32601, "Method not found", ""},
		{"leader schedule bad identity", "getLeaderSchedule", `[null,{"identity":"zz"}]`, -32602, "Invalid param: WrongSize", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := call(t, hs.URL, c.method, c.params)
			if c.code == 0 {
				if e.Error == nil {
					return
				}
				t.Fatalf("error %+v", *e.Error)
			}
			if e.Error == nil {
				t.Fatalf("result %s, want error %d", e.Result, c.code)
			}
			if e.Error.Code != c.code {
				t.Fatalf("code %d (%s), want %d", e.Error.Code, e.Error.Message, c.code)
			}
			if p, ok := strings.CutSuffix(c.msg, "…"); ok {
				if !strings.HasPrefix(e.Error.Message, p) {
					t.Fatalf("message %q, want prefix %q", e.Error.Message, p)
				}
			} else if e.Error.Message != c.msg {
				t.Fatalf("message %q, want %q", e.Error.Message, c.msg)
			}
			if c.data != "" && !jsonEqual(t, e.Error.Data, c.data) {
				t.Fatalf("data %s, want %s", e.Error.Data, c.data)
			}
		})
	}
}

func TestBlocksRangeTooLarge(t *testing.T) {
	f, _, hs := newTestServer(t)
	f.slots[Finalized] = 600_000
	e := call(t, hs.URL, "getBlocks", `[0, 500001]`)
	if e.Error == nil || e.Error.Code != -32602 || e.Error.Message != "Slot range too large; max 500000" {
		t.Fatalf("reply %+v %s", e.Error, e.Result)
	}
}

func TestHealthErrors(t *testing.T) {
	f, _, hs := newTestServer(t)
	x := newFixture(t, f)
	txB64 := base64.StdEncoding.EncodeToString(x.tx.Marshal())
	cases := []struct {
		h         Health
		msg, data string
	}{
		{Health{Status: HealthBehind, SlotsBehind: 150}, "Node is behind by 150 slots", `{"numSlotsBehind":150}`},
		{Health{Status: HealthUnknown}, "Node is unhealthy", `{"numSlotsBehind":null}`},
	}
	for _, c := range cases {
		f.mu.Lock()
		f.health = c.h
		f.mu.Unlock()
		for _, req := range [][2]string{{"getHealth", ""}, {"sendTransaction", `["` + txB64 + `",{"encoding":"base64"}]`}} {
			e := call(t, hs.URL, req[0], req[1])
			if e.Error == nil || e.Error.Code != -32005 || e.Error.Message != c.msg || !jsonEqual(t, e.Error.Data, c.data) {
				t.Errorf("%s with %+v: %+v", req[0], c.h, e.Error)
			}
		}
	}
}

func TestPreflightFailure(t *testing.T) {
	f, _, hs := newTestServer(t)
	x := newFixture(t, f)
	f.simErr = "InsufficientFundsForFee"
	e := call(t, hs.URL, "sendTransaction", `["`+base64.StdEncoding.EncodeToString(x.tx.Marshal())+`",{"encoding":"base64"}]`)
	if e.Error == nil || e.Error.Code != -32002 || e.Error.Message != "Transaction simulation failed: Insufficient funds for fee" {
		t.Fatalf("error %+v", e.Error)
	}
	want := `{"err":"InsufficientFundsForFee","logs":["Program 11111111111111111111111111111111 failed"],"accounts":null,"unitsConsumed":0,"returnData":null,"innerInstructions":null,"replacementBlockhash":null}`
	if !jsonEqual(t, e.Error.Data, want) {
		t.Fatalf("data %s", e.Error.Data)
	}
	if len(f.sent) != 0 {
		t.Fatal("a transaction that failed preflight was sent")
	}
	// Unknown blockhash.
	f.simErr = nil
	stale := x.tx
	stale.Message.RecentBlockhash = solana.Hash{5}
	if err := stale.Sign(x.payer); err != nil {
		t.Fatal(err)
	}
	e = call(t, hs.URL, "sendTransaction", `["`+base64.StdEncoding.EncodeToString(stale.Marshal())+`",{"encoding":"base64"}]`)
	if e.Error == nil || e.Error.Code != -32002 || e.Error.Message != "Transaction simulation failed: Blockhash not found" {
		t.Fatalf("error %+v", e.Error)
	}
}

func TestAirdropWithoutFaucet(t *testing.T) {
	f, _, hs := newTestServer(t)
	f.faucet = false
	e := call(t, hs.URL, "requestAirdrop", `["`+solana.Pubkey{1}.String()+`", 5]`)
	if e.Error == nil || e.Error.Code != -32600 || e.Error.Message != "Invalid request" {
		t.Fatalf("error %+v", e.Error)
	}
}

func TestFeeForUnknownBlockhash(t *testing.T) {
	f, _, hs := newTestServer(t)
	x := newFixture(t, f)
	m := x.tx.Message
	m.RecentBlockhash = solana.Hash{4}
	e := call(t, hs.URL, "getFeeForMessage", `["`+base64.StdEncoding.EncodeToString(m.Marshal())+`"]`)
	if e.Error != nil || !jsonEqual(t, e.Result, `{"context":{"apiVersion":"2.2.0","slot":100},"value":null}`) {
		t.Fatalf("reply %+v %s", e.Error, e.Result)
	}
}
