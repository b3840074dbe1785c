#!/usr/bin/env bash
# The load generator's own cost beside vegeta (issue 6, Performance).
#
# A small Go HTTP server (the sink, built here from a heredoc, standard
# library only) answers JSON-RPC like a node: sendTransaction returns the
# transaction's own signature, requestAirdrop a fresh one,
# getSignatureStatuses "finalized" for every signature, getLatestBlockhash
# and getBlockHeight fixed values. Against it, at each rate, run in turn:
#
#   slonui       slonui load --url SINK --tps R (default config: 32 workers,
#                batches of up to 64 gathered for at most --linger 5ms),
#                which signs every transfer (ed25519) and tracks every
#                status;
#   slonui-b1    the same with --batch 1 --linger 0 (one request per
#                transaction, as vegeta sends them);
#   vegeta       vegeta attack at R requests/s replaying one fixed, real
#                signed sendTransaction request (the same JSON the engine
#                sends: base64 with skipPreflight).
#
# Each sender's CPU (utime+stime from /proc/PID/stat) and the transactions
# the sink received are read over the same window (after a warm-up), so
# "cpu-µs/tx" is the sender's CPU per transaction delivered. Signing is
# measured apart (BenchmarkSignTransfer in load/, CPU ns per signed
# transfer) and subtracted for the "excl. signing" column; the engine's status
# tracking stays in it (vegeta has none).
#
# Everything listens on and talks to 127.0.0.1 only; every pid started here
# is stopped by the exit trap and the temporary directory removed.
#
#   bash bench/loadgen_vs_vegeta.sh       # RATES="1000 5000" WINDOW=10 REPEAT=1
#   RATES="1000 5000 10000" WINDOW=15 REPEAT=2 bash bench/loadgen_vs_vegeta.sh
set -euo pipefail

RATES=${RATES:-"1000 5000"}
WINDOW=${WINDOW:-10} # seconds measured
REPEAT=${REPEAT:-1}  # rounds over RATES
# Our sender's variants, NAME=FLAGS for slonui load separated by ';'.
VARIANTS=${VARIANTS:-"slonui=;slonui-b1=--batch 1 --linger 0"}
WARM=${WARM:-3}      # seconds before the window opens
VEGETA_VERSION=${VEGETA_VERSION:-v12.13.0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GO=${GO:-go}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/slonui-loadgen.XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "# building slonui, the sink and vegeta $VEGETA_VERSION in $TMP" >&2
(cd "$ROOT" && "$GO" build -o "$TMP/slonui" .)
GOBIN=$TMP "$GO" install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION"

mkdir -p "$TMP/sink"
cat >"$TMP/sink/main.go" <<'EOF'
// The sink: answers JSON-RPC like a Solana node, cheaply, and counts.
package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
)

const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// b58 encodes b in base58 (no big integers: this runs per transaction).
func b58(b []byte) string {
	digits := make([]byte, 0, len(b)*138/100+1)
	for _, c := range b {
		carry := int(c)
		for j := range digits {
			carry += int(digits[j]) << 8
			digits[j] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	out := make([]byte, 0, len(digits)+len(b))
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i := len(digits) - 1; i >= 0; i-- {
		out = append(out, alphabet[digits[i]])
	}
	return string(out)
}

type req struct {
	ID     json.RawMessage   `json:"id"`
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

type resp struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result,omitempty"`
	Error   any             `json:"error,omitempty"`
}

var requests, sends, calls, seq atomic.Uint64

var blockhash = b58(func() []byte { b := make([]byte, 32); b[0] = 7; return b }())

func answer(q req) resp {
	calls.Add(1)
	r := resp{JSONRPC: "2.0", ID: q.ID}
	switch q.Method {
	case "sendTransaction":
		sends.Add(1)
		var s string
		if len(q.Params) > 0 {
			_ = json.Unmarshal(q.Params[0], &s)
		}
		wire, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(wire) < 65 {
			r.Error = map[string]any{"code": -32602, "message": "invalid transaction"}
			return r
		}
		r.Result = b58(wire[1:65])
	case "requestAirdrop":
		sig := make([]byte, 64)
		binary.LittleEndian.PutUint64(sig, seq.Add(1))
		sig[63] = 1
		r.Result = b58(sig)
	case "getSignatureStatuses":
		var sigs []string
		if len(q.Params) > 0 {
			_ = json.Unmarshal(q.Params[0], &sigs)
		}
		out := make([]any, len(sigs))
		for i := range out {
			out[i] = map[string]any{"slot": 1, "confirmations": nil, "err": nil, "confirmationStatus": "finalized"}
		}
		r.Result = map[string]any{"context": map[string]any{"slot": 1}, "value": out}
	case "getLatestBlockhash":
		r.Result = map[string]any{"context": map[string]any{"slot": 1},
			"value": map[string]any{"blockhash": blockhash, "lastValidBlockHeight": 1 << 40}}
	case "getBlockHeight", "getSlot":
		r.Result = 1
	default:
		r.Error = map[string]any{"code": -32601, "message": "Method not found"}
	}
	return r
}

func rpc(w http.ResponseWriter, h *http.Request) {
	if h.Method == http.MethodGet {
		fmt.Fprintf(w, "%d %d %d\n", requests.Load(), sends.Load(), calls.Load())
		return
	}
	requests.Add(1)
	body, err := io.ReadAll(h.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	if len(body) > 0 && body[0] == '[' {
		var qs []req
		if err := json.Unmarshal(body, &qs); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		out := make([]resp, len(qs))
		for i, q := range qs {
			out[i] = answer(q)
		}
		enc.Encode(out)
		return
	}
	var q req
	if err := json.Unmarshal(body, &q); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	enc.Encode(answer(q))
}

// transfer is one signed legacy system transfer, the shape the engine sends.
func transfer() []byte {
	_, from, _ := ed25519.GenerateKey(nil)
	to := make([]byte, 32)
	to[0] = 9
	bh := make([]byte, 32)
	bh[0] = 7
	msg := []byte{1, 0, 1, 3}
	msg = append(msg, from.Public().(ed25519.PublicKey)...)
	msg = append(msg, to...)
	msg = append(msg, make([]byte, 32)...) // system program
	msg = append(msg, bh...)
	msg = append(msg, 1, 2, 2, 0, 1, 12)
	msg = binary.LittleEndian.AppendUint32(msg, 2)
	msg = binary.LittleEndian.AppendUint64(msg, 1)
	wire := append([]byte{1}, ed25519.Sign(from, msg)...)
	return append(wire, msg...)
}

func main() {
	body := flag.String("body", "", "write one sendTransaction request body here and exit")
	portFile := flag.String("port-file", "", "write the listening address here")
	flag.Parse()
	if *body != "" {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "sendTransaction",
			"params": []any{base64.StdEncoding.EncodeToString(transfer()), map[string]any{"encoding": "base64", "skipPreflight": true}}})
		if err := os.WriteFile(*body, b, 0o644); err != nil {
			panic(err)
		}
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	if err := os.WriteFile(*portFile, []byte(ln.Addr().String()), 0o644); err != nil {
		panic(err)
	}
	panic(http.Serve(ln, http.HandlerFunc(rpc)))
}
EOF
(cd "$TMP/sink" && "$GO" mod init sink >/dev/null 2>&1 && "$GO" build -o "$TMP/sinkd" .)
"$TMP/sinkd" -body "$TMP/body.json"

"$TMP/sinkd" -port-file "$TMP/addr" &
SINK=$!
PIDS+=("$SINK")
for _ in $(seq 50); do [ -s "$TMP/addr" ] && break; sleep 0.1; done
ADDR=$(cat "$TMP/addr")
URL="http://$ADDR/"
printf 'POST %s\nContent-Type: application/json\n@%s\n' "$URL" "$TMP/body.json" >"$TMP/targets"

TCK=$(getconf CLK_TCK)
# cpu PID: the process's user+system CPU so far, in microseconds.
cpu() { awk -v t="$TCK" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000000 / t }' "/proc/$1/stat"; }
# sink: requests, sendTransaction calls, all calls received so far.
sink() { curl -s "http://$ADDR/stats"; }

echo "# signing cost: go test ./load -bench SignTransfer" >&2
SIGN_NS=$(cd "$ROOT" && "$GO" test ./load/ -run '^$' -bench '^BenchmarkSignTransfer$' -benchtime 2s -count 1 |
	awk '/^BenchmarkSignTransfer/ { for (i = 2; i <= NF; i++) if ($i == "cpu-ns/op") print $(i - 1) }')
echo "# signing: $SIGN_NS CPU ns per signed transfer" >&2

DUR=$((WARM + WINDOW + 3))
# measure NAME PID RATE: reads CPU and the sink over the window of a running
# sender, prints a row and keeps the raw figures for the ratios.
measure() {
	local name=$1 pid=$2 rate=$3
	sleep "$WARM"
	local c0 c1 r0 t0 a0 r1 t1 a1
	c0=$(cpu "$pid")
	read -r r0 t0 a0 <<<"$(sink)"
	sleep "$WINDOW"
	c1=$(cpu "$pid")
	read -r r1 t1 a1 <<<"$(sink)"
	local c=$((${c1%.*} - ${c0%.*})) tx=$((t1 - t0)) rq=$((r1 - r0)) ca=$((a1 - a0))
	echo "$name $rate $c $tx" >>"$TMP/rows"
	awk -v n="$name" -v rate="$rate" -v w="$WINDOW" -v c="$c" -v tx="$tx" -v rq="$rq" -v ca="$ca" -v sign="$SIGN_NS" '
	BEGIN {
		per = tx ? c / tx : 0
		signed = (n ~ /^slonui/) ? sign / 1000 : 0
		printf "%-10s %6d %9.0f %8.2f %9.1f %8.3f %9.2f %10.2f\n", n, rate, tx / w, tx / (rq ? rq : 1), (ca - tx) / w, c / w / 1e6, per, per - signed
	}'
}

# summary FILE: one line per run of `slonui load --json`.
summary() {
	python3 - "$1" <<'PY' >&2 || true
import json, sys
r = json.load(open(sys.argv[1]))
t = r.get("total", {})
print("# %s: %s; planned %s sent %s accepted %s landed %s dropped %s failed %s" % (sys.argv[1].rsplit("/", 1)[1],
      r.get("phase"), t.get("planned"), t.get("sent"), t.get("accepted"), t.get("landed"), t.get("dropped"), t.get("failed")))
PY
}

echo "# columns: tx/s and tx/req as the sink counted them, other/s = other JSON-RPC calls (status polls, blockhash),"
echo "# cores = sender CPU seconds per second, cpu-µs/tx = sender CPU per transaction, excl.sign = minus $SIGN_NS ns signing"
printf '%-10s %6s %9s %8s %9s %8s %9s %10s\n' sender rate tx/s tx/req other/s cores cpu-µs/tx excl.sign
IFS=';' read -r -a VARS <<<"$VARIANTS"
for _ in $(seq "$REPEAT"); do
	for R in $RATES; do
		for v in "${VARS[@]}"; do
			name=${v%%=*} flags=${v#*=}
			# shellcheck disable=SC2086
			"$TMP/slonui" load --url "$URL" --tps "$R" --duration "${DUR}s" --drain 5s --json $flags >"$TMP/$name-$R.json" 2>"$TMP/slonui.err" &
			P=$!
			PIDS+=("$P")
			measure "$name" "$P" "$R"
			wait "$P" || echo "# $name exited: $(tail -1 "$TMP/slonui.err")" >&2
			summary "$TMP/$name-$R.json"
		done

		"$TMP/vegeta" attack -targets "$TMP/targets" -rate "$R/1s" -duration "${DUR}s" -keepalive=true >"$TMP/vegeta-$R.bin" &
		P=$!
		PIDS+=("$P")
		measure vegeta "$P" "$R"
		wait "$P" || true
		"$TMP/vegeta" report -type text "$TMP/vegeta-$R.bin" | grep -E 'Success|Status' | sed "s/^/# vegeta $R: /" >&2
	done
done

echo "# CPU per transaction delivered, slonui / vegeta at the same rate, over all repeats (goal <= 1.0):"
echo "# 'total' counts all the engine does (signing, sending, status tracking); 'excl. signing'"
echo "# subtracts the measured signing CPU ($SIGN_NS ns) per transaction. A sender that could not"
echo "# deliver the rate (see tx/s) is compared per transaction it did deliver."
awk -v sign="$SIGN_NS" '{ c[$1, $2] += $3; t[$1, $2] += $4; rate[$2] = 1; if ($1 != "vegeta") name[$1] = 1 }
END {
	for (k in rate) for (n in name) {
		v = t["vegeta", k] ? c["vegeta", k] / t["vegeta", k] : 0
		s = t[n, k] ? c[n, k] / t[n, k] : 0
		if (v > 0 && s > 0) printf "rate %6s/s %-12s total %.2f  excl. signing %.2f\n", k, n, s / v, (s - sign / 1000) / v
	}
}' "$TMP/rows" | sort -k2,2n -k3
