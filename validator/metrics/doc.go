// Package metrics defines the built-in validator's Prometheus metrics, under
// the names slonana's own dashboards and alerts expect where they name one
// (slonana_validator_current_slot, slonana_validator_votes_total,
// slonana_transactions_processed_total, slonana_network_peers_connected, …;
// PROTOCOL.md §5.2), and slonui_validator_* for the rest.
//
// It owns the metric definitions and their setters, which the validator
// process calls as things happen. It registers into a prometheus.Registerer
// the caller passes in (never the global default registry) and serves
// nothing itself: the RPC server exposes the registry at /metrics.
package metrics
