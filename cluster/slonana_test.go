package cluster

import (
	"slices"
	"strings"
	"testing"
)

func TestSlonanaArgs(t *testing.T) {
	specs := []NodeSpec{
		{ID: 1, RPCURL: "http://127.0.0.1:8899", Gossip: "127.0.0.1:8001", IdentityPath: "/c/node1/config/validator-keypair.json", LedgerPath: "/c/node1/ledger"},
		{ID: 2, RPCURL: "http://127.0.0.2:8899", Gossip: "127.0.0.2:8001", IdentityPath: "/c/node2/config/validator-keypair.json", LedgerPath: "/c/node2/ledger"},
		{ID: 3, RPCURL: "http://127.0.0.3:8899", Gossip: "127.0.0.3:8001", IdentityPath: "/c/node3/config/validator-keypair.json", LedgerPath: "/c/node3/ledger"},
	}
	tests := []struct {
		node int
		want string
	}{
		{2, "validator --ledger-path /c/node2/ledger --identity /c/node2/config/validator-keypair.json " +
			"--rpc-bind-address 127.0.0.2:8899 --gossip-bind-address 127.0.0.2:8001 --snapshot-source none --log-level info " +
			"--known-validator 127.0.0.1:8001 --known-validator 127.0.0.3:8001"},
		{1, "validator --ledger-path /c/node1/ledger --identity /c/node1/config/validator-keypair.json " +
			"--rpc-bind-address 127.0.0.1:8899 --gossip-bind-address 127.0.0.1:8001 --snapshot-source none --log-level info " +
			"--known-validator 127.0.0.2:8001 --known-validator 127.0.0.3:8001"},
	}
	for _, tt := range tests {
		if got := strings.Join(SlonanaArgs(specs[tt.node-1], specs), " "); got != tt.want {
			t.Errorf("node %d:\n got %s\nwant %s", tt.node, got, tt.want)
		}
	}
}

func TestFilterEnv(t *testing.T) {
	env := []string{"PATH=/bin", "CI=true", "HOME=/h", "SLONANA_CI_MODE=1", "CIRCLE=x", "GITHUB_ACTIONS=true"}
	got := filterEnv(env, SlonanaEnvDrop)
	if want := []string{"PATH=/bin", "HOME=/h", "CIRCLE=x"}; !slices.Equal(got, want) {
		t.Errorf("filterEnv = %v, want %v", got, want)
	}
	if got := filterEnv(env, nil); !slices.Equal(got, env) {
		t.Errorf("no drop list changed env: %v", got)
	}
}
