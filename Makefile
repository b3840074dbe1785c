# slonui — see README.md. Every target works from a fresh clone with Go installed
# (`make test` also wants tmux, which .ci/run installs when it is missing).
GO      ?= go
BIN     := bin/slonui
NODES   ?= 3
PKGS    := ./...

.PHONY: build run test unit e2e race bench bench-heal lint golden fuzz clean

build:
	$(GO) build -o $(BIN) .

# The main job: a live console over a local cluster of built-in validators.
run:
	$(GO) run . --nodes $(NODES)

# Every test: unit tests, the deterministic consensus simulations, process
# tests (real validator processes on loopback), then the tmux end-to-end tests.
test: unit e2e

unit:
	$(GO) test -count=1 -timeout 9m $(PKGS)

# tmux journeys against the built binary and built-in validators (build tag e2e).
e2e:
	$(GO) test -tags e2e -count=1 -timeout 10m ./e2e/

race:
	$(GO) test -race -count=1 -timeout 20m $(PKGS)

# Benchmarks report; they never gate. One pass of each, plus the console-vs-tmux CPU run.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 30m $(PKGS)
	E2E_BENCH_SECONDS=60 $(GO) test -tags e2e -run '^$$' -bench 'ConsoleVsTmux|Flood' -benchtime 1x -timeout 10m ./e2e/
	bash bench/loadgen_vs_vegeta.sh
	NODES=3 ADDR_BASE=127.0.150.1 bash bench/load_ramp.sh
	NODES=10 ADDR_BASE=127.0.151.1 bash bench/load_ramp.sh

# Heal → converged / recovered after a 30 s 7|3 split on 10 nodes, 5 runs (about 15 minutes).
bench-heal:
	bash bench/heal_10nodes.sh 5

# Regenerate the golden frames of the screen after an intended change.
golden:
	$(GO) test ./ui/ -run 'Golden|Flow' -update

fuzz:
	$(GO) test ./solana/ -run '^$$' -fuzz FuzzDecodeTransaction -fuzztime 30s
	$(GO) test ./validator/rpcserver/ -run '^$$' -fuzz FuzzDecodeRequest -fuzztime 30s

lint:
	$(GO) vet $(PKGS)
	$(GO) vet -tags e2e ./e2e/
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)

clean:
	rm -rf bin
