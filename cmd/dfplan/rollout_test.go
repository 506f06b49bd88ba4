package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/sim"
)

func TestRollout(t *testing.T) {
	res := runCLI(t, "# full thrust\n1 0\n\n1,0\n  0.5\t-0.5 \n", "rollout", "--maze", "umaze", "--state", "3,1,0,0", "--actions", "-")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	if len(lines) != 5 || lines[0] != "step,x,y,vx,vy" || lines[1] != "0,3,1,0,0" {
		t.Fatalf("output:\n%s", res.stdout)
	}
	// Rows match sim.Step exactly (full-precision floats).
	m, _ := sim.LoadMaze("umaze")
	s := sim.State{3, 1, 0, 0}
	for i, a := range []sim.Action{{1, 0}, {1, 0}, {0.5, -0.5}} {
		s = m.Step(s, a)
		f := strings.Split(lines[i+2], ",")
		for k := range s {
			v, err := strconv.ParseFloat(f[k+1], 64)
			if err != nil || v != s[k] {
				t.Errorf("row %d col %d = %q, want %v", i+1, k, f[k+1], s[k])
			}
		}
	}
}

func TestRolloutBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badLayout := write("bad.txt", "####\n#OX#\n####\n")
	acts := write("acts.txt", "0 0\n")
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"unknown maze", "", []string{"--maze", "mediun", "--state", "1,1,0,0", "--actions", acts}, 2, "not a built-in maze (large, large-eval, medium"},
		{"malformed layout", "", []string{"--maze", badLayout, "--state", "1,1,0,0", "--actions", acts}, 1, "unknown character 'X' at row 1 col 2"},
		{"missing maze", "", []string{"--state", "1,1,0,0", "--actions", acts}, 2, "--maze is required"},
		{"state too short", "", []string{"--maze", "umaze", "--state", "1,1,0", "--actions", acts}, 2, `--state "1,1,0": want 4`},
		{"state not a number", "", []string{"--maze", "umaze", "--state", "1,a,0,0", "--actions", acts}, 2, "component 2"},
		{"state NaN", "", []string{"--maze", "umaze", "--state", "1,1,NaN,0", "--actions", acts}, 2, "component 3"},
		{"missing state", "", []string{"--maze", "umaze", "--actions", acts}, 2, "--state is required"},
		{"missing actions flag", "", []string{"--maze", "umaze", "--state", "1,1,0,0"}, 2, "--actions is required"},
		{"no such actions file", "", []string{"--maze", "umaze", "--state", "1,1,0,0", "--actions", filepath.Join(dir, "nope")}, 2, "no such file"},
		{"action not a number", "0 0\n# ok\nx 1\n", []string{"--maze", "umaze", "--state", "1,1,0,0", "--actions", "-"}, 1, "line 3"},
		{"action Inf", "0 0\n1 +Inf\n", []string{"--maze", "umaze", "--state", "1,1,0,0", "--actions", "-"}, 1, "line 2"},
		{"action NaN", "nan 0\n", []string{"--maze", "umaze", "--state", "1,1,0,0", "--actions", "-"}, 1, "line 1"},
		{"three numbers", "1 2 3\n", []string{"--maze", "umaze", "--state", "1,1,0,0", "--actions", "-"}, 1, "line 1"},
		{"start in a wall", "", []string{"--maze", "umaze", "--state", "2,2,0,0", "--actions", acts}, 2, "--state 2,2,0,0: position (2, 2) is inside a wall of maze umaze"},
		{"start outside the map", "", []string{"--maze", "umaze", "--state", "25,1,0,0", "--actions", acts}, 2, "position (25, 1) is outside the map"},
		{"unknown flag", "", []string{"--maze", "umaze", "--speed", "3"}, 2, "unknown flag"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, tc.stdin, append([]string{"rollout"}, tc.args...)...)
			if res.code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", res.code, tc.code, res.stderr)
			}
			if !strings.Contains(res.stderr, tc.want) {
				t.Errorf("stderr %q does not contain %q", res.stderr, tc.want)
			}
			if strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
				t.Errorf("stderr has more than one line: %q", res.stderr)
			}
			if res.stdout != "" {
				t.Errorf("partial output on error: %q", res.stdout)
			}
		})
	}
}
