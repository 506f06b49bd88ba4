package sim_test

import (
	"fmt"
	"math"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/sim"
)

// The expert drives the ball from the bottom-left of the U to the goal.
func Example() {
	m, err := sim.LoadMaze("umaze")
	if err != nil {
		panic(err)
	}
	goalCell, _ := m.GoalCell()
	goal := goalCell.Center()
	expert := sim.NewExpert(m, sim.NewRand(0))

	s := sim.State{3, 1, 0, 0} // x, y, vx, vy
	ret := 0.0
	for t := 0; t < m.EpisodeLength(); t++ {
		s = m.Step(s, expert.Act(s, goal))
		ret += sim.SparseReward(r2.Point{X: s[0], Y: s[1]}, goal)
	}
	score, _ := sim.NormalizedScore(m.Name(), ret)
	fmt.Printf("goal %v reached: %v\n", goalCell, math.Hypot(s[0]-goal.X, s[1]-goal.Y) < 0.1)
	fmt.Printf("return %.0f, normalized score %.1f\n", ret, score)
	// Output:
	// goal (1,1) reached: true
	// return 142, normalized score 85.6
}

// Step is one D4RL env step; here the ball hits the wall below it head-on
// at full speed: the wall face is at x = 3.3 (walls sit 0.2 below their
// cells), so the ball of radius 0.1 stops at 3.2 and bounces back.
func ExampleMaze_Step() {
	m, _ := sim.LoadMaze("open")
	s := sim.State{3, 3, 5, 0} // moving towards the wall row 4 at 5 units/s
	for t := 0; t < 8; t++ {
		s = m.Step(s, sim.Action{1, 0})
	}
	fmt.Printf("x = %.3f, vx = %.3f\n", s[0], s[2])
	// Output:
	// x = 3.201, vx = -0.102
}
