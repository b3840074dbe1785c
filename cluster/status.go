package cluster

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// PollOnce asks every node of specs once, all at the same time, each bounded
// by timeout, and returns what they answered as a Snapshot. It starts and
// stops nothing: it is for looking at a cluster another console runs. A
// node that answered is NodeRunning; one that did not is NodeStarting when
// its pidfile names a live process and NodeStopped otherwise, with PollErr
// saying why it did not answer.
func PollOnce(ctx context.Context, dir string, specs []NodeSpec, timeout time.Duration) Snapshot {
	views := make([]nodeView, len(specs))
	var wg sync.WaitGroup
	for i, spec := range specs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := nodeView{base: NodeSnapshot{ID: spec.ID, Identity: spec.Identity, RPCURL: spec.RPCURL, Gossip: spec.Gossip}}
			p, err := newRPCPoller(spec.RPCURL, spec.Identity, timeout)
			if err != nil {
				v.base.State, v.sample = NodeStopped, Sample{At: time.Now(), Err: err.Error()}
				views[i] = v
				return
			}
			defer p.Close()
			pctx, cancel := context.WithTimeout(ctx, timeout)
			s := p.Poll(pctx)
			cancel()
			v.sample = s
			pid := pidFromFile(spec.PidPath())
			switch {
			case s.Answered:
				v.base.State, v.ok = NodeRunning, s
				v.points = []point{{At: s.At, Slot: s.Slot, Txs: s.Txs}}
			case pid > 0 && processAlive(pid):
				v.base.State = NodeStarting
			default:
				v.base.State = NodeStopped
				pid = 0
			}
			v.base.Pid = pid
			views[i] = v
		}()
	}
	wg.Wait()
	abs, _ := filepath.Abs(dir)
	return buildSnapshot(time.Now(), abs, filepath.Base(abs), views, buildOptions{
		RateStep: time.Second, RatePoints: 1, TPSWindow: time.Second, ForkSlack: DefaultConfig().ForkSlack, Stale: time.Minute,
	})
}

// pidFromFile reads the pid (first field) of a node pidfile; 0 when absent.
func pidFromFile(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0
	}
	pid, _ := strconv.Atoi(f[0])
	return pid
}

// processAlive reports whether pid exists and is not a zombie.
func processAlive(pid int) bool {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return false
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}
