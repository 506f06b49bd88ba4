package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/internal/gemm"
)

// Help on a command prints it; help on an unknown one is a usage error.
func TestHelpTopics(t *testing.T) {
	if r := runCLI(t, "", "help", "bench"); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "dfplan bench [flags]") {
		t.Errorf("help bench: exit %d, output %q", r.code, r.stdout+r.stderr)
	}
	r := runCLI(t, "", "help", "bogus")
	if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, "help bogus: no such command") {
		t.Errorf("help bogus: exit %d, stderr %q; want 2 and one line", r.code, r.stderr)
	}
}

// An unknown command is a usage error: exit 2 and one line naming it.
func TestUnknownCommand(t *testing.T) {
	r := runCLI(t, "", "bnech", "--maze", "umaze")
	if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, `unknown command "bnech" for "dfplan"; did you mean bench?`) {
		t.Errorf("exit %d, stderr %q; want 2 and one line naming the command", r.code, r.stderr)
	}
}

// A command that runs the network says once, on one line, when its matrix
// products run on the portable path, and why; on the vector kernel it says
// nothing. The path is chosen at start-up, so each case is a child process.
func TestPortableProductsAreLogged(t *testing.T) {
	if os.Getenv("DFPLAN_TEST_CHILD") == "1" {
		os.Exit(run([]string{"bench", "--maze", "umaze", "--planner", "df", "--episodes", "1", "--steps", "2"}))
	}
	for _, tc := range []struct {
		env   string
		lines int
	}{{"DFPLAN_GEMM=gonum", 1}, {"DFPLAN_GEMM=", 0}} {
		if tc.lines == 0 && !gemm.Accelerated() {
			continue // this machine has no vector kernel to compare with
		}
		cmd := exec.Command(os.Args[0], "-test.run=^TestPortableProductsAreLogged$")
		cmd.Env = append(os.Environ(), "DFPLAN_TEST_CHILD=1", tc.env)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s: %v\n%s", tc.env, err, stderr.String())
		}
		if n := strings.Count(stderr.String(), "portable pure-Go path"); n != tc.lines {
			t.Errorf("%s: %d lines about the portable path, want %d:\n%s", tc.env, n, tc.lines, stderr.String())
		}
		if tc.lines == 1 && !strings.Contains(stderr.String(), "DFPLAN_GEMM=gonum") {
			t.Errorf("%s: the line does not say why:\n%s", tc.env, stderr.String())
		}
	}
}
