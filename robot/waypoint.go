package robot

import (
	"context"
	"errors"
	"math"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

// WaypointPolicy is a planner.Policy without a model: it follows the
// shortest grid path to the goal with the D4RL expert's PD law
// (action = 10·(waypoint − pos) − 1·vel) and predicts observations by
// rolling out the true simulator. It stands in for the learned planner when
// checking the ROS plumbing or driving the simulated robot; it is not the
// method and its numbers are not planner results.
type WaypointPolicy struct {
	// Maze is the world to plan in. Required.
	Maze *sim.Maze
	// Horizon is the plan length in frames. It defaults to 50.
	Horizon int
}

// Plan implements planner.Policy.
func (p WaypointPolicy) Plan(ctx context.Context, obs, goal []float64) (*planner.Plan, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.Maze == nil {
		return nil, errors.New("WaypointPolicy: Maze: required")
	}
	if len(obs) < 4 || len(goal) < 2 {
		return nil, errors.New("WaypointPolicy: want obs (x, y, vx, vy) and goal (x, y)")
	}
	h := p.Horizon
	if h <= 0 {
		h = 50
	}
	wps := p.waypoints(r2.Point{X: obs[0], Y: obs[1]}, r2.Point{X: goal[0], Y: goal[1]})
	s := sim.State{obs[0], obs[1], obs[2], obs[3]}
	plan := &planner.Plan{}
	k := 0
	for range h {
		pos := r2.Point{X: s[0], Y: s[1]}
		// Advance past intermediate waypoints once close; the last one is
		// the goal itself.
		for k < len(wps)-1 && pos.Sub(wps[k]).Norm() < 0.3 {
			k++
		}
		wp := wps[k]
		a := sim.Action{
			clamp1(10*(wp.X-s[0]) - s[2]),
			clamp1(10*(wp.Y-s[1]) - s[3]),
		}
		s = p.Maze.Step(s, a)
		plan.Actions = append(plan.Actions, []float64{a[0], a[1]})
		plan.Observations = append(plan.Observations, []float64{s[0], s[1], s[2], s[3]})
	}
	return plan, nil
}

// waypoints returns the centres of the grid path from the cell of from to
// the cell of to (breadth-first search over free cells), excluding the
// start cell, ending with to itself.
func (p WaypointPolicy) waypoints(from, to r2.Point) []r2.Point {
	start, end := sim.CellAt(from), sim.CellAt(to)
	prev := map[sim.Cell]sim.Cell{start: start}
	queue := []sim.Cell{start}
	for len(queue) > 0 && queue[0] != end {
		c := queue[0]
		queue = queue[1:]
		for _, d := range [4][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			n := sim.Cell{Row: c.Row + d[0], Col: c.Col + d[1]}
			if _, seen := prev[n]; seen || p.Maze.IsWall(n) {
				continue
			}
			prev[n] = c
			queue = append(queue, n)
		}
	}
	if _, ok := prev[end]; !ok {
		return []r2.Point{to} // no grid path (e.g. start in a wall): head straight for the goal
	}
	var path []r2.Point
	for c := end; c != start; c = prev[c] {
		path = append(path, c.Center())
	}
	// path is end..first step; reverse and replace the end cell's centre by the goal.
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	if len(path) == 0 {
		return []r2.Point{to}
	}
	path[len(path)-1] = to
	return path
}

func clamp1(v float64) float64 { return math.Max(-1, math.Min(1, v)) }
