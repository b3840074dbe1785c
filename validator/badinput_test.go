package validator

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"slonui/solana"
)

// rawPost posts body and returns the HTTP status and the error object.
func rawPost(t *testing.T, url, body string) (int, int, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var env struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(b, &env); err != nil || env.Error == nil {
		t.Fatalf("%.60s…: no error object in %d %s", body, resp.StatusCode, b)
	}
	return resp.StatusCode, env.Error.Code, env.Error.Message
}

func request(method string, params ...any) string {
	b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
	return string(b)
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// fund airdrops lamports to a new key and waits until it is confirmed.
func fund(t testing.TB, url string, lamports uint64) solana.Keypair {
	t.Helper()
	k, err := solana.NewKeypair()
	if err != nil {
		t.Fatal(err)
	}
	var sig string
	if err := rpcCall(url, "requestAirdrop", []any{k.Pubkey().String(), lamports}, &sig); err != nil {
		t.Fatal(err)
	}
	eventually(t, 20*time.Second, "airdrop confirmed", func() (bool, string) {
		var bal struct{ Value uint64 }
		err := rpcCall(url, "getBalance", []any{k.Pubkey().String(), map[string]any{"commitment": "confirmed"}}, &bal)
		return err == nil && bal.Value == lamports, fmt.Sprint(bal.Value, err)
	})
	return k
}

func confirmedBlockhash(t testing.TB, url string) solana.Hash {
	var r struct {
		Value struct{ Blockhash string }
	}
	if err := rpcCall(url, "getLatestBlockhash", []any{map[string]any{"commitment": "confirmed"}}, &r); err != nil {
		t.Fatal(err)
	}
	var h solana.Hash
	if err := h.UnmarshalText([]byte(r.Value.Blockhash)); err != nil {
		t.Fatal(err)
	}
	return h
}

func transfer(t testing.TB, from solana.Keypair, to solana.Pubkey, lamports uint64, bh solana.Hash) []byte {
	tx, err := solana.NewTransaction([]solana.Instruction{solana.Transfer(from.Pubkey(), to, lamports)}, bh, from)
	if err != nil {
		t.Fatal(err)
	}
	return tx.Marshal()
}

func send(wire []byte) string {
	return request("sendTransaction", b64(wire), map[string]any{"encoding": "base64", "preflightCommitment": "confirmed"})
}

// badInput sends malformed and invalid requests over real HTTP and checks
// Solana's codes and messages, then that the node still answers.
func badInput(t *testing.T, url string) {
	payer := fund(t, url, 1_000_000)
	other, _ := solana.NewKeypair()
	bh := confirmedBlockhash(t, url)

	good := transfer(t, payer, other.Pubkey(), 1000, bh)
	badSig := append([]byte(nil), good...)
	badSig[10] ^= 0xff
	var unknownBH solana.Hash
	unknownBH[0] = 7
	sigs := make([]string, 257)
	for i := range sigs {
		sigs[i] = solana.Signature{byte(i)}.String()
	}
	poor, _ := solana.NewKeypair()

	cases := []struct {
		name     string
		body     string
		httpCode int
		code     int
		msg      string // substring
	}{
		{"malformed json", `{"jsonrpc":"2.0","id":1,"method":`, 200, -32700, "Parse error"},
		{"unknown method", request("getNoSuchThing"), 200, -32601, "Method not found"},
		{"bad params", request("getBalance", 42), 200, -32602, "Invalid params"},
		{"body over 50 KiB", request("getHealth", strings.Repeat("x", 51*1024)), 413, -32600, "too large"},
		{"257 signatures", request("getSignatureStatuses", sigs), 200, -32602, "Too many inputs provided; max 256"},
		{"invalid base58", request("sendTransaction", "0OIl!!"), 200, -32602, "invalid base58"},
		{"invalid base64", request("sendTransaction", "!!!!", map[string]any{"encoding": "base64"}), 200, -32602, "invalid base64"},
		{"bad signature", send(badSig), 200, -32003, "signature verification failure"},
		{"unknown blockhash", send(transfer(t, payer, other.Pubkey(), 1000, unknownBH)), 200, -32002, "Blockhash not found"},
		{"insufficient funds", send(transfer(t, payer, other.Pubkey(), 5_000_000, bh)), 200, -32002, "custom program error: 0x1"},
		{"no fee payer account", send(transfer(t, poor, other.Pubkey(), 1, bh)), 200, -32002, "no record of a prior credit"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, code, msg := rawPost(t, url, tc.body)
			if status != tc.httpCode || code != tc.code || !strings.Contains(strings.ToLower(msg), strings.ToLower(tc.msg)) {
				t.Errorf("got HTTP %d, %d %q; want HTTP %d, %d containing %q", status, code, msg, tc.httpCode, tc.code, tc.msg)
			}
		})
	}

	t.Run("duplicate signature", func(t *testing.T) {
		var sig string
		if err := rpcCall(url, "sendTransaction", []any{b64(good), map[string]any{"encoding": "base64", "preflightCommitment": "confirmed"}}, &sig); err != nil {
			t.Fatal(err)
		}
		eventually(t, 20*time.Second, "transfer confirmed", func() (bool, string) {
			var st struct {
				Value []*struct{ ConfirmationStatus string }
			}
			err := rpcCall(url, "getSignatureStatuses", []any{[]string{sig}}, &st)
			ok := err == nil && st.Value[0] != nil && st.Value[0].ConfirmationStatus != "processed"
			return ok, fmt.Sprint(err)
		})
		_, code, msg := rawPost(t, url, send(good))
		if code != -32002 || !strings.Contains(msg, "already been processed") {
			t.Errorf("resend: %d %q; want -32002 AlreadyProcessed", code, msg)
		}
	})

	t.Run("still serving", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewBufferString(request("getHealth")))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(b), `"result":"ok"`) {
			t.Fatalf("getHealth after bad input: %s", b)
		}
	})
}
