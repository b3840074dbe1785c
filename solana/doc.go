// Package solana holds the protocol primitives that every other package of
// slonui speaks: base58 keys, signatures and hashes, Solana CLI keypair files,
// the compact-u16 ("short_vec") encoding, the legacy Message and Transaction
// wire format with its sanitize rules, ed25519 signing and verification, and
// the System and Memo instruction encodings.
//
// It imports only the standard library and mr-tron/base58. It knows nothing of
// RPC, clusters or terminals.
package solana
