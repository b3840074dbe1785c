package scenario

import (
	"reflect"
	"testing"
	"time"

	"slonui/load"
)

func TestLoadStepRoundTrip(t *testing.T) {
	for _, p := range []load.Plan{
		load.ConstantPlan(250, 30*time.Second),
		load.ConstantPlan(12.5, time.Minute),
		load.StepsPlan([]float64{100, 500, 1000}, 20*time.Second, 5*time.Second),
		load.RampPlan(50, 400, 90*time.Second),
	} {
		s := LoadStep(p)
		d, err := time.ParseDuration(s.Duration)
		if err != nil {
			t.Fatalf("%+v: duration %q: %v", p, s.Duration, err)
		}
		cool := time.Duration(0)
		if s.Cooldown != "" {
			if cool, err = time.ParseDuration(s.Cooldown); err != nil {
				t.Fatalf("%+v: cooldown %q: %v", p, s.Cooldown, err)
			}
		}
		got, err := ParseLoad(s.Load, d, cool)
		if err != nil {
			t.Fatalf("%+v → step %+v: %v", p, s, err)
		}
		if !reflect.DeepEqual(got, p) {
			t.Errorf("step %+v gives back %+v, want %+v", s, got, p)
		}
		if s.Action() == "" {
			t.Errorf("step %+v has no action", s)
		}
	}
}
