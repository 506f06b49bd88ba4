package sim

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/golang/geo/r2"
)

// Task selects how episode goals are chosen.
type Task int

const (
	// SingleTask fixes the goal at the layout's 'G' cell (D4RL maze2d).
	SingleTask Task = iota
	// MultiTask draws a random free cell as the goal of each episode.
	MultiTask
)

// ParseTask parses "single" or "multi" (also "single-task", "multi-task").
func ParseTask(s string) (Task, error) {
	switch strings.ToLower(s) {
	case "single", "single-task", "singletask":
		return SingleTask, nil
	case "multi", "multi-task", "multitask":
		return MultiTask, nil
	}
	return 0, fmt.Errorf("unknown task %q (want single or multi)", s)
}

// String returns "single" or "multi".
func (t Task) String() string {
	switch t {
	case SingleTask:
		return "single"
	case MultiTask:
		return "multi"
	}
	return fmt.Sprintf("Task(%d)", int(t))
}

// EpisodeSpec is the start state and goal position of one episode.
type EpisodeSpec struct {
	Start State
	Goal  r2.Point
}

// NewRand returns the random generator package sim uses for seed: the same
// seed gives the same stream on every platform.
func NewRand(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x6466706c616e)) // "dfplan"
}

// Reset draws a start state as D4RL's reset_model does: a free or goal cell
// chosen uniformly, its centre plus U(-0.1, 0.1) per axis, and a velocity
// drawn from N(0, 0.1²) per axis.
func (m *Maze) Reset(rng *rand.Rand) State {
	c := m.free[rng.IntN(len(m.free))].Center()
	return State{
		c.X + uniform(rng, -0.1, 0.1),
		c.Y + uniform(rng, -0.1, 0.1),
		0.1 * rng.NormFloat64(),
		0.1 * rng.NormFloat64(),
	}
}

// DefaultGoal returns the single-task goal: the 'G' cell's centre, or, as in
// D4RL, the first free cell's when the layout has no 'G'.
func (m *Maze) DefaultGoal() r2.Point {
	if m.hasG {
		return m.goal.Center()
	}
	return m.free[0].Center()
}

// EpisodeSpecs returns n episode starts and goals drawn from seed. Starts
// follow Reset. Single task: the goal is DefaultGoal. Multi task: the goal
// is the centre of a uniformly drawn free cell other than the start cell
// (when there is another). The same (maze, task, seed) always gives the same
// specs, and the first k of n specs equal the specs for n = k.
func EpisodeSpecs(m *Maze, task Task, seed int64, n int) []EpisodeSpec {
	rng := NewRand(seed)
	specs := make([]EpisodeSpec, max(n, 0))
	for i := range specs {
		s := m.Reset(rng)
		g := m.DefaultGoal()
		if task == MultiTask {
			start := CellAt(r2.Point{X: s[0], Y: s[1]})
			for {
				c := m.free[rng.IntN(len(m.free))]
				if c != start || len(m.free) == 1 {
					g = c.Center()
					break
				}
			}
		}
		specs[i] = EpisodeSpec{Start: s, Goal: g}
	}
	return specs
}

func uniform(rng *rand.Rand, lo, hi float64) float64 { return lo + (hi-lo)*rng.Float64() }
