package sim

import (
	"fmt"
	"math"
	"testing"

	"github.com/golang/geo/r2"
)

// TestExpertReachesGoals runs 10 multi-task episodes on every built-in maze
// with a fresh expert per episode: each must end within 0.5 of its goal
// (the sparse-reward radius) and stay in the free region.
func TestExpertReachesGoals(t *testing.T) {
	for _, name := range BuiltinMazes() {
		t.Run(name, func(t *testing.T) {
			m, _ := LoadMaze(name)
			rng := NewRand(3)
			for i, sp := range EpisodeSpecs(m, MultiTask, 11, 10) {
				e := NewExpert(m, rng)
				s := sp.Start
				for k := 0; k < m.EpisodeLength(); k++ {
					s = m.Step(s, e.Act(s, sp.Goal))
				}
				if d := math.Hypot(s[0]-sp.Goal.X, s[1]-sp.Goal.Y); d > 0.5 {
					t.Errorf("episode %d: from %v to %v ended at %v, %.2f away", i, sp.Start, sp.Goal, s, d)
				}
			}
		})
	}
}

func TestExpertWaypoints(t *testing.T) {
	m, _ := LoadMaze("umaze") // #GOO# / ###O# / #OOO#
	e := NewExpert(m, NewRand(1))
	e.Act(State{3, 1, 0, 0}, r2.Point{X: 1, Y: 1})
	want := []Cell{{3, 2}, {3, 3}, {2, 3}, {1, 3}, {1, 2}, {1, 1}}
	if len(e.waypoints) != len(want) {
		t.Fatalf("waypoints %v, want cells %v", e.waypoints, want)
	}
	for i, c := range want {
		w := e.waypoints[i]
		dx, dy := float64(c.Row)-w.X, float64(c.Col)-w.Y
		last := i == len(want)-1
		if (last && (dx != 0 || dy != 0)) || (!last && (dx < 0 || dx > 0.2 || dy < 0 || dy > 0.2)) {
			t.Errorf("waypoint %d = %v, want cell %v centre minus U(0,0.2) (exact for the goal)", i, w, c)
		}
	}
	// Same goal cell: no replanning; new cell: replanned.
	old := append([]r2.Point(nil), e.waypoints...)
	e.Act(State{3, 1.1, 0, 0}, r2.Point{X: 1.05, Y: 0.95})
	if fmt.Sprint(old) != fmt.Sprint(e.waypoints) {
		t.Error("expert replanned for a goal in the same cell")
	}
	e.Act(State{3, 1.1, 0, 0}, r2.Point{X: 3, Y: 3})
	if got := len(e.waypoints); got != 2 {
		t.Errorf("after a goal change %d waypoints, want 2", got)
	}
}

// TestExpertScore reproduces D4RL's reference protocol
// (scripts/reference_scores/maze2d_controller.py): single task, 100 episodes,
// one expert reused across episodes, sparse return per episode. The
// normalized mean must be 100 ± 15 (the D4RL constants are calibrated on
// exactly this) — a check on physics and controller together. A uniform
// random policy must score ≈ 0 (within ±15).
func TestExpertScore(t *testing.T) {
	for _, name := range []string{"umaze", "medium", "large"} {
		m, _ := LoadMaze(name)
		specs := EpisodeSpecs(m, SingleTask, 0, 100)
		rng := NewRand(1)
		expert := NewExpert(m, rng)
		policies := []struct {
			name string
			act  func(s State, g r2.Point) Action
			want float64
		}{
			{"expert", expert.Act, 100},
			{"random", func(State, r2.Point) Action { return RandomAction(rng) }, 0},
		}
		for _, p := range policies {
			var sum, sq float64
			for _, sp := range specs {
				s, ret := sp.Start, 0.0
				for k := 0; k < m.EpisodeLength(); k++ {
					s = m.Step(s, p.act(s, sp.Goal))
					ret += SparseReward(r2.Point{X: s[0], Y: s[1]}, sp.Goal)
				}
				score, _ := NormalizedScore(name, ret)
				sum += score
				sq += score * score
			}
			n := float64(len(specs))
			mean := sum / n
			se := math.Sqrt((sq/n - mean*mean) / (n - 1))
			t.Logf("%s %s: normalized score %.1f ± %.1f (s.e., 100 episodes)", name, p.name, mean, se)
			if math.Abs(mean-p.want) > 15 {
				t.Errorf("%s %s: normalized score %.1f ± %.1f, want %v ± 15", name, p.name, mean, se, p.want)
			}
		}
	}
}
