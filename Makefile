# slonui — see README.md. Every target works from a fresh clone with Go installed.
GO      ?= go
BIN     := bin/slonui
NODES   ?= 3
PKGS    := ./...

.PHONY: build run test unit race bench lint golden e2e clean

build:
	$(GO) build -o $(BIN) .

run:
	$(GO) run . init --nodes $(NODES) --dir ./cluster

# All tests: unit, consensus simulations, process tests (and tmux end-to-end once they exist).
test: unit

unit:
	$(GO) test -count=1 -timeout 8m $(PKGS)

race:
	$(GO) test -race -count=1 -timeout 15m $(PKGS)

bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x $(PKGS)

lint:
	$(GO) vet $(PKGS)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 $(PKGS)

clean:
	rm -rf bin
