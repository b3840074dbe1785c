// Package rpc is the console's client for Solana JSON-RPC nodes: typed calls
// for what the console and the load engine read (slots, transactions,
// cluster nodes, votes, leaders, blockhashes, balances, statuses, blocks),
// sending transactions and airdrops, batches that fall back to single
// requests for nodes that do not answer batches (the real slonana answers
// only a batch's first element), a Prometheus text scraper, and a pubsub
// client for slot and signature subscriptions.
//
// A Client is safe for concurrent use, reuses connections, and bounds every
// call by its timeout, so a stopped (SIGSTOPped) node never stalls a poller.
// Calls to a http:// node go over kept-alive HTTP/1.1 connections written
// and read in the calling goroutine (transport.go); requests and the
// answers pollers read every tick are written and read without reflection
// (jsonscan.go), any other shape through encoding/json. Pollers on ten
// nodes every 250 ms make this the console's largest cost, so keep it so.
// The load generator's hot calls go the same way: getSignatureStatuses
// is asked with signatures base58-encoded into a reused body (base58.go,
// encode.go) and its statuses read in one checking pass (statuses.go);
// sendTransaction's wire bytes are base64-encoded straight into the body.
// Decoding is tolerant where slonana differs from Agave (hex or base58
// hashes, a "unhealthy" health string). Errors a node returns are *Error
// with the JSON-RPC code.
//
// It must not import the UI or any console package; it knows nothing of
// clusters, only of one node URL at a time.
package rpc
