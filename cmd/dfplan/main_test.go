package main

import (
	"strings"
	"testing"
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
