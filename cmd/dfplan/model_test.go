package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/dynamics"
)

func TestModelInfoBadInput(t *testing.T) {
	dir := t.TempDir()
	c := dynamics.DefaultConfig()
	c.Hidden, c.ZDim = 8, 4
	m, err := dynamics.New(c, dynamics.IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "m.safetensors")
	if err := m.Save(good, dynamics.Provenance{Steps: 3}); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(good)
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		return p
	}
	corrupt := append([]byte(nil), raw...)
	corrupt[len(corrupt)-1] ^= 1
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no file argument", []string{"info"}, 2, "exactly one MODEL"},
		{"missing file", []string{"info", filepath.Join(dir, "none.safetensors")}, 1, "none.safetensors"},
		{"truncated", []string{"info", write("trunc.safetensors", raw[:len(raw)/2])}, 1, "truncated"},
		{"wrong format", []string{"info", write("zip.safetensors", []byte("PK\x03\x04not a model at all"))}, 1, "not a valid checkpoint"},
		{"checksum mismatch", []string{"info", write("flip.safetensors", corrupt)}, 1, "checksum mismatch"},
		{"no subcommand", []string{}, 2, "subcommand"},
		{"eval without data", []string{"eval", good}, 2, "--data is required"},
		{"eval bad noise", []string{"eval", good, "--data", "x.npz", "--noise", "1.5"}, 2, "--noise 1.5"},
		{"eval zero windows", []string{"eval", good, "--data", "x.npz", "--windows", "0"}, 2, "--windows 0"},
		{"eval missing data", []string{"eval", good, "--data", filepath.Join(dir, "none.npz")}, 1, "none.npz"},
		{"eval corrupt model", []string{"eval", write("flip2.safetensors", corrupt), "--data", "x.npz"}, 1, "checksum mismatch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, "", append([]string{"model"}, tc.args...)...)
			if res.code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", res.code, tc.code, res.stderr)
			}
			if !strings.Contains(res.stderr, tc.want) || strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
				t.Errorf("stderr %q, want one line containing %q", res.stderr, tc.want)
			}
		})
	}
	info := modelInfo(t, good)
	if info["provenance"].(map[string]any)["steps"] != 3.0 || info["parameters"].(float64) != float64(m.NumParams()) {
		t.Errorf("info %v", info)
	}
}
