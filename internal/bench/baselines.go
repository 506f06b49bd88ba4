package bench

import (
	"context"
	"math/rand/v2"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

// ExpertPolicy is D4RL's waypoint controller (the data's source) as a
// one-step policy: it reads the maze, so it is a reference, not a planner.
type ExpertPolicy struct {
	Maze   *sim.Maze
	Expert *sim.Expert
}

// NewExpertPolicy returns the expert for one episode.
func NewExpertPolicy(m *sim.Maze, seed uint64) *ExpertPolicy {
	return &ExpertPolicy{Maze: m, Expert: sim.NewExpert(m, rand.New(rand.NewPCG(seed, 0xe4)))}
}

// Plan implements planner.Policy with a one-frame plan.
func (p *ExpertPolicy) Plan(_ context.Context, obs, goal []float64) (*planner.Plan, error) {
	s := sim.State{obs[0], obs[1], obs[2], obs[3]}
	a := p.Expert.Act(s, r2.Point{X: goal[0], Y: goal[1]})
	next := p.Maze.Step(s, a)
	return &planner.Plan{Observations: [][]float64{next[:]}, Actions: [][]float64{a[:]}}, nil
}

// RandomPolicy draws uniform actions in [-1, 1]².
type RandomPolicy struct{ rng *rand.Rand }

// NewRandomPolicy returns the random policy for one episode.
func NewRandomPolicy(seed uint64) *RandomPolicy {
	return &RandomPolicy{rng: rand.New(rand.NewPCG(seed, 0x7a))}
}

// Plan implements planner.Policy with a one-frame plan that predicts
// nothing (no Observations).
func (p *RandomPolicy) Plan(_ context.Context, _, _ []float64) (*planner.Plan, error) {
	a := sim.RandomAction(p.rng)
	return &planner.Plan{Actions: [][]float64{a[:]}}, nil
}
