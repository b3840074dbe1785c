package load

import (
	"testing"
	"time"
)

func TestStatsSeriesAndReports(t *testing.T) {
	start := time.Unix(1000, 0)
	at := func(ms int) time.Time { return start.Add(time.Duration(ms) * time.Millisecond) }
	plan := StepsPlan([]float64{3, 2}, 2*time.Second, time.Second)
	st := newStats(plan.NumSteps(), start)
	// Step 0: three sends in second 0, one failed; two land in second 1.
	st.sendDone(0, at(0), at(10), "")
	st.sendDone(0, at(300), at(310), "")
	st.sendDone(0, at(600), at(900), "rpc -32005")
	st.dropped(0)
	st.reached(0, LatProcessed, at(0), at(1200), true)
	st.reached(0, LatConfirmed, at(0), at(1500), true)
	st.reached(0, LatProcessed, at(300), at(1400), true)
	// Step 1: one send in second 3, which expires.
	st.sendDone(1, at(3000), at(3000), "")
	st.expired(1)

	sent, landed := st.series(10)
	wantSent, wantLanded := []uint64{3, 0, 0, 1}, []uint64{0, 2, 0, 0}
	for i := range wantSent {
		if sent[i] != wantSent[i] || landed[i] != wantLanded[i] {
			t.Fatalf("series sent %v landed %v, want %v %v", sent, landed, wantSent, wantLanded)
		}
	}
	if s, l := st.series(2); len(s) != 2 || s[1] != 1 || len(l) != 2 {
		t.Errorf("last 2 seconds: sent %v landed %v, want [0 1] and two landings slots", s, l)
	}

	steps, tot := st.reports(plan, 5*time.Second)
	s0 := steps[0]
	if s0.Planned != 4 || s0.Sent != 3 || s0.Accepted != 2 || s0.Dropped != 1 || s0.Landed != 2 || s0.Failed["rpc -32005"] != 1 {
		t.Errorf("step 1 %+v", s0)
	}
	if s0.AchievedTPS != 1.5 || s0.LandedTPS != 1 || s0.TargetTPS != 3 {
		t.Errorf("step 1 rates: target %v achieved %v landed %v, want 3, 1.5, 1", s0.TargetTPS, s0.AchievedTPS, s0.LandedTPS)
	}
	if p := s0.Latency["processed"]; p.Count != 2 || p.Max < 1199 || p.Max > 1201 {
		t.Errorf("processed latency %+v, want 2 samples, max 1200 ms", p)
	}
	if p := s0.Latency["send"]; p.Count != 3 || p.Max < 299 || p.Max > 301 {
		t.Errorf("send latency %+v, want 3 samples, max 300 ms", p)
	}
	if steps[1].Expired != 1 || steps[1].AchievedTPS != 0.5 {
		t.Errorf("step 2: expired %d achieved %v, want 1 and 0.5 (1 send over the 2 s step)", steps[1].Expired, steps[1].AchievedTPS)
	}
	if tot.Sent != 4 || tot.Planned != 5 || tot.AchievedTPS != 1 {
		t.Errorf("total sent %d planned %d achieved %v, want 4, 5, 1 (4 sends over 4 s of steps)", tot.Sent, tot.Planned, tot.AchievedTPS)
	}
	// A step not reached yet has no rate.
	steps, _ = st.reports(plan, time.Second)
	if steps[1].AchievedTPS != 0 || steps[0].AchievedTPS != 3 {
		t.Errorf("after 1 s: achieved %v, %v; want 3 (3 sends in 1 s), 0", steps[0].AchievedTPS, steps[1].AchievedTPS)
	}
}
