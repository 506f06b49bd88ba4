package sim

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/d4rl"
)

// GenConfig configures Generate.
type GenConfig struct {
	// Maze to collect in. Required.
	Maze *Maze
	// Steps is the number of transitions to record. Must be ≥ 0.
	Steps int
	// Noise is the standard deviation of Gaussian noise added to the
	// expert's action before clipping (D4RL's noisy datasets use 0.5).
	// Default 0.
	Noise float64
	// Seed makes the run reproducible: the same config gives the same data.
	Seed int64
	// Progress, if set, is called with the number of steps done, every
	// 10 000 steps and at the end.
	Progress func(done int)
}

// Generate collects a dataset the way D4RL's generate_maze2d_datasets.py
// does: one continuous stream in which the waypoint expert drives to a goal
// (a uniformly drawn free cell centre plus U(-0.1, 0.1) per axis), and on
// reaching it — or after the maze's episode length — a new goal is drawn
// without resetting the ball. Row t holds the observation, the (noisy,
// clipped) action, the sparse reward of the step's result and the goal;
// timeouts[t] is true where the goal switches after row t (D4RL's "done");
// terminals are all false (maze2d has no terminal states). Two deliberate
// differences from the D4RL script: observations are continuous
// (observations[t+1] = Step(observations[t], actions[t]) everywhere; D4RL
// repeats the pre-switch observation), and rewards are recorded rather than
// zero.
func Generate(ctx context.Context, c GenConfig) (*d4rl.Dataset, error) {
	if c.Maze == nil {
		return nil, errors.New("generate: GenConfig.Maze is nil")
	}
	if c.Steps < 0 {
		return nil, fmt.Errorf("generate: GenConfig.Steps = %d, want ≥ 0", c.Steps)
	}
	if c.Noise < 0 || math.IsNaN(c.Noise) || math.IsInf(c.Noise, 0) {
		return nil, fmt.Errorf("generate: GenConfig.Noise = %v, want a finite value ≥ 0", c.Noise)
	}
	m, n := c.Maze, c.Steps
	d := &d4rl.Dataset{
		N: n, ObsDim: 4, ActDim: 2,
		Observations: make([]float32, n*4),
		Actions:      make([]float32, n*2),
		Rewards:      make([]float32, n),
		Terminals:    make([]bool, n),
		Timeouts:     make([]bool, n),
		Goals:        make([]float32, n*2),
	}
	rng := NewRand(c.Seed)
	expert := NewExpert(m, rng)
	newGoal := func() r2.Point {
		p := m.free[rng.IntN(len(m.free))].Center()
		return r2.Point{X: p.X + uniform(rng, -0.1, 0.1), Y: p.Y + uniform(rng, -0.1, 0.1)}
	}
	goal := newGoal()
	s := m.Reset(rng)
	maxSteps := m.EpisodeLength()
	ts := 0
	for t := 0; t < n; t++ {
		if t%4096 == 0 {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("generate: stopped after %d of %d steps: %w", t, n, context.Cause(ctx))
			}
		}
		if c.Progress != nil && t%10000 == 0 && t > 0 {
			c.Progress(t)
		}
		a, done := expert.Control(s, goal)
		if c.Noise > 0 {
			a[0] += c.Noise * rng.NormFloat64()
			a[1] += c.Noise * rng.NormFloat64()
		}
		a = Action{clamp(a[0], -1, 1), clamp(a[1], -1, 1)}
		if ts >= maxSteps {
			done = true
		}
		next := m.Step(s, a)
		for i := 0; i < 4; i++ {
			d.Observations[4*t+i] = float32(s[i])
		}
		d.Actions[2*t], d.Actions[2*t+1] = float32(a[0]), float32(a[1])
		d.Rewards[t] = float32(SparseReward(r2.Point{X: next[0], Y: next[1]}, goal))
		d.Goals[2*t], d.Goals[2*t+1] = float32(goal.X), float32(goal.Y)
		d.Timeouts[t] = done
		ts++
		if done {
			goal = newGoal()
			ts = 0
		}
		s = next
	}
	if c.Progress != nil {
		c.Progress(n)
	}
	return d, nil
}
