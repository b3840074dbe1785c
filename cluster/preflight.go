package cluster

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// ClashError says an address:port a node needs is already taken.
type ClashError struct {
	Node     int
	Endpoint Endpoint
	Pid      int    // holder's pid, 0 when unknown
	Command  string // holder's command line, "" when unknown
	Err      error
}

func (e *ClashError) Error() string {
	msg := fmt.Sprintf("node %d: %s %s %s is in use", e.Node, e.Endpoint.Name, e.Endpoint.Network, e.Endpoint.Addr)
	switch {
	case e.Pid > 0 && e.Command != "":
		msg += fmt.Sprintf(" by pid %d (%s)", e.Pid, e.Command)
	case e.Pid > 0:
		msg += fmt.Sprintf(" by pid %d", e.Pid)
	default:
		msg += " (holder unknown: not visible in /proc to this user)"
	}
	return msg
}

func (e *ClashError) Unwrap() error { return e.Err }

// Preflight checks that every endpoint of every node can be bound now and
// that no two nodes share one. It returns every problem found, joined; a
// clash with another process names that process where /proc shows it.
// Preflight binds and releases each address at once; it starts nothing.
func Preflight(nodes []NodeSpec) error {
	var errs []error
	owner := map[string]int{}
	for _, n := range nodes {
		for _, e := range n.Listen {
			key := e.Network + " " + e.Addr
			if prev, dup := owner[key]; dup {
				errs = append(errs, fmt.Errorf("node %d: %s %s %s is also planned for node %d", n.ID, e.Name, e.Network, e.Addr, prev))
				continue
			}
			owner[key] = n.ID
			if err := tryBind(e); err != nil {
				errs = append(errs, bindError(n.ID, e, err))
			}
		}
	}
	return errors.Join(errs...)
}

func tryBind(e Endpoint) error {
	switch e.Network {
	case "tcp":
		l, err := net.Listen("tcp4", e.Addr)
		if err != nil {
			return err
		}
		return l.Close()
	case "udp":
		c, err := net.ListenPacket("udp4", e.Addr)
		if err != nil {
			return err
		}
		return c.Close()
	}
	return fmt.Errorf("unknown network %q", e.Network)
}

func bindError(node int, e Endpoint, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		ce := &ClashError{Node: node, Endpoint: e, Err: err}
		if h, ok := findHolder(e.Network, e.Addr); ok {
			ce.Pid, ce.Command = h.Pid, h.Command
		}
		return ce
	}
	if errors.Is(err, syscall.EADDRNOTAVAIL) {
		return fmt.Errorf("node %d: %s %s %s: address not available on this host (try --addr-plan ports): %w", node, e.Name, e.Network, e.Addr, err)
	}
	return fmt.Errorf("node %d: %s %s %s: %w", node, e.Name, e.Network, e.Addr, err)
}
