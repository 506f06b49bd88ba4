package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/d4rl"
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

// A training checkpoint exports to a weights-only model that is smaller,
// says which kind it is, and predicts exactly as the checkpoint does.
func TestModelExport(t *testing.T) {
	dir := t.TempDir()
	c := dynamics.DefaultConfig()
	c.Hidden, c.ZDim, c.FrameStack = 8, 4, 2
	const n = 400
	d := &d4rl.Dataset{N: n, ObsDim: 4, ActDim: 2, Observations: make([]float32, n*4), Actions: make([]float32, n*2)}
	for i := range d.Observations {
		d.Observations[i] = float32(i%17) / 17
	}
	for i := range d.Actions {
		d.Actions[i] = float32(i%5)/5 - 0.5
	}
	tc := dynamics.DefaultTrainConfig()
	tc.Steps, tc.Batch, tc.Horizon, tc.ValFraction = 3, 4, 2, 0
	tr, err := dynamics.NewTrainer(c, tc, d)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := tr.TrainStep(); err != nil {
			t.Fatal(err)
		}
	}
	ckpt, model := filepath.Join(dir, "ckpt.safetensors"), filepath.Join(dir, "model.safetensors")
	if err := tr.Save(ckpt, dynamics.Provenance{Command: "test"}); err != nil {
		t.Fatal(err)
	}
	if info := modelInfo(t, ckpt); info["kind"] != dynamics.KindCheckpoint || info["resumable"] != true {
		t.Fatalf("checkpoint: kind %v, resumable %v", info["kind"], info["resumable"])
	}
	if res := runCLI(t, "", "model", "export", ckpt, "--out", model); res.code != 0 {
		t.Fatalf("export: exit %d: %s", res.code, res.stderr)
	}
	info := modelInfo(t, model)
	if info["kind"] != dynamics.KindModel || info["resumable"] != false || info["provenance"].(map[string]any)["command"] != "test" {
		t.Fatalf("export: kind %v, resumable %v, provenance %v", info["kind"], info["resumable"], info["provenance"])
	}
	a, _ := os.Stat(ckpt)
	b, _ := os.Stat(model)
	if 2*b.Size() > a.Size() {
		t.Errorf("export is %d bytes, checkpoint %d: want less than half (no Adam moments)", b.Size(), a.Size())
	}
	mc, _, err := dynamics.Load(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	mm, _, err := dynamics.Load(model)
	if err != nil {
		t.Fatal(err)
	}
	in := &dynamics.Input{B: 1, H: 2, Obs0: make([]float32, 4), X: make([]float32, 2*c.TokenDim()), K: []int{5, 900}}
	oc, err := mc.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	om, err := mm.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range oc.X0 {
		if oc.X0[i] != om.X0[i] {
			t.Fatalf("x̂0[%d]: export %g, checkpoint %g", i, om.X0[i], oc.X0[i])
		}
	}
	raw, _ := os.ReadFile(ckpt)
	flip := filepath.Join(dir, "flip.safetensors")
	raw[len(raw)-1] ^= 1
	os.WriteFile(flip, raw, 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no out", []string{ckpt}, 2, "--out is required"},
		{"onto itself", []string{ckpt, "--out", ckpt}, 2, "the checkpoint itself"},
		{"missing", []string{filepath.Join(dir, "none.safetensors"), "--out", filepath.Join(dir, "x.safetensors")}, 1, "none.safetensors"},
		{"corrupt", []string{flip, "--out", filepath.Join(dir, "y.safetensors")}, 1, "checksum mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, "", append([]string{"model", "export"}, tc.args...)...)
			if res.code != tc.code || !strings.Contains(res.stderr, tc.want) || strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line containing %q", res.code, res.stderr, tc.code, tc.want)
			}
		})
	}
	for _, name := range []string{"x.safetensors", "y.safetensors"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("a failed export left %s", name)
		}
	}
}
