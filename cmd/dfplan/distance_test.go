package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/distance"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
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
	c := benchDistanceConfig(t, "--planner", "df-td", "--distance", out, "--model", model)
	if c.Distance != out || c.Objective != planner.ObjectiveLearned {
		t.Errorf("JSON config distance %q, objective %q: want %q, learned", c.Distance, c.Objective, out)
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
		{[]string{"bench", "--maze", "umaze", "--planner", "df", "--distance", notModel, "--episodes", "1"}, "only df-td"},
		{[]string{"bench", "--maze", "umaze", "--planner", "df", "--objective", "curvy", "--episodes", "1"}, "--objective curvy"},
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

// A settings file (or --objective) may choose the learned distance for
// every df planner: bench records it with the distance's source, and the
// node loads the maze's shipped distance for it.
func TestObjectiveLearned(t *testing.T) {
	c := benchDistanceConfig(t, "--planner", "df-nomcg", "--objective", "learned")
	if c.Objective != planner.ObjectiveLearned || c.Distance != "shipped for umaze" {
		t.Errorf("JSON config objective %q, distance %q: want learned, shipped for umaze", c.Objective, c.Distance)
	}
	maze, err := sim.LoadMaze("umaze")
	if err != nil {
		t.Fatal(err)
	}
	plan := writeTemp(t, "learned.yaml", "objective: learned\n")
	if _, err := newDFPolicy(maze, dfOptions{Plan: plan, Check: true}); err != nil {
		t.Errorf("node with objective learned on umaze: %v", err)
	}
	layout := writeTemp(t, "box.txt", "#####\\#OOO#\\#OGO#\\#OOO#\\#####\n")
	box, err := sim.LoadMaze(layout)
	if err != nil {
		t.Fatal(err)
	}
	model := tinyCheckpoint(t, 2, 1, 4)
	if _, err := newDFPolicy(box, dfOptions{Model: model, Plan: plan, Check: true}); err == nil || !strings.Contains(err.Error(), "train-distance") {
		t.Errorf("node with objective learned on a maze without a shipped distance: err = %v, want one naming dfplan train-distance", err)
	}
}

// distanceConfig is what the distance tests read of a bench JSON's config.
type distanceConfig struct {
	Objective string `json:"objective"`
	Distance  string `json:"distance"`
}

// benchDistanceConfig runs a short umaze bench with args and returns the
// objective and distance its JSON records.
func benchDistanceConfig(t *testing.T, args ...string) distanceConfig {
	t.Helper()
	return benchJSONConfig[distanceConfig](t, append([]string{"--horizon-tokens", "3", "--sampling-steps", "2"}, args...)...)
}
