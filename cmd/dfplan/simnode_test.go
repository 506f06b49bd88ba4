package main

import (
	"context"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/robot/rostest"
)

func TestSimnodeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"start one number", []string{"simnode", "--start", "1"}, "want x,y"},
		{"start NaN", []string{"simnode", "--start", "NaN,1"}, "finite"},
		{"start words", []string{"simnode", "--start", "a,b"}, "finite"},
		{"cmd timeout", []string{"simnode", "--cmd-timeout", "0s"}, "cmd-timeout"},
		{"unknown maze", []string{"simnode", "--maze", "no-such-maze"}, "--maze"},
		{"stray argument", []string{"simnode", "umaze"}, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", tc.args...)
			if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and a message about %s", r.code, r.stderr, tc.want)
			}
		})
	}
}

func TestParsePoint(t *testing.T) {
	p, err := parsePoint("start", " 3, 1.5")
	if err != nil || p == nil || p.X != 3 || p.Y != 1.5 {
		t.Errorf("parsePoint(\" 3, 1.5\") = %v, %v", p, err)
	}
	if p, err := parsePoint("start", ""); p != nil || err != nil {
		t.Errorf("parsePoint(\"\") = %v, %v; want none", p, err)
	}
}

// TestSimnodeStartOutsideMaze: a start off the map is refused with a message
// naming it (checked once the master answers, as ~start may supply it).
func TestSimnodeStartOutsideMaze(t *testing.T) {
	rostest.Master(t)
	withSignalContext(t, context.Background())
	r := runCLI(t, "", "simnode", "--maze", "umaze", "--start", "50,50")
	if r.code != 1 || !strings.Contains(r.stderr, "Start") {
		t.Errorf("exit %d, stderr %q; want 1 and a message about Start", r.code, r.stderr)
	}
}
