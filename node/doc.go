// Package node owns one supervised child process under a pseudo-terminal:
// the validator the console runs for one node of a cluster.
//
// The life of a Process:
//
//  1. Start opens a pty (creack/pty), starts the child as the leader of its
//     own session and process group, asks Linux to SIGKILL it when the
//     console dies (Pdeathsig), and records its pid and kernel start time in
//     a pidfile so a later run can tell our orphan from a recycled pid.
//  2. One reader goroutine, started at once, drains the pty master for as
//     long as the pty lives. A validator whose output nobody reads freezes on
//     a full pty buffer, so the reader never pauses: every raw byte is
//     appended to the log file (buffered, flushed at least every 200 ms and
//     at the end), and the stream is split into lines (SGR colour kept, every
//     other control sequence dropped, a lone CR overwrites the line) that go
//     into a bounded Ring with rising sequence numbers. EIO from the master
//     is the normal end of stream.
//  3. One waiter goroutine calls cmd.Wait exactly once and keeps the exit
//     code or signal; Done is closed when the child has been reaped and its
//     output drained.
//  4. Stop sends SIGTERM to the process group, waits up to the grace period,
//     then SIGKILLs the group (the child and everything it started) and
//     removes the pidfile. Restart is the caller's Stop followed by Start with
//     the same Config; Config.Ring carries the ring over so sequence numbers
//     keep rising, and the log file is opened in append mode.
//  5. SweepStale stops the children of a crashed earlier run, found only
//     through their pidfiles and only when pid and start time both match.
//     Nothing is ever killed by name.
//
// The package imports only the standard library and creack/pty. It knows
// nothing of clusters, RPC or terminals' screens: the console reads rings by
// sequence number on its own tick.
package node
