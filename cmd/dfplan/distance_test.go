package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/distance"
)

const tinyDistanceYAML = `model:
  hidden: 8
  layers: 1
train:
  steps: 20
  batch: 16
  max_gap: 20
`

// train-distance writes a model that says how it was made, and bench's
// df-td planner plans with it, recording the file in its JSON.
func TestTrainDistanceAndBenchDFTD(t *testing.T) {
	dir := t.TempDir()
	data, _ := writeTrainFixtures(t, dir, 2000)
	config := writeTemp(t, "d.yaml", tinyDistanceYAML)
	out := filepath.Join(dir, "td.safetensors")
	r := runCLI(t, "", "train-distance", "--data", data, "--out", out, "--config", config, "--seed", "3")
	if r.code != 0 {
		t.Fatalf("train-distance: exit %d: %s", r.code, r.stderr)
	}
	m, err := distance.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	s := m.Summary
	if s == nil || s.Steps != 20 || s.Batch != 16 || s.Seed != 3 || s.Data != data || len(s.DataSHA256) != 64 || !strings.Contains(s.Command, "train-distance") {
		t.Errorf("summary %+v: want the run's steps, batch, seed, data and command", s)
	}
	model := tinyCheckpoint(t, 2, 1, 4)
	js := filepath.Join(dir, "td.json")
	r = runCLI(t, "", "bench", "--maze", "umaze", "--planner", "df-td", "--distance", out, "--model", model, "--episodes", "2",
		"--steps", "8", "--horizon-tokens", "3", "--sampling-steps", "2", "--json", js)
	if r.code != 0 {
		t.Fatalf("bench df-td: exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Planner string
		Config  struct {
			Distance string `json:"distance"`
		} `json:"config"`
	}
	if err := json.Unmarshal(b, &res); err != nil {
		t.Fatal(err)
	}
	if res.Config.Distance != out {
		t.Errorf("JSON config distance %q, want %q:\n%.400s", res.Config.Distance, out, b)
	}
}

func TestDistanceBadInput(t *testing.T) {
	dir := t.TempDir()
	data, _ := writeTrainFixtures(t, dir, 2000)
	notModel := writeTemp(t, "x.safetensors", "not a model")
	badConfig := writeTemp(t, "bad.yaml", "train:\n  expectile: 2\n")
	unknown := writeTemp(t, "unknown.yaml", "train:\n  expectle: 0.2\n")
	out := filepath.Join(dir, "o.safetensors")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"bench", "--maze", "umaze", "--planner", "df", "--distance", notModel, "--episodes", "1"}, "--distance"},
		{[]string{"bench", "--maze", "umaze", "--planner", "df-td", "--distance", notModel, "--episodes", "1"}, notModel},
		{[]string{"train-distance", "--data", data}, "--out"},
		{[]string{"train-distance", "--data", data, "--out", out, "--config", badConfig}, "expectile"},
		{[]string{"train-distance", "--data", data, "--out", out, "--config", unknown}, "expectle"},
		{[]string{"train-distance", "--data", filepath.Join(dir, "none.npz"), "--out", out}, "none.npz"},
		{[]string{"train-distance", "--data", data, "--out", out, "--steps", "1"}, "too few"},
	} {
		r := runCLI(t, "", tc.args...)
		lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
		last := lines[len(lines)-1]
		if r.code == 0 || !strings.Contains(last, tc.want) {
			t.Errorf("%v: exit %d, last line %q: want a failure naming %q", tc.args, r.code, last, tc.want)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a failed train-distance left %s behind", out)
	}
}
