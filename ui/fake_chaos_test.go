package ui

import (
	"context"
	"errors"
	"fmt"
	"time"

	"slonui/chaos"
	"slonui/cluster"
	"slonui/load"
)

// The fake's network faults and load follow the real cluster's rules on
// its own state: a partition shows in the next snapshot's Faults and
// Partition, a heal clears them and sets HealAt.

func (f *fakeCluster) Chaos() (chaos.Topology, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.noChaos {
		return chaos.Topology{}, errors.New("cluster: no network fault backend: no admin token")
	}
	if f.topo.Len() > 0 {
		return f.topo, nil
	}
	return chaos.EqualTopology(len(f.snap.Nodes)), nil
}

func (f *fakeCluster) Partition(ctx context.Context, p chaos.Plan) error {
	f.record("partition %s", p.Name)
	topo, err := f.Chaos()
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if p.Kind == chaos.KindPartition {
		f.snap.Partition = &cluster.PartitionView{Name: p.Name, Summary: p.Summary(topo), Sides: p.Sides(topo), Since: fixedNow}
		f.snap.Faults = "partition " + p.Name
	} else {
		f.snap.Faults = p.Name
	}
	return nil
}

func (f *fakeCluster) Heal(ctx context.Context) error {
	f.record("heal")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snap.Partition, f.snap.Faults = nil, ""
	f.snap.HealAt, f.snap.ConvergedAt = fixedNow.Add(-2*time.Second), time.Time{}
	return nil
}

func (f *fakeCluster) RunChecks(ctx context.Context) cluster.CheckReport {
	f.record("checks")
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.report
}

func (f *fakeCluster) StartLoad(ctx context.Context, p load.Plan) error {
	f.record("load start %s %v %s %s", p.Kind, p.Rates, p.Step, p.Cooldown)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snap.LoadRun = load.Snapshot{Phase: load.PhaseRunning, Plan: p, Step: 0, Rate: p.Rates[0]}
	f.snap.Load = cluster.LoadLine(f.snap.LoadRun)
	return nil
}

func (f *fakeCluster) StopLoad(ctx context.Context) error {
	f.record("load stop")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snap.LoadRun.Phase = load.PhaseStopped
	f.snap.Load = cluster.LoadLine(f.snap.LoadRun)
	return nil
}

func (f *fakeCluster) SetLoadRate(rate float64) error {
	f.record("load rate %s", fmt.Sprint(rate))
	f.mu.Lock()
	defer f.mu.Unlock()
	f.snap.LoadRun.Rate = rate
	return nil
}
