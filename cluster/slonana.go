package cluster

import (
	"slices"
	"strings"
)

// SlonanaEnvDrop lists environment variables a slonana_validator child must
// not inherit: any of them turns on its "keep-alive mode", which injects a
// synthetic block of 100 transactions every 5 s (PROTOCOL.md §6.1).
var SlonanaEnvDrop = []string{"CI", "GITHUB_ACTIONS", "SLONANA_CI_MODE"}

// SlonanaArgs are the slonana_validator arguments for spec. Its --config
// takes JSON, not our TOML, so every setting goes as a flag: ledger,
// identity, RPC and gossip addresses, every other node's gossip address as
// a --known-validator (so it never dials its built-in public entrypoints),
// and --snapshot-source none (so it never downloads a snapshot).
func SlonanaArgs(spec NodeSpec, all []NodeSpec) []string {
	args := []string{"validator",
		"--ledger-path", spec.LedgerPath,
		"--identity", spec.IdentityPath,
		"--rpc-bind-address", strings.TrimPrefix(spec.RPCURL, "http://"),
		"--gossip-bind-address", spec.Gossip,
		"--snapshot-source", "none",
		"--log-level", "info",
	}
	for _, other := range all {
		if other.ID != spec.ID && other.Gossip != "" {
			args = append(args, "--known-validator", other.Gossip)
		}
	}
	return args
}

// filterEnv returns env without the variables named in drop.
func filterEnv(env, drop []string) []string {
	if len(drop) == 0 {
		return env
	}
	out := make([]string, 0, len(env))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, name) {
			out = append(out, kv)
		}
	}
	return out
}
