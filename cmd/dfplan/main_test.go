package main

import (
	"strings"
	"testing"
)

// An unknown command is a usage error: exit 2 and one line naming it.
func TestUnknownCommand(t *testing.T) {
	r := runCLI(t, "", "bnech", "--maze", "umaze")
	if r.code != 2 || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 || !strings.Contains(r.stderr, `unknown command "bnech" for "dfplan"; did you mean bench?`) {
		t.Errorf("exit %d, stderr %q; want 2 and one line naming the command", r.code, r.stderr)
	}
}
