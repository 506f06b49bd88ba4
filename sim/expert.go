package sim

import (
	"math"
	"math/rand/v2"

	"github.com/golang/geo/r2"
)

// Expert is D4RL's maze2d waypoint controller (waypoint_controller.py): a
// shortest grid path from the ball's cell to the goal's cell, waypoints at
// the path's cell centres jittered by -U(0, 0.2) per axis (all but the goal
// cell), PD control action = 10·(waypoint - pos) - 1·vel clipped to
// [-1, 1], and a switch to the next waypoint once the ball is within 0.1 of
// the current one and moved less than 0.1 in the last step. It replans when
// the goal moves to another cell, and only then.
//
// D4RL's reference returns (the 100 of the normalized score) were measured
// with one controller reused over 100 episodes of a fixed goal
// (scripts/reference_scores/maze2d_controller.py). As the goal never moves,
// that controller plans once and later episodes start on stale waypoints,
// often the goal itself, which a straight PD path cannot reach around walls.
// Reuse one Expert across episodes to reproduce those returns (≈ 100
// normalized); a fresh Expert per episode is a much stronger policy (≈ 145,
// 155, 207 on umaze, medium, large). See TestExpertScore.
//
// An Expert is not safe for concurrent use.
type Expert struct {
	m   *Maze
	rng *rand.Rand

	planned   bool
	target    Cell       // the goal's cell: the controller aims at its centre
	waypoints []r2.Point // the last one is target.Center()
	idx       int
	prevLoc   r2.Point // position at the previous call (cell centre after a replan)

	dist  []int // BFS distances to target, per cell
	queue []int
}

const (
	expertP         = 10.0
	expertD         = -1.0
	expertSolveDist = 0.1
	expertSlowDisp  = 0.1
)

// NewExpert returns an expert for m that draws its waypoint jitter from rng.
func NewExpert(m *Maze, rng *rand.Rand) *Expert {
	return &Expert{m: m, rng: rng, dist: make([]int, m.rows*m.cols)}
}

// Act returns the expert's action in state s for the goal position.
func (e *Expert) Act(s State, goal r2.Point) Action {
	a, _ := e.Control(s, goal)
	return a
}

// Control is Act that also reports whether the goal is reached in D4RL's
// sense: within 0.1 of the goal cell's centre, having moved less than 0.1
// since the previous call. Dataset generation switches goals on it.
func (e *Expert) Control(s State, goal r2.Point) (Action, bool) {
	loc := r2.Point{X: s[0], Y: s[1]}
	if tc := CellAt(goal); !e.planned || tc != e.target {
		e.plan(loc, tc)
	}
	target := e.target.Center()
	disp := e.prevLoc.Sub(loc).Norm()
	notSolved := loc.Sub(target).Norm() >= expertSolveDist || disp >= expertSlowDisp

	wp := target
	if notSolved {
		wp = e.waypoints[e.idx]
	}
	a := Action{
		expertP*(wp.X-loc.X) + expertD*s[2],
		expertP*(wp.Y-loc.Y) + expertD*s[3],
	}
	if notSolved && loc.Sub(wp).Norm() < expertSolveDist && disp < expertSlowDisp && e.idx < len(e.waypoints)-1 {
		e.idx++
	}
	e.prevLoc = loc
	return Action{clamp(a[0], -1, 1), clamp(a[1], -1, 1)}, !notSolved
}

// neighbours in the tie-break order of D4RL's grid actions: UP (col-1),
// DOWN (col+1), LEFT (row-1), RIGHT (row+1). Value iteration's argmax picks
// the first of equally good moves, so this reproduces D4RL's paths.
var neighbours = [4][2]int{{0, -1}, {0, 1}, {-1, 0}, {1, 0}}

// plan computes the waypoints from the ball's cell to target.
func (e *Expert) plan(loc r2.Point, target Cell) {
	m := e.m
	e.planned, e.target, e.idx = true, target, 0
	start := CellAt(loc)
	e.prevLoc = start.Center()
	e.waypoints = e.waypoints[:0]

	// BFS from the target over free cells.
	for i := range e.dist {
		e.dist[i] = -1
	}
	if m.IsWall(target) {
		e.waypoints = append(e.waypoints, target.Center())
		return
	}
	e.queue = append(e.queue[:0], target.Row*m.cols+target.Col)
	e.dist[e.queue[0]] = 0
	for h := 0; h < len(e.queue); h++ {
		u := e.queue[h]
		r, c := u/m.cols, u%m.cols
		for _, d := range neighbours {
			n := Cell{r + d[0], c + d[1]}
			if m.IsWall(n) {
				continue
			}
			v := n.Row*m.cols + n.Col
			if e.dist[v] < 0 {
				e.dist[v] = e.dist[u] + 1
				e.queue = append(e.queue, v)
			}
		}
	}

	// Walk downhill; the ball's cell may be a wall cell (the ball can be
	// rounded into one), from which the walk steps to its best free neighbour.
	cur := start
	for steps := 0; cur != target && steps < m.rows*m.cols; steps++ {
		best, bestD := Cell{}, math.MaxInt
		for _, d := range neighbours {
			n := Cell{cur.Row + d[0], cur.Col + d[1]}
			if m.IsWall(n) {
				continue
			}
			if dn := e.dist[n.Row*m.cols+n.Col]; dn >= 0 && dn < bestD {
				best, bestD = n, dn
			}
		}
		if bestD == math.MaxInt {
			break // unreachable: aim at the goal directly
		}
		cur = best
		wp := cur.Center()
		if cur != target {
			wp.X -= 0.2 * e.rng.Float64()
			wp.Y -= 0.2 * e.rng.Float64()
		}
		e.waypoints = append(e.waypoints, wp)
	}
	if len(e.waypoints) == 0 || cur != target {
		e.waypoints = append(e.waypoints, target.Center())
	}
}

// RandomAction returns an action uniform in [-1, 1]², like gym's
// action_space.sample().
func RandomAction(rng *rand.Rand) Action {
	return Action{uniform(rng, -1, 1), uniform(rng, -1, 1)}
}
