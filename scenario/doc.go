// Package scenario owns headless scenarios: a TOML file of timed steps that
// starts a cluster, breaks it (partitions, loss, delay, pauses, kills,
// restarts), heals it and judges it with the checks of package check.
//
// The architecture table puts scenarios in cluster/; they live in their own
// package so that cluster/ stays small and two people do not edit one
// package at once. scenario uses cluster, chaos, check, config and rpc;
// nothing in those packages imports it.
//
// The life of a run:
//
//  1. Parse decodes a file strictly (an unknown key is an error with its
//     line) and Validate names the file, line and key of every problem, all
//     at once. Built-ins are embedded TOML files (builtin/*.toml) in the same
//     format; a session the console records (Recorder appends one [[step]]
//     with its "at" time per action) replays the same way.
//  2. Run initialises a fresh cluster in its directory, starts it, and
//     starts one sampler goroutine that asks every node every ~250 ms for
//     its slots, its processed tip hash, which of the other nodes' tips lie
//     on its own fork (isBlockhashValid) and the hash of the lowest
//     confirmed slot: the check.Samples the verdicts need.
//  3. Steps run in order, each "at" a time since the start or "after" a
//     duration or a condition (converged, recovered, slot >= N, peers ==
//     all, forks >= 2) with a timeout. Network faults go through the chaos devnet
//     backend; pause, resume, kill and restart through the cluster.
//  4. A check step waits until its verdict passes or its threshold has
//     passed, then records the value, the threshold and PASS or FAIL.
//     Converged (the fork-resolution check and the "converged" condition)
//     is check.Converged plus catch-up: every processed tip within 32 slots
//     (max_behind) of the highest, so a node that fell back to the last
//     block both sides share, and stays there, does not count.
//  5. Every node is stopped at the end, also on an error or a cancelled
//     context, and the Report says what happened when.
//
// What it must not do: import the UI, touch anything but loopback
// addresses, or leave a process running.
package scenario
