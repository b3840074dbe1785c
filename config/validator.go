package config

// ValidatorConfig is one node's validator.toml. The first five sections are
// the guide's; [devnet] holds what the built-in validator also needs.
// Relative paths are resolved against the working directory (see doc.go).
type ValidatorConfig struct {
	Validator   ValidatorSection   `toml:"validator"`
	RPC         RPCSection         `toml:"rpc"`
	Gossip      GossipSection      `toml:"gossip"`
	Consensus   ConsensusSection   `toml:"consensus"`
	MLInference MLInferenceSection `toml:"ml_inference"`
	Devnet      DevnetSection      `toml:"devnet"`

	// Path is the file the config came from; it prefixes every error.
	// Empty for a config built in code.
	Path string `toml:"-"`
}

// ValidatorSection is [validator].
type ValidatorSection struct {
	IdentityKeypair string `toml:"identity_keypair"` // Solana CLI keypair file
	LedgerPath      string `toml:"ledger_path"`      // directory for the node's ledger
}

// RPCSection is [rpc]: JSON-RPC over HTTP.
type RPCSection struct {
	BindAddress string `toml:"bind_address"` // IP:port
	Enable      bool   `toml:"enable"`
}

// GossipSection is [gossip].
type GossipSection struct {
	BindAddress string `toml:"bind_address"` // IP:port (UDP)
	Entrypoint  string `toml:"entrypoint"`   // IP:port of a peer's gossip; empty for the first node
}

// ConsensusSection is [consensus].
type ConsensusSection struct {
	// ExpectedShredVersion must match the genesis' shred version; 0 means
	// "take it from the genesis".
	ExpectedShredVersion uint16 `toml:"expected_shred_version"`
	EnableVoting         bool   `toml:"enable_voting"`
}

// MLInferenceSection is [ml_inference] (Slonana's ML inference program).
type MLInferenceSection struct {
	Enable    bool `toml:"enable"`
	MaxAgents int  `toml:"max_agents"`
}

// DevnetSection is [devnet]: what the built-in validator needs beyond the
// guide's sections.
type DevnetSection struct {
	Genesis        string `toml:"genesis"`          // path of genesis.json
	PubsubAddress  string `toml:"pubsub_address"`   // WebSocket pubsub, IP:port (RPC port + 1 by convention)
	TPUAddress     string `toml:"tpu_address"`      // transactions in, UDP
	TVUAddress     string `toml:"tvu_address"`      // shreds in, UDP
	RepairAddress  string `toml:"repair_address"`   // repair requests, UDP
	AdminAddress   string `toml:"admin_address"`    // fault-injection admin API, HTTP
	AdminTokenPath string `toml:"admin_token_path"` // file holding the admin API token
	LogLevel       string `toml:"log_level"`        // debug|info|warn|error
	PeerExpiryMS   int    `toml:"peer_expiry_ms"`   // drop a gossip peer unheard for this long
}

// Log levels accepted by devnet.log_level.
var LogLevels = []string{"debug", "info", "warn", "error"}

// DefaultPeerExpiryMS is devnet.peer_expiry_ms when the file does not set it.
const DefaultPeerExpiryMS = 15000

// DefaultValidatorConfig is node 1 of the default loopback plan with the
// guide's settings; paths are relative to the working directory. Keys a
// file leaves out keep these values.
func DefaultValidatorConfig() ValidatorConfig {
	a := defaultNode1()
	return ValidatorConfig{
		Validator:   ValidatorSection{IdentityKeypair: "validator-keypair.json", LedgerPath: "ledger"},
		RPC:         RPCSection{BindAddress: a.RPC.String(), Enable: true},
		Gossip:      GossipSection{BindAddress: a.Gossip.String()},
		Consensus:   ConsensusSection{EnableVoting: true},
		MLInference: MLInferenceSection{Enable: true, MaxAgents: 1000},
		Devnet: DevnetSection{
			Genesis:        "genesis.json",
			PubsubAddress:  a.Pubsub.String(),
			TPUAddress:     a.TPU.String(),
			TVUAddress:     a.TVU.String(),
			RepairAddress:  a.Repair.String(),
			AdminAddress:   a.Admin.String(),
			AdminTokenPath: "admin.token",
			LogLevel:       "info",
			PeerExpiryMS:   DefaultPeerExpiryMS,
		},
	}
}

func defaultNode1() NodeAddrs {
	nodes, err := Plan(PlanLoopback, 1, DefaultAddrBase, 0)
	if err != nil {
		panic("config: default plan: " + err.Error())
	}
	return nodes[0]
}
