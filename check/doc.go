// Package check owns the cluster verdicts: pure functions from per-node
// samples (what the pollers saw over JSON-RPC and metrics) to answers a
// person or a script can act on.
//
//   - Forks: distinct processed tips not on one chain, and which nodes are on
//     which (from the nodes' parent links).
//   - Converged: every tip on one chain and equal hashes at a common
//     confirmed slot; ConvergenceTime measures heal → converged.
//   - Recovered: every node saw at least 16 new finalized slots since the
//     heal (Agave's check_for_new_roots), with the time it took.
//   - LeaderRotation: observed block producers against the schedule, and
//     skipped slots by leader.
//   - VoteActivity: every node's last vote advancing; delinquent ones named.
//   - PeerDiscovery: time from start until every node lists every other.
//   - Targets: the guide's performance targets table, target and pass
//     columns.
//
// What it must not do: poll, sleep, read a clock or import anything but the
// standard library. Time comes only from the samples.
package check
