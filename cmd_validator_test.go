package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestValidatorCommandErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "validator.toml")
	for _, tc := range []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"no config", []string{"validator"}, exitUsage, "--config FILE is required"},
		{"stray argument", []string{"validator", "--config", missing, "extra"}, exitUsage, `unexpected argument "extra"`},
		{"bad flag", []string{"validator", "--nope"}, exitUsage, "flag provided but not defined"},
		{"missing config file", []string{"validator", "--config", missing}, exitFail, "slonui validator: " + missing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runCmd(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.err) {
				t.Fatalf("exit %d, stderr %q; want exit %d containing %q", code, errs, tc.code, tc.err)
			}
			if tc.code == exitFail && strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("error is not one line: %q", errs)
			}
		})
	}
}
