// Package chaos owns fault plans and the backends that apply them to a
// running cluster.
//
//  1. A Topology is what a plan needs to know about the cluster: every node's
//     number, stake, the peer addresses other nodes cut it by, and its admin
//     API address. LoadTopology reads it from a cluster directory.
//  2. A Plan is pure: a partition (isolate, halves, stake split such as 7|3,
//     custom groups such as 1-3|4-7|8-10, the Jepsen shapes majorities-ring
//     and bridge), packet loss or delay (± jitter) per node or per link, heal,
//     or a process action (pause, resume, kill, restart). Before anything is
//     applied a partition knows each side's stake and whether that side can
//     still confirm (more than 2/3 of stake), and says so in one line.
//  3. Plan.Compile turns a network plan into per-node changes of
//     netfault.Rules: for each node the peers whose packets it must drop
//     (directed links), its loss and its delay.
//  4. The Devnet backend applies a compiled plan to every node through the
//     built-in validator's admin API, all nodes or none: when one node
//     refuses, the nodes already changed get their earlier rules back and
//     the error names the node that refused.
//
// What it must not do: perform process actions (pause, resume, kill and
// restart are plan steps the cluster supervisor executes), import the UI or
// the cluster supervisor, or touch anything but loopback addresses.
package chaos
