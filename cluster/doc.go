// Package cluster owns a running cluster of validator processes: the address
// plan's preflight check, one supervised process per node (package node), the
// pollers that ask every node over JSON-RPC, and the snapshots and events the
// console reads. It never imports the UI: the UI pulls copied Snapshots on a
// tick and receives rare Events through a channel.
//
// The life of a Cluster:
//
//  1. New(Config) checks the config (Validate joins every problem) and makes
//     one member per node, each with a log ring that lives as long as the
//     Cluster, so a restarted node continues its sequence numbers.
//  2. Start sweeps the processes a crashed earlier run left behind, only
//     those recorded in DIR/nodeI/validator.pid whose start time matches
//     (node.SweepStale); then Preflight binds and releases every planned
//     address:port (TCP or UDP) and, on a clash, names the node, the address
//     and, read from /proc, the pid and command holding it. Nothing starts
//     unless every check passes.
//  3. Start then spawns every node under a pty ("<self> validator --config
//     DIR/nodeI/config/validator.toml" by default), its output appended to
//     DIR/nodeI/validator.log, and one watcher goroutine per process that
//     records the exit (code or signal) and emits an Event.
//  4. One poller goroutine per node asks it every PollInterval (500 ms), in
//     one request (a batch), for getSlot at processed/confirmed/finalized,
//     getTransactionCount, getEpochInfo, getLatestBlockhash (processed) and
//     the recent chain's getBlocks and getBlock (see 5); every second poll
//     also for getVoteAccounts and isBlockhashValid of the other nodes' tips
//     (see 5), every fourth for getClusterNodes (peers change slowly and
//     the answers grow with the cluster); getLeaderSchedule once per epoch.
//     The console's own CPU is mostly these requests, so a poll is one
//     round trip and nothing else is asked that often.
//     Requests go through rpc.Client, which falls back to single requests
//     for a node that answers batches short (the real slonana). Each poll
//     has its own timeout, so a paused or hung node stalls only its own
//     poller. The first answer moves a node from starting to running.
//  5. Snapshot builds a copied value from the latest samples with a pure
//     builder: slot-rate history per node, cluster TPS (median over live
//     nodes of their transaction-count rate over 5 s), the leader of the
//     cluster's highest processed slot, and the number of live forks as
//     the nodes themselves answer it (chainForks): every poll reads the
//     node's processed tip hash (getLatestBlockhash), and about once a
//     second each node is asked isBlockhashValid(processed) for the other
//     live nodes' tip hashes; true means that tip is an ancestor of (or is)
//     its own, within 150 blocks. Nodes linked by such answers, in either
//     direction, are one chain; the chains are the forks. The evidence is up
//     to ~1 s old, and a node that has not built past the common ancestor
//     yet still counts as on one chain with the others (it is). Nodes that
//     cannot answer (the real slonana) fall back to heights (countForks:
//     processed tips further apart than ForkSlack count as separate
//     chains). Each node's own slonui_validator_live_forks gauge, scraped
//     from /metrics every 15 s, is passed through as NodeSnapshot.LiveForks
//     but not folded into Forks: it counts abandoned minor forks until the
//     root passes them and reads up to ~10 in a healthy 3-node cluster
//     before the first root.
//     The snapshot also carries, per node, its recent confirmed chain
//     (ChainBlock: slot, parent, hash; the poller's batch lists new slots
//     with getBlocks and fetches the slots an earlier poll listed with
//     getBlock, transactionDetails none, so a block arrives one poll after
//     it is confirmed; bounded to the last 64 slots) and the processed
//     slots it was seen at;
//     the fork groups (which nodes are on which chain); and the leader
//     schedule around the cluster's slot with produced and skipped slots.
//  6. Restart, Kill, Pause and Resume act on one node; StopAll stops every
//     node (TERM, grace, KILL), reports progress as events, stops the pollers
//     and closes the event channel.
//  7. Network faults (faults.go): New reads DIR's chaos topology and admin
//     token (chaos.LoadTopology) and holds the devnet backend; Partition
//     applies a partition, loss or delay plan to all nodes or none, Heal
//     removes every fault and starts the heal→converged stopwatch, and
//     PlanPreview gives a spec's sides and summary without applying it.
//     Faults show in Snapshot.Faults and Snapshot.Partition. A directory
//     without a topology leaves the cluster running, and every fault action
//     says why it cannot act (ErrNoChaos).
//  8. A history goroutine turns the live nodes' latest answers into a
//     check.Round every two poll intervals (10 minutes kept), stops the
//     stopwatch at the first converged round after a heal, and RunChecks
//     judges the rounds with package check (forks, converged, fork
//     resolution, recovered, vote activity, peer discovery).
//  9. The load engine (loadctl.go): StartLoad makes a load.Engine over every
//     node's RPC on first use and runs it under the cluster's own context;
//     StopLoad, SetLoadRate; StopAll stops it first. Its snapshot is copied
//     into Snapshot.LoadRun and summarised in Snapshot.Load.
//
// The package must not import bubbletea, bubbles, lipgloss or ui, must never
// block a poller or a watcher on a slow event reader (events are dropped,
// oldest first, when nobody reads), and must kill processes only by the pids
// it started or found in its own pidfiles.
package cluster
