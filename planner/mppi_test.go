package planner

import (
	"context"
	"math"
	"testing"
)

// pointMass is a frictionless double integrator: enough to check that MPPI
// drives toward the goal, without the maze simulator.
func pointMass(next, obs, act []float64) {
	const dt = 0.1
	next[2] = obs[2] + dt*act[0]
	next[3] = obs[3] + dt*act[1]
	next[0] = obs[0] + dt*next[2]
	next[1] = obs[1] + dt*next[3]
}

func TestMPPIReachesGoalOnPointMass(t *testing.T) {
	m, err := NewMPPI(pointMass, MPPIConfig{Samples: 128, Horizon: 30, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	obs := []float64{0, 0, 0, 0}
	goal := []float64{1, -0.5}
	next := make([]float64, 4)
	for step := 0; step < 150; step++ {
		p, err := m.Plan(context.Background(), obs, goal)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Actions) != 30 || len(p.Observations) != 30 {
			t.Fatalf("plan of %d actions / %d observations, want 30", len(p.Actions), len(p.Observations))
		}
		pointMass(next, obs, p.Actions[0])
		copy(obs, next)
	}
	if d := math.Hypot(obs[0]-goal[0], obs[1]-goal[1]); d > 0.2 {
		t.Fatalf("after 150 steps distance to goal %.3f, want ≤ 0.2", d)
	}
}

func TestMPPIRejectsBadConfig(t *testing.T) {
	for name, c := range map[string]MPPIConfig{
		"negative samples": {Samples: -1},
		"negative horizon": {Horizon: -3},
		"horizon of one":   {Horizon: 1},
		"negative noise":   {NoiseStd: -1},
	} {
		if _, err := NewMPPI(pointMass, c); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
	if _, err := NewMPPI(nil, MPPIConfig{}); err == nil {
		t.Error("nil step: want error")
	}
}

func TestMPPIHonoursContext(t *testing.T) {
	m, err := NewMPPI(pointMass, MPPIConfig{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := m.Plan(ctx, []float64{0, 0, 0, 0}, []float64{1, 1}); err == nil {
		t.Fatal("want context error")
	}
}
