// Package config owns slonui's on-disk formats and the `init` file writer:
//
//  1. ValidatorConfig, the per-node validator.toml in the guide's sections
//     ([validator] [rpc] [gossip] [consensus] [ml_inference]) plus the
//     [devnet] section the built-in validator also needs. It is decoded
//     strictly (an unknown key is an error that names its file and line) on
//     top of DefaultValidatorConfig, then Validate reports every problem at
//     once, each naming the file and the key.
//  2. Genesis, the cluster's genesis.json: creation time, slot timing, the
//     staked validator set, the faucet and the shred version derived from
//     the genesis hash (Genesis.Hash documents the canonical encoding).
//  3. Plan, the pure address plan that gives every node its sockets
//     (loopback: one 127.0.0.x address per node with Solana's standard
//     ports; ports: every node on one address with stepped ports).
//  4. InitCluster, which writes a whole cluster directory for `slonui init`.
//
// Relative paths inside a validator.toml (identity_keypair, ledger_path,
// devnet.genesis, devnet.admin_token_path) are resolved against the current
// working directory of the process that reads the file, as in the guide's
// scripts and as slonana_validator does; they are not resolved against the
// file's own directory. InitCluster writes absolute paths, so its files work
// from any working directory.
//
// config imports only solana and go-toml. It starts no process, opens no
// socket and knows nothing of running clusters or terminals.
package config
