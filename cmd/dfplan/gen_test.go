package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/d4rl"
)

func TestGen(t *testing.T) {
	out := filepath.Join(t.TempDir(), "u.npz")
	res := runCLI(t, "", "gen", "--maze", "umaze", "--steps", "5000", "--noise", "0.5", "--seed", "3", "--out", out)
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if !strings.HasPrefix(res.stdout, "wrote "+out+": 5000 steps, ") || strings.Count(res.stdout, "\n") != 1 {
		t.Errorf("summary %q", res.stdout)
	}
	d, err := d4rl.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if d.N != 5000 || d.ObsDim != 4 || d.ActDim != 2 || d.Goals == nil {
		t.Errorf("dataset N=%d dims %d,%d goals %v", d.N, d.ObsDim, d.ActDim, d.Goals != nil)
	}
}

// gen's default action noise is D4RL's maze2d-v1 (0.5): the same file as
// --noise 0.5, and not the noiseless expert's.
func TestGenDefaultNoiseIsD4RLs(t *testing.T) {
	dir := t.TempDir()
	gen := func(name string, extra ...string) []byte {
		out := filepath.Join(dir, name)
		args := append([]string{"gen", "--maze", "umaze", "--steps", "3000", "--seed", "3", "--out", out}, extra...)
		if res := runCLI(t, "", args...); res.code != 0 {
			t.Fatalf("%v: exit %d: %s", extra, res.code, res.stderr)
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	def, half, none := gen("d.npz"), gen("h.npz", "--noise", "0.5"), gen("n.npz", "--noise", "0")
	if !bytes.Equal(def, half) {
		t.Error("gen without --noise differs from --noise 0.5")
	}
	if bytes.Equal(def, none) {
		t.Error("gen without --noise is the noiseless expert's file")
	}
}

func TestGenBadInput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.npz")
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte(`####\#OO\####`), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"negative steps", []string{"--maze", "umaze", "--steps", "-5", "--out", out}, 2, "--steps -5"},
		{"negative noise", []string{"--maze", "umaze", "--noise", "-0.1", "--out", out}, 2, "--noise -0.1"},
		{"NaN noise", []string{"--maze", "umaze", "--noise", "NaN", "--out", out}, 2, "--noise NaN"},
		{"steps not a number", []string{"--maze", "umaze", "--steps", "many", "--out", out}, 2, "invalid argument"},
		{"missing out", []string{"--maze", "umaze"}, 2, "--out is required"},
		{"missing maze", []string{"--out", out}, 2, "--maze is required"},
		{"unknown maze", []string{"--maze", "huge", "--out", out}, 2, `--maze "huge": not a built-in maze`},
		{"malformed layout", []string{"--maze", bad, "--out", out}, 1, "row 1 has 3 cells"},
		{"unwritable out", []string{"--maze", "umaze", "--steps", "10", "--out", filepath.Join(dir, "no", "such", "dir", "x.npz")}, 1, "cannot write there"},
		{"out is a directory", []string{"--maze", "umaze", "--steps", "10", "--out", dir}, 2, "is a directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, "", append([]string{"gen"}, tc.args...)...)
			if res.code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", res.code, tc.code, res.stderr)
			}
			if !strings.Contains(res.stderr, tc.want) || strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
				t.Errorf("stderr %q, want one line containing %q", res.stderr, tc.want)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Errorf("%s exists after a failed run", out)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 { // only bad.txt
				t.Errorf("files left in %s: %v", dir, entries)
			}
		})
	}
}
