package ui

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"slonui/chaos"
	"slonui/cluster"
	"slonui/load"
	"slonui/scenario"
)

// stepLog is a Recorder that keeps the steps it was given.
type stepLog struct {
	mu    sync.Mutex
	steps []scenario.Step
}

func (r *stepLog) Record(_ time.Time, s scenario.Step) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps = append(r.steps, s)
	return nil
}

func (r *stepLog) all() []scenario.Step {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.steps)
}

// chaosModel is a model over n healthy nodes with a recorder.
func chaosModel(t *testing.T, f *fakeCluster, w, h int, readOnly bool) (Model, *stepLog) {
	t.Helper()
	rec := &stepLog{}
	o := testOptions()
	o.Recorder, o.ReadOnly = rec, readOnly
	m := New(f, o)
	m = update(t, m, tea.WindowSizeMsg{Width: w, Height: h})
	m = update(t, m, topoCmd(f)())
	return settle(t, m, f), rec
}

// drain runs cmd and every command its messages lead to (batches
// included, ticks excluded), feeding each message to the model.
func drain(t *testing.T, m Model, cmd tea.Cmd) Model {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		msg := c()
		switch msg := msg.(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
			continue
		case nil, resizeDueMsg:
			continue
		}
		var next tea.Cmd
		nm, next := m.Update(msg)
		m = nm.(Model)
		if _, isOp := msg.(opDoneMsg); !isOp {
			queue = append(queue, next)
		}
	}
	return m
}

// typeKeys presses keys one by one, running every command they start.
func typeKeys(t *testing.T, m Model, ks ...string) Model {
	t.Helper()
	for _, k := range ks {
		nm, cmd := m.Update(keyMsg(k))
		m = drain(t, nm.(Model), cmd)
	}
	return m
}

func TestPartitionPickerIsolatesSelectedNode(t *testing.T) {
	f := newFake(healthySnap(5))
	m, rec := chaosModel(t, f, 160, 48, false)
	m = typeKeys(t, m, "5", "p")
	if m.panel != panelPicker || m.picker.presets[0].spec != "isolate 5" {
		t.Fatalf("panel %v presets %+v", m.panel, m.picker.presets)
	}
	v := m.View()
	for _, want := range []string{"isolate node 5", "side A 80.0% can confirm; side B 20.0% cannot",
		"side B: nodes 5 — 20.0% of stake, cannot confirm", "halves", "majority/minority 4|1", "majorities ring", "bridge", "custom spec"} {
		if !strings.Contains(v, want) {
			t.Errorf("picker lacks %q:\n%s", want, v)
		}
	}
	m = typeKeys(t, m, "enter")
	if m.confirm == nil || !strings.Contains(m.confirm.prompt, "partition isolate 5 — side A 80.0% can confirm; side B 20.0% cannot? y/n") {
		t.Fatalf("confirm %+v", m.confirm)
	}
	if len(f.Calls()) != 0 {
		t.Fatalf("partition applied before confirming: %v", f.Calls())
	}
	m = typeKeys(t, m, "y")
	if got := f.Calls(); !slices.Equal(got, []string{"partition isolate 5"}) {
		t.Errorf("calls %v", got)
	}
	if got := rec.all(); len(got) != 1 || got[0].Isolate != 5 {
		t.Errorf("recorded %+v, want isolate 5", got)
	}
	if m.view != viewForks || m.panel != panelNone {
		t.Errorf("after partition: view %v panel %v, want the fork view", m.view, m.panel)
	}
}

func TestPickerCancelAppliesNothing(t *testing.T) {
	f := newFake(healthySnap(3))
	m, rec := chaosModel(t, f, 80, 24, false)
	m = typeKeys(t, m, "p", "down", "enter", "n")
	m = typeKeys(t, m, "p", "esc")
	if len(f.Calls()) != 0 || len(rec.all()) != 0 || m.panel != panelNone {
		t.Errorf("calls %v steps %v panel %v", f.Calls(), rec.all(), m.panel)
	}
}

// TestPickerPreviewAtTwoThirds types custom specs and checks the preview
// and the confirm prompt around the 2/3 line.
func TestPickerPreviewAtTwoThirds(t *testing.T) {
	tests := []struct {
		name   string
		stakes []uint64
		spec   string
		want   string
	}{
		{"2 of 3 equal is not more than 2/3", []uint64{1, 1, 1}, "1-2|3", "side A 66.7% — not more than 2/3: no side can confirm"},
		{"67 of 100 can confirm", []uint64{67, 33}, "1|2", "side A 67.0% can confirm; side B 33.0% cannot"},
		{"66 of 100 cannot", []uint64{66, 34}, "1|2", "side A 66.0% — not more than 2/3: no side can confirm"},
		{"7|3 of ten", []uint64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, "7|3", "side A 70.0% can confirm; side B 30.0% cannot"},
		{"halves of four", []uint64{1, 1, 1, 1}, "1-2|3-4", "side A 50.0% — not more than 2/3: no side can confirm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(healthySnap(len(tt.stakes)))
			f.topo = chaos.WeightedTopology(tt.stakes)
			m, _ := chaosModel(t, f, 160, 48, false)
			m = typeKeys(t, m, "p")
			for m.picker.presets[m.picker.cur].spec != "" {
				m = typeKeys(t, m, "down")
			}
			m = typeKeys(t, m, "enter")
			if m.mode != inputSpec {
				t.Fatalf("custom entry did not open the spec input (mode %v)", m.mode)
			}
			m = typeKeys(t, m, strings.Split(tt.spec, "")...)
			if v := m.View(); !strings.Contains(v, tt.want) {
				t.Errorf("preview lacks %q:\n%s", tt.want, v)
			}
			m = typeKeys(t, m, "enter")
			if m.confirm == nil || !strings.Contains(m.confirm.prompt, tt.want) {
				t.Errorf("confirm %+v, want %q", m.confirm, tt.want)
			}
		})
	}
}

func TestBadCustomSpecSaysWhy(t *testing.T) {
	f := newFake(healthySnap(3))
	m, _ := chaosModel(t, f, 80, 24, false)
	m = typeKeys(t, m, "p", "down", "down", "down", "down", "enter", "1", "|", "9", "enter")
	if m.confirm != nil || !m.statusErr || !strings.Contains(m.status, "partition:") {
		t.Errorf("status %q (err %v), confirm %+v", m.status, m.statusErr, m.confirm)
	}
}

func TestChaosKeysDisabledReasons(t *testing.T) {
	partitioned := healthySnap(3)
	partitioned.Partition = &cluster.PartitionView{Name: "isolate 3"}
	partitioned.Faults = "partition isolate 3"
	tests := []struct {
		name     string
		snap     cluster.Snapshot
		readOnly bool
		noChaos  bool
		keys     []string
		want     string
	}{
		{"heal without faults", healthySnap(3), false, false, []string{"h"}, "heal: nothing to heal: no partition, loss or delay in force"},
		{"partition read-only", healthySnap(3), true, false, []string{"p"}, "partition: read-only console"},
		{"heal read-only", partitioned, true, false, []string{"h"}, "heal: read-only console"},
		{"loss read-only", healthySnap(3), true, false, []string{"o"}, "loss/delay: read-only console"},
		{"pause read-only", healthySnap(3), true, false, []string{"z"}, "pause node: read-only console"},
		{"partition without backend", healthySnap(3), false, true, []string{"p"}, "partition: cluster: no network fault backend: no admin token"},
		{"stop load when idle", healthySnap(3), false, false, []string{"L"}, "stop load: no load running: l starts one"},
		{"rate when idle", healthySnap(3), false, false, []string{"+"}, "rate +25%: no load running: l starts one"},
		{"load read-only", healthySnap(3), true, false, []string{"l"}, "start load: read-only console"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(tc.snap)
			f.noChaos = tc.noChaos
			m, _ := chaosModel(t, f, 80, 24, tc.readOnly)
			m = typeKeys(t, m, tc.keys...)
			if m.status != tc.want || !m.statusErr {
				t.Errorf("status %q (err %v), want %q", m.status, m.statusErr, tc.want)
			}
			if len(f.Calls()) != 0 {
				t.Errorf("a disabled key called %v", f.Calls())
			}
		})
	}
}

func TestHealWhilePartitioned(t *testing.T) {
	s := healthySnap(3)
	s.Partition = &cluster.PartitionView{Name: "isolate 3"}
	s.Faults = "partition isolate 3"
	f := newFake(s)
	m, rec := chaosModel(t, f, 80, 24, false)
	m = typeKeys(t, m, "h")
	if got := f.Calls(); !slices.Equal(got, []string{"heal"}) {
		t.Fatalf("calls %v", got)
	}
	if got := rec.all(); len(got) != 1 || !got[0].Heal {
		t.Errorf("recorded %+v", got)
	}
	m = settle(t, m, f)
	if m.keys.Chaos.Heal.Enabled() {
		t.Error("heal still enabled with nothing left to heal")
	}
}

func TestLossDelayForm(t *testing.T) {
	tests := []struct {
		typed string
		call  string
		check func(scenario.Step) bool
	}{
		{"10% on 3", "partition loss 10% on node 3", func(s scenario.Step) bool { return s.Loss != nil && *s.Loss == 10 && s.Node == "3" }},
		{"100ms±20ms", "partition delay 100ms ±20ms", func(s scenario.Step) bool { return s.Delay == "100ms" && s.Jitter == "20ms" }},
		{"0%", "partition loss 0%", func(s scenario.Step) bool { return s.Loss != nil && *s.Loss == 0 }},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			f := newFake(healthySnap(3))
			m, rec := chaosModel(t, f, 80, 24, false)
			m = typeKeys(t, m, "o")
			m = typeKeys(t, m, strings.Split(tt.typed, "")...)
			m = typeKeys(t, m, "enter")
			calls := f.Calls()
			if len(calls) != 1 || !strings.HasPrefix(calls[0], "partition ") {
				t.Fatalf("calls %v (status %q)", calls, m.status)
			}
			plan, _, _ := parseFault(chaos.EqualTopology(3), tt.typed)
			if calls[0] != "partition "+plan.Name {
				t.Errorf("call %q, want the plan %q", calls[0], plan.Name)
			}
			if got := rec.all(); len(got) != 1 || !tt.check(got[0]) {
				t.Errorf("recorded %+v", got)
			}
		})
	}
	f := newFake(healthySnap(3))
	m, _ := chaosModel(t, f, 80, 24, false)
	m = typeKeys(t, m, "o", "l", "o", "t", "s", "enter")
	if len(f.Calls()) != 0 || !m.statusErr {
		t.Errorf("bad form: calls %v status %q", f.Calls(), m.status)
	}
}

func TestChecksPanel(t *testing.T) {
	f := newFake(healthySnap(3))
	f.report = cluster.CheckReport{At: fixedNow, Rounds: 40, Results: []cluster.CheckResult{
		{Name: "forks", Value: "1", Target: "1", Pass: true},
		{Name: "fork resolution", Value: "1.2s", Target: "< 60s (pass < 120s)", Pass: true},
		{Name: "vote activity", Value: "2/3 advancing", Target: "every node's last vote advancing", Detail: "node 3 stalled"},
	}}
	m, rec := chaosModel(t, f, 160, 48, false)
	m = typeKeys(t, m, "c")
	if m.panel != panelChecks || m.status != "checks: 2/3 pass" {
		t.Fatalf("panel %v status %q", m.panel, m.status)
	}
	v := m.View()
	for _, want := range []string{"fork resolution", "1.2s", "PASS", "FAIL", "node 3 stalled"} {
		if !strings.Contains(v, want) {
			t.Errorf("checks panel lacks %q", want)
		}
	}
	if got := rec.all(); len(got) != 1 || got[0].Check != scenario.CheckVotes {
		t.Errorf("recorded %+v", got)
	}
	m = typeKeys(t, m, "esc")
	if m.panel != panelNone {
		t.Error("esc did not close the checks panel")
	}
}

func TestLoadKeys(t *testing.T) {
	f := newFake(healthySnap(3))
	m, rec := chaosModel(t, f, 80, 24, false)
	m = typeKeys(t, m, "l")
	if m.mode != inputLoad || m.input.Value() != defaultLoadSpec {
		t.Fatalf("mode %v value %q", m.mode, m.input.Value())
	}
	m = typeKeys(t, m, "enter")
	want := fmt.Sprintf("load start %s [100 500 1000] 20s 5s", load.Steps)
	if got := f.Calls(); !slices.Equal(got, []string{want}) {
		t.Fatalf("calls %v, want %q", got, want)
	}
	m = settle(t, m, f)
	if got := rec.all(); len(got) != 1 || got[0].Load != "100,500,1000" || got[0].Duration != "20s" || got[0].Cooldown != "5s" {
		t.Errorf("recorded %+v, want load 100,500,1000 for 20s with 5s cool-down", got)
	}
	if m.view != viewLoad || !m.keys.Load.Stop.Enabled() || m.keys.Load.Start.Enabled() {
		t.Fatalf("view %v stop %v start %v", m.view, m.keys.Load.Stop.Enabled(), m.keys.Load.Start.Enabled())
	}
	m = typeKeys(t, m, "+")
	m = settle(t, m, f)
	m = typeKeys(t, m, "-", "L")
	got := f.Calls()[1:]
	if !slices.Equal(got, []string{"load rate 125", "load rate 100", "load stop"}) {
		t.Errorf("calls %v", got)
	}
}

func TestParseLoadSpec(t *testing.T) {
	tests := []struct {
		in   string
		want load.Plan
		err  bool
	}{
		{"100,500 step 10s cooldown 2s", load.StepsPlan([]float64{100, 500}, 10*time.Second, 2*time.Second), false},
		{"250 for 30s", load.ConstantPlan(250, 30*time.Second), false},
		{"ramp 10-1000 over 1m", load.RampPlan(10, 1000, time.Minute), false},
		{"", load.Plan{}, true},
		{"fast", load.Plan{}, true},
		{"100 for", load.Plan{}, true},
		{"100 every 1s", load.Plan{}, true},
	}
	for _, tt := range tests {
		got, err := parseLoadSpec(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("%q: err %v", tt.in, err)
			continue
		}
		if !tt.err && (got.Kind != tt.want.Kind || !slices.Equal(got.Rates, tt.want.Rates) || got.Step != tt.want.Step || got.Cooldown != tt.want.Cooldown) {
			t.Errorf("%q: %+v, want %+v", tt.in, got, tt.want)
		}
	}
}
