package scenario

import (
	"testing"
	"time"
)

func TestParseCondition(t *testing.T) {
	cases := []struct {
		in      string
		want    Condition
		wantErr bool
	}{
		{"10s", Condition{Kind: CondWait, Wait: 10 * time.Second}, false},
		{"converged", Condition{Kind: CondConverged}, false},
		{" recovered ", Condition{Kind: CondRecovered}, false},
		{"slot >= 200", Condition{Kind: CondCompare, Metric: "slot", Op: ">=", Value: 200}, false},
		{"finalized>3", Condition{Kind: CondCompare, Metric: "finalized", Op: ">", Value: 3}, false},
		{"peers == all", Condition{Kind: CondCompare, Metric: "peers", Op: "==", All: true}, false},
		{"forks >= 2", Condition{Kind: CondCompare, Metric: "forks", Op: ">=", Value: 2}, false},
		{"forks == all", Condition{}, true},
		{"forks >= 2 for 3s", Condition{Kind: CondCompare, Metric: "forks", Op: ">=", Value: 2, For: 3 * time.Second}, false},
		{"peers == all for 1m0s", Condition{Kind: CondCompare, Metric: "peers", Op: "==", All: true, For: time.Minute}, false},
		{"converged for 3s", Condition{}, true},
		{"forks >= 2 for ever", Condition{}, true},
		{"forks >= 2 for -1s", Condition{}, true},
		{"confirmed <= 7", Condition{Kind: CondCompare, Metric: "confirmed", Op: "<=", Value: 7}, false},
		{"", Condition{}, true},
		{"-3s", Condition{}, true},
		{"slot >= all", Condition{}, true},
		{"slot => 3", Condition{}, true},
		{"slot >= -1", Condition{}, true},
		{"height >= 3", Condition{}, true},
		{"slot >=", Condition{}, true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := ParseCondition(c.in)
			if (err != nil) != c.wantErr {
				t.Fatalf("err %v, want error %v", err, c.wantErr)
			}
			if err == nil && got != c.want {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
			if err == nil {
				back, err := ParseCondition(got.String())
				if err != nil || back != got {
					t.Errorf("String %q does not parse back: %+v %v", got.String(), back, err)
				}
			}
		})
	}
}

func TestConditionHolds(t *testing.T) {
	cases := []struct {
		cond      string
		got, want uint64
		holds     bool
	}{
		{"slot >= 200", 200, 0, true},
		{"slot >= 200", 199, 0, false},
		{"slot > 200", 200, 0, false},
		{"peers == all", 4, 4, true},
		{"peers == all", 3, 4, false},
		{"peers >= 2", 3, 4, true},
		{"confirmed < 5", 4, 0, true},
		{"confirmed <= 5", 6, 0, false},
	}
	for _, c := range cases {
		cond, err := ParseCondition(c.cond)
		if err != nil {
			t.Fatal(err)
		}
		if got := cond.holds(c.got, c.want); got != c.holds {
			t.Errorf("%s with %d (all=%d): %v, want %v", c.cond, c.got, c.want, got, c.holds)
		}
	}
}
