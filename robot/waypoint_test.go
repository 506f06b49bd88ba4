package robot

import (
	"context"
	"math"
	"testing"

	"github.com/dfplan/dfplan/sim"
)

// TestWaypointPolicyReachesGoal drives the simulator with the policy's own
// plans in a receding-horizon loop (no ROS): the stand-in policy the ROS
// tests use must itself reach the goal, or those tests would test nothing.
func TestWaypointPolicyReachesGoal(t *testing.T) {
	m, err := sim.LoadMaze("umaze")
	if err != nil {
		t.Fatal(err)
	}
	pol := WaypointPolicy{Maze: m}
	goal := []float64{1, 1}
	for _, start := range [][2]float64{{3, 1}, {3, 3}, {1, 3}} {
		s := sim.State{start[0], start[1], 0, 0}
		reached := false
		for step := 0; step < m.EpisodeLength() && !reached; step += 10 {
			p, err := pol.Plan(context.Background(), s[:], goal)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range p.Actions[:10] {
				s = m.Step(s, sim.Action{a[0], a[1]})
			}
			reached = math.Hypot(s[0]-goal[0], s[1]-goal[1]) <= 0.5
		}
		if !reached {
			t.Errorf("from %v: not within 0.5 of goal %v after an episode; at %v", start, goal, s)
		}
	}
}
