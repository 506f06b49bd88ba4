package sim

import (
	"context"
	"math"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/dfplan/dfplan/d4rl"
)

func TestGenerate(t *testing.T) {
	m, _ := LoadMaze("umaze")
	var last int
	cfg := GenConfig{Maze: m, Steps: 20000, Noise: 0.5, Seed: 5, Progress: func(n int) { last = n }}
	d, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if last != cfg.Steps {
		t.Errorf("last progress %d, want %d", last, cfg.Steps)
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	// Continuous stream: obs[t+1] = Step(obs[t], act[t]) (to float32 precision).
	switches := 0
	for i := 0; i+1 < d.N; i++ {
		var s State
		for k := range s {
			s[k] = float64(d.Observations[4*i+k])
		}
		next := m.Step(s, Action{float64(d.Actions[2*i]), float64(d.Actions[2*i+1])})
		for k := range next {
			if math.Abs(next[k]-float64(d.Observations[4*(i+1)+k])) > 1e-4 {
				t.Fatalf("row %d: obs[t+1] = %v, Step gives %v", i, d.Observations[4*(i+1):4*(i+2)], next)
			}
		}
		goalChanged := d.Goals[2*i] != d.Goals[2*i+2] || d.Goals[2*i+1] != d.Goals[2*i+3]
		if goalChanged != d.Timeouts[i] {
			t.Fatalf("row %d: timeout %v but goal changed %v", i, d.Timeouts[i], goalChanged)
		}
		if d.Timeouts[i] {
			switches++
		}
		if d.Terminals[i] {
			t.Fatalf("row %d: terminal set; maze2d has none", i)
		}
		if math.Abs(float64(d.Actions[2*i])) > 1 {
			t.Fatalf("row %d: action %v not clipped", i, d.Actions[2*i])
		}
	}
	if switches < 20 {
		t.Errorf("only %d goal switches in %d steps", switches, d.N)
	}
	// Deterministic by seed, and readable after a write.
	d2, _ := Generate(context.Background(), cfg)
	if !reflect.DeepEqual(d, d2) {
		t.Error("same seed gave different datasets")
	}
	path := filepath.Join(t.TempDir(), "u.npz")
	if err := d.Write(path); err != nil {
		t.Fatal(err)
	}
	back, err := d4rl.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, d) {
		t.Error("dataset changed through Write/Read")
	}
}

func TestGenerateErrors(t *testing.T) {
	m, _ := LoadMaze("umaze")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		cfg  GenConfig
	}{
		{"nil maze", context.Background(), GenConfig{Steps: 1}},
		{"negative steps", context.Background(), GenConfig{Maze: m, Steps: -1}},
		{"negative noise", context.Background(), GenConfig{Maze: m, Steps: 1, Noise: -0.1}},
		{"NaN noise", context.Background(), GenConfig{Maze: m, Steps: 1, Noise: math.NaN()}},
		{"cancelled", ctx, GenConfig{Maze: m, Steps: 10}},
	}
	for _, tc := range tests {
		if _, err := Generate(tc.ctx, tc.cfg); err == nil {
			t.Errorf("%s: Generate succeeded", tc.name)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	m, _ := LoadMaze("medium")
	for i := 0; i < b.N; i++ {
		if _, err := Generate(context.Background(), GenConfig{Maze: m, Steps: 100000, Seed: int64(i)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)*100000/b.Elapsed().Seconds(), "steps/s")
}
