#!/usr/bin/env bash
# The load ramp on a built-in devnet (issue 6, Performance): writes an
# N-node cluster with `slonui init`, starts one `slonui validator` per node,
# waits until every node confirms slots, runs
#
#   slonui load --dir DIR --ramp RAMP --step STEP --cooldown COOLDOWN --json
#
# and prints, per step, the target, achieved (sent) and landed TPS, drops,
# failures and P50/P99 per commitment, then the verdict. Every validator it
# starts is stopped by pid and the cluster directory removed on exit. All
# nodes listen on loopback addresses from ADDR_BASE.
#
#   NODES=3 ADDR_BASE=127.0.150.1 bash bench/load_ramp.sh
#   NODES=10 ADDR_BASE=127.0.151.1 RAMP=500,1000,2000,3000,5000 bash bench/load_ramp.sh
#   LOAD_ARGS="--batch 1" bash bench/load_ramp.sh     # extra flags for slonui load
#   PROFILE_DIR=/tmp/prof bash bench/load_ramp.sh      # CPU profiles of every process
#   KEEP_LOGS=/tmp/logs bash bench/load_ramp.sh        # keep the nodes' logs
set -euo pipefail

NODES=${NODES:-3}
ADDR_BASE=${ADDR_BASE:-127.0.150.1}
RAMP=${RAMP:-500,1000,2000,3000,5000}
STEP=${STEP:-10s}
COOLDOWN=${COOLDOWN:-5s}
LOAD_ARGS=${LOAD_ARGS:-}
OUT=${OUT:-} # keep the JSON report here as well
PROFILE_DIR=${PROFILE_DIR:-}
KEEP_LOGS=${KEEP_LOGS:-} # copy the nodes' logs here before the cluster is removed
if [ -n "$PROFILE_DIR" ]; then
	mkdir -p "$PROFILE_DIR"
	export SLONUI_CPUPROFILE_DIR=$PROFILE_DIR # validator-PID.pprof, load-PID.pprof
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GO=${GO:-go}

case $ADDR_BASE in 127.*) ;; *)
	echo "ADDR_BASE must be in 127.0.0.0/8" >&2
	exit 2
	;;
esac

TMP=$(mktemp -d "${TMPDIR:-/tmp}/slonui-ramp.XXXXXX")
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$KEEP_LOGS" ]; then
		mkdir -p "$KEEP_LOGS" && cp "$TMP"/node*.log "$TMP"/load.err "$KEEP_LOGS"/ 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$ROOT" && "$GO" build -o "$TMP/slonui" .)
echo "# $(cd "$ROOT" && git log -1 --format='%h %s' 2>/dev/null)" >&2
"$TMP/slonui" init --nodes "$NODES" --dir "$TMP/cluster" --addr-base "$ADDR_BASE" >/dev/null
for i in $(seq "$NODES"); do
	"$TMP/slonui" validator --config "$TMP/cluster/node$i/config/validator.toml" >"$TMP/node$i.log" 2>&1 &
	PIDS+=("$!")
done

# Node i's RPC URL, from its validator.toml.
url() {
	awk -F"[\"']" '/^\[rpc\]/ { r = 1 } r && /^bind_address/ { print "http://" $2; exit }' "$TMP/cluster/node$1/config/validator.toml"
}
slot() {
	curl -s -m 2 -H 'Content-Type: application/json' \
		-d '{"jsonrpc":"2.0","id":1,"method":"getSlot","params":[{"commitment":"confirmed"}]}' "$(url "$1")" |
		sed -n 's/.*"result":\([0-9]*\).*/\1/p'
}
echo "# waiting for $NODES nodes to confirm slots" >&2
for _ in $(seq 120); do
	ok=0
	for i in $(seq "$NODES"); do
		s=$(slot "$i" || true)
		[ -n "$s" ] && [ "$s" -gt 2 ] && ok=$((ok + 1))
	done
	[ "$ok" -eq "$NODES" ] && break
	sleep 0.5
done
[ "$ok" -eq "$NODES" ] || { echo "only $ok of $NODES nodes confirm slots" >&2; tail -5 "$TMP"/node*.log >&2; exit 1; }

CMD=("$TMP/slonui" load --dir "$TMP/cluster" --ramp "$RAMP" --step "$STEP" --cooldown "$COOLDOWN" --json)
# shellcheck disable=SC2206
CMD+=($LOAD_ARGS)
echo "# slonui load --dir DIR --ramp $RAMP --step $STEP --cooldown $COOLDOWN --json $LOAD_ARGS ($NODES nodes from $ADDR_BASE)"
# CPU seconds (user+system) a process has used so far, from /proc/PID/stat.
cpu_of() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo 0
}
NODES_CPU0=0
for p in "${PIDS[@]}"; do NODES_CPU0=$(awk -v a="$NODES_CPU0" -v b="$(cpu_of "$p")" 'BEGIN { print a + b }'); done
"${CMD[@]}" >"$TMP/report.json" 2>"$TMP/load.err" &
LOADPID=$!
PIDS+=("$LOADPID")
rc=0
# The load's CPU is read just before it exits: poll until its report is out.
LOAD_CPU=0
while kill -0 "$LOADPID" 2>/dev/null; do
	c=$(cpu_of "$LOADPID")
	[ "$c" != 0 ] && LOAD_CPU=$c
	sleep 0.2
done
NODES_CPU=0
for p in "${PIDS[@]}"; do [ "$p" = "$LOADPID" ] || NODES_CPU=$(awk -v a="$NODES_CPU" -v b="$(cpu_of "$p")" 'BEGIN { print a + b }'); done
NODES_CPU=$(awk -v a="$NODES_CPU" -v b="$NODES_CPU0" 'BEGIN { print a - b }')
wait "$LOADPID" || rc=$?
[ -n "$OUT" ] && cp "$TMP/report.json" "$OUT"
[ "$rc" -eq 0 ] || echo "# slonui load exited $rc: $(tail -3 "$TMP/load.err")" >&2
python3 - "$TMP/report.json" "$NODES_CPU" "$LOAD_CPU" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
def p(l, k, q):
    v = (l.get("latency") or {}).get(k) or {}
    return v.get(q)
def ms(x):
    return "-" if x is None else "%.0f" % x
print("phase %s, elapsed %.1fs, error %s, engine errors %s" % (r.get("phase"), r.get("elapsed_s", 0), r.get("error") or "none", r.get("errors") or {}))
print("%5s %7s %8s %7s %7s %7s %7s %7s  %-18s %-18s %-18s %s" % ("step", "target", "achieved", "landed", "sent", "landed", "dropped", "expired",
      "processed p50/p99", "confirmed p50/p99", "finalized p50/p99", "failed"))
for s in r.get("steps", []) + [r.get("total", {})]:
    name = "total" if s.get("step", -1) < 0 else str(s["step"] + 1)
    cols = []
    for k in ("processed", "confirmed", "finalized"):
        lat = (s.get("latency") or {}).get(k) or {}
        keys = {kk.lower(): vv for kk, vv in lat.items()}
        p50 = keys.get("p50_ms", keys.get("p50"))
        p99 = keys.get("p99_ms", keys.get("p99"))
        cols.append("%s/%s ms" % (ms(p50), ms(p99)))
    print("%5s %7.0f %8.0f %7.0f %7d %7d %7d %7d  %-18s %-18s %-18s %s" % (name, s.get("target_tps", 0), s.get("achieved_tps", 0), s.get("landed_tps", 0),
          s.get("sent", 0), s.get("landed", 0), s.get("dropped", 0), s.get("expired", 0), cols[0], cols[1], cols[2], s.get("failed") or {}))
print("verdict:", json.dumps(r.get("verdict")))
t = r.get("total", {})
sent = t.get("sent", 0) or 1
print("CPU during the run: nodes %.1f s, generator %.1f s; per transaction sent: nodes %.0f µs, generator %.0f µs" % (
    float(sys.argv[2]), float(sys.argv[3]), 1e6 * float(sys.argv[2]) / sent, 1e6 * float(sys.argv[3]) / sent))
PY
exit "$rc"
