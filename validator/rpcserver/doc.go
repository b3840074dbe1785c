// Package rpcserver is the built-in validator's Solana JSON-RPC 2.0 server
// (HTTP), its WebSocket pubsub server and the HTTP side endpoints that share
// the RPC port (/health, /metrics, /api/v1/metrics, /api/v1/tower_state).
//
// It owns the wire: the request envelope (single and batch), parameter
// decoding, commitment handling, Agave's result shapes, error codes and
// messages (PROTOCOL.md §1), and the pubsub subscriptions. It answers from a
// Backend, a consumer-side interface that the validator process implements
// over its consensus core.
//
// A body is read in one pass (request.go over the scanner in jsonscan.go):
// it is validated as json.Valid would, split into requests and their
// members, and params into raw elements; encoding/json decodes only config
// objects and the uncommon cases. The hot replies (a signature, a list of
// signature statuses) are written directly. Both sides are tested to match
// encoding/json byte for byte, with a fuzz target.
//
// Lifecycle:
//  1. The process builds a Backend and calls New(backend, cfg).
//  2. It binds the RPC listener and the pubsub listener (RPC port + 1) and
//     calls Serve(ctx, rpcLn, pubsubLn), which runs until ctx is cancelled and
//     then shuts both servers down, closing every WebSocket.
//  3. Tests may mount Handler() and PubsubHandler() on httptest servers
//     instead; PubsubHandler's event loop then runs under RunPubsub(ctx).
//
// It must not hold consensus state of its own, block the backend (it only
// reads from it; events arrive on a channel the backend never blocks on), or
// import the console's packages (cluster, load, chaos, ui).
package rpcserver
