// Package rpcservertest runs the real rpcserver over an in-memory Backend
// (Fake) on loopback, for tests of JSON-RPC and pubsub clients. It holds no
// consensus: what tests built on it prove is the wire, not the chain.
package rpcservertest
