#!/usr/bin/env bash
# Issue 7 performance figures: heal -> converged and heal -> recovered on 10
# nodes after a 30 s 7|3 split, RUNS times (default 5), with the minority's
# first vote on the majority fork and the lockout bound from the minority
# towers at heal time. Each run uses a fresh cluster in its own temp dir
# (400 ms slots, addresses 127.0.160.1-10), which it stops by pid and deletes.
#
#   bench/heal_10nodes.sh [RUNS]        (from the repository root)
#
# Env: OUT (results dir, default /tmp/slonui-heal10), SPLIT (default 30s),
# TIMEOUT (bound on every wait, default 240s), BIN (a built slonui; default:
# build one into OUT).
set -euo pipefail

RUNS=${1:-5}
OUT=${OUT:-/tmp/slonui-heal10}
SPLIT=${SPLIT:-30s}
TIMEOUT=${TIMEOUT:-240s}
NODES=10
ADDR=127.0.160.1
mkdir -p "$OUT"
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"

if [[ -z "${BIN:-}" ]]; then
	BIN="$OUT/slonui"
	go build -o "$BIN" .
fi
HM="$OUT/healmeasure"
go build -o "$HM" ./bench/healmeasure

CONSOLE_PID=""
HM_PID=""
DIR=""
cleanup() {
	if [[ -n "$HM_PID" ]] && kill -0 "$HM_PID" 2>/dev/null; then
		kill -TERM "$HM_PID" 2>/dev/null || true
	fi
	HM_PID=""
	if [[ -n "$CONSOLE_PID" ]] && kill -0 "$CONSOLE_PID" 2>/dev/null; then
		kill -TERM "$CONSOLE_PID" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$CONSOLE_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$CONSOLE_PID" 2>/dev/null || true
	fi
	CONSOLE_PID=""
	# Any node the console left behind: by the pid it recorded.
	if [[ -n "$DIR" && -d "$DIR" ]]; then
		for f in "$DIR"/node*/validator.pid; do
			[[ -f "$f" ]] || continue
			pid=$(cat "$f")
			if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
				kill -TERM "$pid" 2>/dev/null || true
				sleep 1
				kill -KILL "$pid" 2>/dev/null || true
			fi
		done
		rm -rf "$DIR"
	fi
	DIR=""
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for run in $(seq "$RUNS"); do
	DIR=$(mktemp -d /tmp/slonui-heal10.XXXXXX)
	echo "== run $run/$RUNS: $DIR ($(date -u +%T))" >&2
	"$BIN" --nodes "$NODES" --dir "$DIR" --slot-ms 400 --addr-base "$ADDR" --headless --json \
		>"$OUT/run$run.status.jsonl" 2>"$OUT/run$run.console.log" &
	CONSOLE_PID=$!
	rc=0
	# In the background, so a signal reaches the traps at once; the helper
	# bounds each of its own waits by TIMEOUT.
	"$HM" run --bin "$BIN" --dir "$DIR" --nodes "$NODES" --ip "${ADDR%.*}" \
		--split "$SPLIT" --timeout "$TIMEOUT" >"$OUT/run$run.json" 2>"$OUT/run$run.measure.log" &
	HM_PID=$!
	wait "$HM_PID" || rc=$?
	HM_PID=""
	cat "$OUT/run$run.measure.log" >&2
	if [[ -s "$OUT/run$run.json" ]]; then
		cat "$OUT/run$run.json" >>"$RESULTS"
	fi
	# Keep the evidence: every node's log and its last tower.
	mkdir -p "$OUT/run$run.evidence"
	for i in $(seq "$NODES"); do
		cp "$DIR/node$i/validator.log" "$OUT/run$run.evidence/node$i.log" 2>/dev/null || true
		curl -s -m 2 "http://${ADDR%.*}.$i:8899/api/v1/tower_state" \
			>"$OUT/run$run.evidence/node$i.tower.json" 2>/dev/null || true
	done
	if [[ $rc -ne 0 ]]; then
		echo "run $run: measurement exit $rc; evidence in $OUT/run$run.evidence" >&2
	fi
	cleanup
done

"$HM" summarize "$RESULTS"
