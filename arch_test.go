package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineDoesNotKnowTheUI enforces ARCHITECTURE.md's import rules with
// `go list -deps`: engine packages never depend on the terminal UI, and the
// built-in validator never depends on the console's packages.
func TestEngineDoesNotKnowTheUI(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	terminal := []string{
		"slonui/ui",
		"github.com/charmbracelet/bubbletea",
		"github.com/charmbracelet/bubbles",
		"github.com/charmbracelet/lipgloss",
	}
	console := []string{"slonui/cluster", "slonui/load", "slonui/chaos", "slonui/ui"}
	checked := 0
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "slonui" || pkg == "slonui/ui" || strings.HasPrefix(pkg, "slonui/ui/") {
			continue
		}
		deps := listDeps(t, pkg)
		checked++
		for _, d := range deps {
			for _, bad := range terminal {
				if d == bad || strings.HasPrefix(d, bad+"/") {
					t.Errorf("%s depends on %s: engine packages must not know the terminal UI", pkg, d)
				}
			}
			if pkg == "slonui/validator" || strings.HasPrefix(pkg, "slonui/validator/") {
				for _, bad := range console {
					if d == bad || strings.HasPrefix(d, bad+"/") {
						t.Errorf("%s depends on %s: the validator must not depend on the console", pkg, d)
					}
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no engine packages found to check")
	}
}

func listDeps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// TestArchRuleCatchesAViolation makes sure the dependency walk sees a real
// terminal dependency: the ui package, once it exists, must list bubbletea.
func TestArchRuleCatchesAViolation(t *testing.T) {
	out, err := exec.Command("go", "list", "./ui").Output()
	if err != nil || strings.TrimSpace(string(out)) == "" {
		t.Skip("no ui package yet")
	}
	found := false
	for _, d := range listDeps(t, "slonui/ui") {
		if d == "github.com/charmbracelet/bubbletea" {
			found = true
		}
	}
	if !found {
		t.Fatal("go list -deps slonui/ui does not show bubbletea: the rule above could not see a violation")
	}
}
