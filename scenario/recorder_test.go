package scenario

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRecorderReplays: a recorded session parses back as a scenario whose
// steps are the recorded actions at their times, in order.
func TestRecorderReplays(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 25, 19, 0, 0, 0, time.UTC)
	path := SessionPath(dir, start)
	if want := filepath.Join(dir, "sessions", "20261125T190000Z.toml"); path != want {
		t.Fatalf("session path %s, want %s", path, want)
	}
	rec, err := NewRecorder(path, start, 5, 200)
	if err != nil {
		t.Fatal(err)
	}
	loss := 12.5
	steps := []struct {
		after time.Duration
		step  Step
	}{
		{12 * time.Second, Step{Isolate: 5, After: "ignored"}},
		{14500 * time.Millisecond, Step{Loss: &loss, Node: "2"}},
		{20 * time.Second, Step{Heal: true}},
		{21234567 * time.Microsecond, Step{Check: CheckForkResolution, Max: "60s"}},
		{30 * time.Second, Step{Pause: 3}},
	}
	for _, s := range steps {
		if err := rec.Record(start.Add(s.after), s.step); err != nil {
			t.Fatal(err)
		}
	}
	if err := rec.Record(start.Add(time.Minute), Step{Isolate: 1, Heal: true}); err == nil {
		t.Error("a step with two actions was recorded")
	}
	if _, err := NewRecorder(path, start, 5, 200); err == nil {
		t.Error("NewRecorder replaced an existing session")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := Parse(path, data)
	if err != nil {
		t.Fatalf("recorded file does not parse: %v\n%s", err, data)
	}
	if sc.Nodes() != 5 || sc.SlotMS() != 200 {
		t.Errorf("start step: %d nodes, %d ms", sc.Nodes(), sc.SlotMS())
	}
	wantAt := []string{"12s", "14.5s", "20s", "21.235s", "30s"}
	wantWhat := []string{"isolate 5", "loss 12.5% on node 2", "heal", "check fork-resolution", "pause 3"}
	if len(sc.Steps) != 1+len(wantAt) {
		t.Fatalf("%d steps, want %d:\n%s", len(sc.Steps), 1+len(wantAt), data)
	}
	for i, s := range sc.Steps[1:] {
		if s.At != wantAt[i] || s.After != "" || describe(s) != wantWhat[i] {
			t.Errorf("step %d: at %q after %q %q; want at %q %q", i+2, s.At, s.After, describe(s), wantAt[i], wantWhat[i])
		}
	}
}

// TestReportText: the text report lists steps with times and checks with
// value, threshold and verdict, and names the failing check.
func TestReportText(t *testing.T) {
	r := &Report{Scenario: "x", File: "x.toml", Nodes: 5, SlotMS: 200, Dir: "/tmp/c"}
	r.addStep(StepResult{Step: 1, Action: "isolate 5", At: 2500 * time.Millisecond, Detail: "side A 80.0% can confirm"}, nil)
	r.addCheck(CheckResult{Name: CheckPeerDiscovery, Value: "1.2s", Threshold: "≤ 1ms", Reason: "more than 1ms"})
	r.fail("check peer-discovery (step 2, x.toml line 9) failed: more than 1ms")
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"2.5s  step 1  isolate 5: side A 80.0% can confirm", "FAIL  peer-discovery: 1.2s (threshold ≤ 1ms)",
		"FAIL: check peer-discovery (step 2, x.toml line 9)"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("report lacks %q:\n%s", w, b.String())
		}
	}
	b.Reset()
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Pass    bool
		Failure string
		Checks  []CheckResult
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.Pass || len(back.Checks) != 1 || back.Checks[0].Name != CheckPeerDiscovery {
		t.Errorf("JSON report: %+v %v\n%s", back, err, b.String())
	}
}
