package main

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/d4rl"
	"github.com/dfplan/dfplan/dynamics"
)

// tinyTrainYAML makes a model small enough to train in milliseconds.
const tinyTrainYAML = `model:
  frame_stack: 2
  z_dim: 8
  hidden: 16
  layers: 1
  encoder_hidden: 8
  embed_dim: 8
  diffusion_steps: 100
train:
  horizon: 3
  warmup_steps: 2
  val_fraction: 0.25
  val_segments: 4
  val_every: 2
  val_batches: 1
`

// writeTrainFixtures writes a small random-walk dataset of n rows and the
// tiny config into dir.
func writeTrainFixtures(t *testing.T, dir string, n int) (data, config string) {
	t.Helper()
	d := &d4rl.Dataset{N: n, ObsDim: 4, ActDim: 2,
		Observations: make([]float32, n*4), Actions: make([]float32, n*2),
		Rewards: make([]float32, n), Terminals: make([]bool, n), Timeouts: make([]bool, n)}
	for i := range n {
		for j := range 4 {
			d.Observations[i*4+j] = float32(math.Sin(float64(i)*0.1 + float64(j)))
		}
		d.Actions[i*2] = float32(math.Cos(float64(i) * 0.3))
		d.Actions[i*2+1] = float32(math.Sin(float64(i) * 0.2))
		d.Timeouts[i] = i%50 == 49
	}
	data = filepath.Join(dir, "d.npz")
	if err := d.Write(data); err != nil {
		t.Fatal(err)
	}
	config = filepath.Join(dir, "tiny.yaml")
	if err := os.WriteFile(config, []byte(tinyTrainYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	return data, config
}

func modelInfo(t *testing.T, path string) map[string]any {
	t.Helper()
	res := runCLI(t, "", "model", "info", path)
	if res.code != 0 {
		t.Fatalf("model info: exit %d: %s", res.code, res.stderr)
	}
	var info map[string]any
	if err := json.Unmarshal([]byte(res.stdout), &info); err != nil {
		t.Fatalf("model info printed no JSON: %v\n%s", err, res.stdout)
	}
	return info
}

func TestTrainAndResume(t *testing.T) {
	dir := t.TempDir()
	data, config := writeTrainFixtures(t, dir, 400)
	out := filepath.Join(dir, "m.safetensors")
	res := runCLI(t, "", "train", "--data", data, "--out", out, "--config", config, "--steps", "4", "--batch", "4", "--seed", "7", "--threads", "1")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if !strings.HasPrefix(res.stdout, "trained "+out+": steps 4 (4 this run)") {
		t.Errorf("summary %q", res.stdout)
	}
	info := modelInfo(t, out)
	for _, k := range []string{"config", "normalization", "provenance", "checksum", "parameters"} {
		if _, ok := info[k]; !ok {
			t.Errorf("model info lacks %q", k)
		}
	}
	prov := info["provenance"].(map[string]any)
	if prov["steps"] != 4.0 || !strings.Contains(prov["command"].(string), "--steps=4") || prov["data_sha256"] == "" {
		t.Errorf("provenance %v", prov)
	}
	if !strings.Contains(prov["summary"].(string), "steps 4") {
		t.Errorf("provenance summary %q", prov["summary"])
	}

	// Without --resume an existing model is not overwritten.
	res = runCLI(t, "", "train", "--data", data, "--out", out, "--config", config, "--steps", "4")
	if res.code != 1 || !strings.Contains(res.stderr, "--resume") {
		t.Errorf("exit %d, stderr %q; want a refusal naming --resume", res.code, res.stderr)
	}
	// --resume continues to the new step count with the saved settings.
	res = runCLI(t, "", "train", "--data", data, "--out", out, "--steps", "7", "--resume")
	if res.code != 0 {
		t.Fatalf("resume: exit %d: %s", res.code, res.stderr)
	}
	if !strings.HasPrefix(res.stdout, "trained "+out+": steps 7 (3 this run)") {
		t.Errorf("resume summary %q", res.stdout)
	}
	if got := modelInfo(t, out)["provenance"].(map[string]any)["steps"]; got != 7.0 {
		t.Errorf("provenance.steps = %v after resume, want 7", got)
	}
	// Resuming on other data is refused.
	other, _ := writeTrainFixtures(t, t.TempDir(), 300)
	res = runCLI(t, "", "train", "--data", other, "--out", out, "--steps", "9", "--resume")
	if res.code != 1 || !strings.Contains(res.stderr, "SHA-256") {
		t.Errorf("exit %d, stderr %q; want a data mismatch error", res.code, res.stderr)
	}
}

func TestTrainBadInput(t *testing.T) {
	dir := t.TempDir()
	data, config := writeTrainFixtures(t, dir, 400)
	short, _ := writeTrainFixtures(t, t.TempDir(), 5)
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o644)
		return p
	}
	unknownKey := write("unknown.yaml", "model:\n  zdim: 3\n")
	unknownSection := write("section.yaml", "modle:\n  z_dim: 3\n")
	badYAML := write("bad.yaml", "model: [1, 2\n")
	badValue := write("value.yaml", "model:\n  beta_schedule: sigmoid\n")
	fraction := write("fraction.yaml", "model:\n  hidden: 32.5\n")
	notNPZ := write("x.npz", "not a zip archive")
	missingKey := rewriteNPZ(t, data, filepath.Join(dir, "nokey.npz"), func(name string, b []byte) []byte {
		if name == "actions.npy" {
			return nil
		}
		return b
	})
	withNaN := rewriteNPZ(t, data, filepath.Join(dir, "nan.npz"), func(name string, b []byte) []byte {
		if name == "observations.npy" {
			hlen := int(binary.LittleEndian.Uint16(b[8:10]))
			binary.LittleEndian.PutUint32(b[10+hlen+4*21:], math.Float32bits(float32(math.NaN())))
		}
		return b
	})
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing data", []string{"--out", "m"}, 2, "--data is required"},
		{"missing out", []string{"--data", data}, 2, "--out is required"},
		{"negative steps", []string{"--data", data, "--out", "m", "--steps", "-1"}, 2, "--steps -1"},
		{"zero batch", []string{"--data", data, "--out", "m", "--batch", "0"}, 2, "--batch 0"},
		{"negative batch", []string{"--data", data, "--out", "m", "--batch", "-3"}, 2, "--batch -3"},
		{"negative threads", []string{"--data", data, "--out", "m", "--threads", "-1"}, 2, "--threads -1"},
		{"zero threads", []string{"--data", data, "--out", "m", "--threads", "0"}, 2, "--threads 0"},
		{"unknown engine", []string{"--data", data, "--out", "m", "--engine", "gpu"}, 2, `--engine "gpu"`},
		{"bad interval", []string{"--data", data, "--out", "m", "--checkpoint-every", "0s"}, 2, "--checkpoint-every"},
		{"no such data", []string{"--data", filepath.Join(dir, "none.npz"), "--out", "m"}, 1, "none.npz"},
		{"data not npz", []string{"--data", notNPZ, "--out", "m"}, 1, "x.npz"},
		{"missing key", []string{"--data", missingKey, "--out", "m"}, 1, "actions"},
		{"NaN in data", []string{"--data", withNaN, "--out", "m"}, 1, "observations"},
		{"too few frames", []string{"--data", short, "--out", "m", "--config", config}, 1, "too little data"},
		{"unknown config key", []string{"--data", data, "--out", "m", "--config", unknownKey}, 1, "unknown key model.zdim"},
		{"unknown config section", []string{"--data", data, "--out", "m", "--config", unknownSection}, 1, "unknown key modle"},
		{"malformed YAML", []string{"--data", data, "--out", "m", "--config", badYAML}, 1, "bad.yaml"},
		{"bad config value", []string{"--data", data, "--out", "m", "--config", badValue}, 2, "beta_schedule"},
		{"fraction for an integer", []string{"--data", data, "--out", "m", "--config", fraction}, 1, "section model: hidden: 32.5, want a whole number"},
		{"no config file", []string{"--data", data, "--out", "m", "--config", filepath.Join(dir, "none.yaml")}, 1, "none.yaml"},
		{"batch beyond memory", []string{"--data", data, "--out", "m", "--batch", "100000000"}, 2, "needs about"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wd := t.TempDir()
			for i, a := range tc.args {
				if a == "m" {
					tc.args[i] = filepath.Join(wd, "m.safetensors")
				}
			}
			res := runCLI(t, "", append([]string{"train"}, tc.args...)...)
			if res.code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", res.code, tc.code, res.stderr)
			}
			if !strings.Contains(res.stderr, tc.want) || strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
				t.Errorf("stderr %q, want one line containing %q", res.stderr, tc.want)
			}
			if entries, _ := os.ReadDir(wd); len(entries) != 0 {
				t.Errorf("left files behind: %v", entries)
			}
		})
	}
}

// rewriteNPZ copies the .npz archive src to dst, passing each member through
// edit (nil drops it).
func rewriteNPZ(t *testing.T, src, dst string, edit func(name string, b []byte) []byte) string {
	t.Helper()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b = edit(f.Name, b); b == nil {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// predictOnce is a fixed network pass of the model in path, to compare weights.
func predictOnce(t *testing.T, path string) []float32 {
	t.Helper()
	m, _, err := dynamics.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c := m.Config()
	in := &dynamics.Input{B: 1, H: 2, Obs0: make([]float32, c.ObsDim), X: make([]float32, 2*c.TokenDim()), K: []int{10, 60}}
	for i := range in.X {
		in.X[i] = float32(math.Sin(float64(i)))
	}
	out, err := m.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	return out.X0
}

func TestTrainInit(t *testing.T) {
	dir := t.TempDir()
	data, config := writeTrainFixtures(t, dir, 400)
	a := filepath.Join(dir, "a.safetensors")
	if res := runCLI(t, "", "train", "--data", data, "--out", a, "--config", config, "--steps", "6", "--batch", "4", "--seed", "7", "--threads", "1"); res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	decay := writeTemp(t, "decay.yaml", "train:\n  token_decay: 0.9\n")

	// --steps 0 writes the init's weights unchanged.
	b0 := filepath.Join(dir, "b0.safetensors")
	if res := runCLI(t, "", "train", "--data", data, "--out", b0, "--init", a, "--steps", "0"); res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if pa, pb := predictOnce(t, a), predictOnce(t, b0); !slices.Equal(pa, pb) {
		t.Errorf("--init with 0 steps changed the weights: %v → %v", pa, pb)
	}

	b := filepath.Join(dir, "b.safetensors")
	res := runCLI(t, "", "train", "--data", data, "--out", b, "--init", a, "--config", decay, "--steps", "3", "--threads", "1")
	if res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if !strings.HasPrefix(res.stdout, "trained "+b+": steps 3 (3 this run)") {
		t.Errorf("summary %q", res.stdout)
	}
	if pa, pb := predictOnce(t, a), predictOnce(t, b); slices.Equal(pa, pb) {
		t.Error("3 steps from the init left the weights unchanged")
	}
	prov := modelInfo(t, b)["provenance"].(map[string]any)
	train := prov["train"].(map[string]any)
	// The init's training settings carry over (tiny.yaml's horizon 3, batch 4, seed 7); --config changes the decay.
	if prov["init"] != a || prov["init_checksum"] != modelInfo(t, a)["checksum"] || train["token_decay"] != 0.9 ||
		train["horizon"] != 3.0 || train["batch"] != 4.0 || train["seed"] != 7.0 {
		t.Errorf("provenance %v", prov)
	}
	// The same command plus --resume continues the fine-tune, and keeps its init in the record.
	if res := runCLI(t, "", "train", "--data", data, "--out", b, "--init", a, "--config", decay, "--steps", "5", "--threads", "1", "--resume"); res.code != 0 {
		t.Fatalf("resume: exit %d: %s", res.code, res.stderr)
	}
	if prov := modelInfo(t, b)["provenance"].(map[string]any); prov["init"] != a || prov["init_checksum"] != modelInfo(t, a)["checksum"] || prov["steps"] != 5.0 {
		t.Errorf("provenance after resume %v", prov)
	}

	// On other data the init's normalization is kept: the weights are tied to it.
	other, _ := writeTrainFixtures(t, t.TempDir(), 300)
	c := filepath.Join(dir, "c.safetensors")
	if res := runCLI(t, "", "train", "--data", other, "--out", c, "--init", a, "--steps", "2"); res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	na, nc := modelInfo(t, a)["normalization"], modelInfo(t, c)["normalization"]
	if !reflect.DeepEqual(na, nc) {
		t.Errorf("normalization after --init on other data %v, the init's %v", nc, na)
	}
	fresh := filepath.Join(dir, "fresh.safetensors")
	if res := runCLI(t, "", "train", "--data", other, "--out", fresh, "--config", config, "--steps", "0"); res.code != 0 {
		t.Fatalf("exit %d: %s", res.code, res.stderr)
	}
	if reflect.DeepEqual(na, modelInfo(t, fresh)["normalization"]) {
		t.Fatal("the other data has the same normalization; the check above proves nothing")
	}

	// Resuming with an --init the checkpoint was not made from is refused, and the file is left alone.
	before, _ := os.ReadFile(b)
	res = runCLI(t, "", "train", "--data", data, "--out", b, "--init", b0, "--steps", "9", "--resume")
	if after, _ := os.ReadFile(b); res.code != 1 || !strings.Contains(res.stderr, "not fine-tuned from") || !bytes.Equal(before, after) {
		t.Errorf("resume with another init: exit %d, stderr %q, file changed %v", res.code, res.stderr, !bytes.Equal(before, after))
	}

	// Bad input: one line, non-zero exit, nothing written.
	wider := writeTemp(t, "wider.yaml", "model:\n  hidden: 32\n")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no steps", []string{"--init", a}, 2, "--init needs --steps"},
		{"no such init", []string{"--init", filepath.Join(dir, "none.safetensors"), "--steps", "1"}, 1, "none.safetensors"},
		{"init not a model", []string{"--init", data, "--steps", "1"}, 1, "--init"},
		{"other architecture", []string{"--init", a, "--config", wider, "--steps", "1"}, 1, "model config differs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wd := t.TempDir()
			res := runCLI(t, "", append([]string{"train", "--data", data, "--out", filepath.Join(wd, "m.safetensors")}, tc.args...)...)
			if res.code != tc.code || !strings.Contains(res.stderr, tc.want) || strings.Count(strings.TrimSpace(res.stderr), "\n") != 0 {
				t.Errorf("exit %d, stderr %q; want exit %d and one line containing %q", res.code, res.stderr, tc.code, tc.want)
			}
			if entries, _ := os.ReadDir(wd); len(entries) != 0 {
				t.Errorf("left files behind: %v", entries)
			}
		})
	}
}
