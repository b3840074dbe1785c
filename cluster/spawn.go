package cluster

import (
	"context"

	"slonui/node"
)

// spawnNode starts spec's validator under a pty with package node: by
// default "<self> validator --config FILE", its output appended to
// DIR/nodeI/validator.log and its pid recorded in DIR/nodeI/validator.pid.
func (c *Cluster) spawnNode(ctx context.Context, spec NodeSpec, ring *node.Ring) (process, error) {
	nc := node.DefaultConfig()
	nc.ID = spec.ID
	if len(spec.Command) > 0 {
		nc.Path, nc.Args = spec.Command[0], spec.Command[1:]
	} else {
		nc.Path = c.cfg.Program
		nc.Args = []string{"validator", "--config", spec.ConfigPath}
		if c.cfg.Args != nil {
			nc.Args = c.cfg.Args(spec)
		}
	}
	// TERM=dumb: every binary that links bubbletea v1 (slonui itself)
	// queries the terminal's colours from a package init and waits 5 s for
	// an answer nobody on the pty gives; termenv skips the query for a dumb
	// terminal. Config.Env comes after, so it can set TERM back.
	nc.Env = append(append(filterEnv(osEnviron(), c.cfg.EnvDrop), "TERM=dumb"), c.cfg.Env...)
	nc.Dir = spec.Dir
	nc.LogFile = spec.LogPath()
	nc.PidFile = spec.PidPath()
	nc.Ring = ring
	nc.Cols, nc.Rows = c.cfg.Cols, c.cfg.Rows
	nc.StopGrace = c.cfg.StopGrace
	p, err := node.Start(ctx, nc)
	if err != nil {
		return nil, err
	}
	return p, nil
}
