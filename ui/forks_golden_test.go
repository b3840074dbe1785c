package ui

import (
	"fmt"
	"time"

	"slonui/chaos"
	"slonui/cluster"
	"slonui/load"
)

// forkSnap is five nodes after node 5 was isolated (split: two chains,
// node 5 on its own blocks from slot 1203) or after the heal (one chain,
// the stopwatch stopped at 1.4 s).
func forkSnap(split bool) cluster.Snapshot {
	s := healthySnap(5)
	topo := chaos.EqualTopology(5)
	chain := func(from, to uint64, skip ...uint64) []cluster.ChainBlock {
		var out []cluster.ChainBlock
		parent := from - 1
		for sl := from; sl <= to; sl++ {
			skipped := false
			for _, k := range skip {
				skipped = skipped || k == sl
			}
			if skipped {
				continue
			}
			out = append(out, cluster.ChainBlock{Slot: sl, Parent: parent, Hash: fmt.Sprintf("h%d", sl)})
			parent = sl
		}
		return out
	}
	for i := range s.Nodes {
		n := &s.Nodes[i]
		n.Slot, n.Confirmed = 1214+uint64(i%2), 1212
		n.Chain = chain(1196, 1212, 1203, 1208)
		n.Tips = []uint64{1210, 1211, 1212, n.Slot}
		n.Peers = 4
	}
	s.ForkGroups = [][]int{{1, 2, 3, 4, 5}}
	s.Forks = 1
	if split {
		p, _ := chaos.Isolate(topo, 5)
		s.Partition = &cluster.PartitionView{Name: p.Name, Summary: p.Summary(topo), Sides: p.Sides(topo), Since: fixedNow.Add(-20 * time.Second)}
		s.Faults = "partition " + p.Name
		n5 := &s.Nodes[4]
		n5.Peers, n5.Confirmed, n5.Slot = 0, 1202, 1208
		n5.Chain = chain(1196, 1202)
		n5.Tips = []uint64{1203, 1208}
		for i := range 4 {
			s.Nodes[i].Peers = 3
		}
		s.ForkGroups = [][]int{{1, 2, 3, 4}, {5}}
		s.Forks = 2
	} else {
		s.HealAt, s.ConvergedAt = fixedNow.Add(-5*time.Second), fixedNow.Add(-5*time.Second+1400*time.Millisecond)
	}
	for sl := uint64(1202); sl <= 1226; sl++ {
		l := cluster.SlotLeader{Slot: sl, Node: int((sl-1200)/4)%5 + 1, Current: sl == 1214}
		if sl == 1203 || sl == 1208 {
			l.Node = 5
		}
		switch {
		case sl > 1214:
		case sl == 1203 || sl == 1208:
			// Node 5's slots: its own blocks while cut off, skipped
			// by the others once they chose their fork.
			l.Skipped = !split
			l.Produced = split
		default:
			l.Produced = true
		}
		s.Leaders = append(s.Leaders, l)
	}
	return s
}

// checksReport is a report with a pass, a fail and a detail.
func checksReport() cluster.CheckReport {
	return cluster.CheckReport{At: fixedNow, Rounds: 240, Results: []cluster.CheckResult{
		{Name: "forks", Value: "1", Target: "1", Pass: true},
		{Name: "converged", Value: "yes at slot 1212", Target: "one chain, equal hashes", Pass: true},
		{Name: "fork resolution", Value: "1.4s", Target: "< 60s (pass < 120s)", Pass: true},
		{Name: "recovered", Value: "≥ 9 new roots", Target: "16 new roots on every node", Detail: "node 5: 9 of 16 new roots"},
		{Name: "vote activity", Value: "5/5 advancing", Target: "every node's last vote advancing", Pass: true},
		{Name: "peer discovery", Value: "2.1s", Target: "< 30s (pass < 60s)", Pass: true},
	}}
}

// loadSnap is a ramp in its second step.
func loadSnap() cluster.Snapshot {
	s := healthySnap(3)
	s.LoadRun = load.Snapshot{
		Phase: load.PhaseRunning, Plan: load.StepsPlan([]float64{100, 500, 1000}, 20*time.Second, 5*time.Second),
		Step: 1, Rate: 500, Elapsed: 33 * time.Second,
		Planned: 6500, Sent: 6480, Accepted: 6470, Landed: 6300, Dropped: 20, Pending: 170,
		Latency: map[string]load.Percentiles{
			"send":      {Count: 6480, P50: 2, P95: 6, P99: 11, Max: 40},
			"processed": {Count: 6300, P50: 210, P95: 390, P99: 450, Max: 610},
			"confirmed": {Count: 6200, P50: 820, P95: 1100, P99: 1300, Max: 1700},
		},
		StepReports: []load.StepReport{{Step: 0, TargetTPS: 100, AchievedTPS: 99.8, LandedTPS: 99.1, Landed: 1982,
			Latency: map[string]load.Percentiles{"confirmed": {P99: 900}}}},
	}
	for i := range 33 {
		v := uint64(100)
		if i > 25 {
			v = 500
		}
		s.LoadRun.SentTPS = append(s.LoadRun.SentTPS, v)
		s.LoadRun.LandedTPS = append(s.LoadRun.LandedTPS, v-uint64(i%3)*10)
	}
	s.Load = cluster.LoadLine(s.LoadRun)
	return s
}
