package bench

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

// BatchPolicy plans for many episodes in one call (planner.Planner is
// one): the executors' asks, lookahead and unstick rule included.
type BatchPolicy interface {
	planner.Policy
	PlanRequests(ctx context.Context, reqs []planner.Request) ([]*planner.Plan, error)
}

// Planner is a planner under test.
type Planner struct {
	// Name is the row label (df, mppi, expert, ...).
	Name string
	// Batch, if set, plans every episode that needs a plan in one call.
	Batch BatchPolicy
	// New, used when Batch is nil, returns the policy for one episode
	// (policies may keep per-episode state, like a warm start).
	New func(episode int) (planner.Policy, error)
	// OpenLoop is the number of planned actions executed before replanning.
	OpenLoop int
}

// Config is one benchmark cell: a maze, a task and a number of episodes.
type Config struct {
	Maze     *sim.Maze
	Task     sim.Task
	Episodes int
	Seed     int64
	// Steps per episode; 0 means the maze's episode length.
	Steps int
	// MaxBatch caps the episodes planned in one batched call; 0 = no cap.
	MaxBatch int
	// Goal, if set, replaces every episode's goal.
	Goal *r2.Point
	// Progress, if set, is called after every simulated step with the
	// number of steps done and the total.
	Progress func(done, total int)
	// Trace keeps every plan with the state it was made from in
	// Result.Replans (memory grows with episodes × replans × plan length).
	Trace bool
	// Delay is the number of steps a plan takes to arrive, as on a robot
	// whose planner is slower than its control loop (the ROS node): the
	// plan is made from the state at the step it is asked for, the robot
	// keeps executing its current plan (or stands still, with zero
	// actions, if it has none or it runs out) for Delay steps, and then
	// executes the new plan from its action Delay on. One plan per
	// episode is in flight at a time; the next is asked for once it has
	// arrived and OpenLoop steps have passed since the last ask, or when
	// the plan being executed runs out. A plan of no more than Delay
	// actions, which would arrive with nothing left to execute, is an
	// error. As on the node, the plan a robot waited for at rest is
	// handed to the next replan without its previous plan (so a robot
	// that stood still waiting is not taken for pinned). 0 (default) is
	// D4RL's protocol: the simulator waits for the planner.
	Delay int
	// Lookahead, with Delay > 0, asks batch planners (the df planners) to
	// plan from the state predicted for the step the new plan arrives
	// (planner.Predict, planner.ExecutorConf.Lookahead), and executes such
	// a plan from its first action on arrival instead of its action Delay.
	Lookahead bool
}

// Result is the outcome of one benchmark cell.
type Result struct {
	Maze    string
	Task    sim.Task
	Planner string
	Seed    int64
	Steps   int
	Returns []float64
	Scores  []float64 // normalized; nil if the maze has no D4RL constants
	Success []bool
	// FirstReach is, per episode, the step at which the robot first
	// earned a reward (was within the goal radius); -1 if it never did.
	FirstReach []int
	Latencies  []time.Duration // one per planning call
	BatchSize  []int           // plans produced by each planning call
	Wall       time.Duration
	Specs      []sim.EpisodeSpec
	Paths      [][]r2.Point    // executed positions per episode
	LastPlans  []*planner.Plan // the last plan of every episode
	// Drift holds, for every executed plan that predicts observations, the
	// distance between the position reached after its open-loop actions and
	// the position the plan predicted there: how well the planned actions
	// carry out the planned path.
	Drift []float64
	// PlanFrames and PlanFramesInWall count the predicted observations of
	// every executed plan and those whose position lies inside a wall or
	// outside the map: how well the plans respect a layout the planner
	// never sees (measured here, never used to plan).
	PlanFrames, PlanFramesInWall int
	// StartedPlans and UnguidedPlans count the executed plans asked of a
	// batch planner (only those can be asked without guidance) and those
	// sampled without guidance to free a pinned robot
	// (planner.Config.Unstick).
	StartedPlans, UnguidedPlans int
	// MCGShift holds planner.Plan.MCGShift of every executed plan that
	// averaged its guidance over sampled futures (Monte Carlo Guidance
	// with N > 1): how far that moved its gradient from plain guidance's.
	MCGShift []float64
	// Delay is Config.Delay. With Delay > 0, the counts and traces of
	// plans above are kept as plans are asked for, so they include each
	// episode's last plan even if it was still in flight at its end.
	Delay int
	// Lookahead is Config.Lookahead, for planners that can look ahead
	// (BatchPolicy).
	Lookahead bool
	// ROS, if set, says the episodes ran through the ROS planning node in
	// real time (dfplan bench --ros), not in this loop.
	ROS *ROSRun
	// Engine is how the planner's network was run (dynamics.SetEngine),
	// for planners with one; the caller sets it.
	Engine string
	// Preset is the planner preset the planner's settings started from
	// (planner.Preset), for planners that have one; the caller sets it.
	Preset string
	// Replans holds every plan the episodes executed, in the order they
	// were made, when Config.Trace was set.
	Replans []Replan
}

// Replan is one plan of one episode: when it was made, from where, and
// what it said.
type Replan struct {
	Episode, Step int
	State         sim.State
	Plan          *planner.Plan
	// Ask is how the plan was asked for (lookahead, unguided).
	Ask planner.Ask
	// InWall is the number of the plan's predicted positions inside a
	// wall or outside the map.
	InWall int
}

// Run plays c.Episodes episodes of p in lockstep: at every step, the
// episodes whose open-loop actions are used up (and, with c.Delay, whose
// previous plan has arrived) replan together.
func Run(ctx context.Context, c Config, p Planner) (*Result, error) {
	if c.Episodes < 1 {
		return nil, fmt.Errorf("bench: %d episodes, want ≥ 1", c.Episodes)
	}
	if p.OpenLoop < 1 {
		return nil, fmt.Errorf("bench: planner %s: open loop %d, want ≥ 1", p.Name, p.OpenLoop)
	}
	if c.Delay < 0 {
		return nil, fmt.Errorf("bench: plan delay %d, want ≥ 0", c.Delay)
	}
	steps := c.Steps
	if steps == 0 {
		steps = c.Maze.EpisodeLength()
	}
	n := c.Episodes
	res := &Result{
		Maze: c.Maze.Name(), Task: c.Task, Planner: p.Name, Seed: c.Seed, Steps: steps,
		Returns: make([]float64, n), Success: make([]bool, n), FirstReach: make([]int, n),
		Specs: sim.EpisodeSpecs(c.Maze, c.Task, c.Seed, n),
		Paths: make([][]r2.Point, n), LastPlans: make([]*planner.Plan, n),
		Delay: c.Delay,
	}
	// Only batch planners can look ahead.
	if _, ok := p.Batch.(BatchPolicy); ok && c.Delay > 0 {
		res.Lookahead = c.Lookahead
	}
	var policies []planner.Policy
	if p.Batch == nil {
		if p.New == nil {
			return nil, fmt.Errorf("bench: planner %s has neither Batch nor New", p.Name)
		}
		policies = make([]planner.Policy, n)
		for e := range policies {
			pol, err := p.New(e)
			if err != nil {
				return nil, fmt.Errorf("bench: planner %s: %w", p.Name, err)
			}
			policies[e] = pol
		}
	}
	if c.Goal != nil {
		for e := range res.Specs {
			res.Specs[e].Goal = *c.Goal
		}
	}
	states := make([]sim.State, n)
	goals := make([][]float64, n) // each episode's goal (x, y), as the executors take it
	run := make([]running, n)
	ahead := 0 // planner.ExecutorConf.Lookahead
	if res.Lookahead {
		ahead = c.Delay
	}
	for e, s := range res.Specs {
		states[e], goals[e] = s.Start, []float64{s.Goal.X, s.Goal.Y}
		res.FirstReach[e] = -1
		res.Paths[e] = append(make([]r2.Point, 0, steps+1), r2.Point{X: s.Start[0], Y: s.Start[1]})
		pol := planner.Policy(p.Batch)
		if p.Batch == nil {
			pol = policies[e]
		}
		ex, err := planner.NewExecutor(planner.ExecutorConfFor(pol, p.OpenLoop, ahead))
		if err != nil {
			return nil, fmt.Errorf("bench: planner %s: %w", p.Name, err)
		}
		run[e].ex = ex
	}
	// Each plan is executed for span steps before the next one takes
	// over: the open loop, or the delay if the next plan takes longer.
	span := max(p.OpenLoop, c.Delay)
	start := time.Now()
	for step := 0; step < steps; step++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("bench: %s at step %d: %w", p.Name, step, err)
		}
		var need []int
		var asks []planner.Ask
		for e := range run {
			r := &run[e]
			r.arrive(step, c.Delay)
			if r.ex.Due(step) {
				need = append(need, e)
				asks = append(asks, r.ex.Ask(step, states[e][:], goals[e]))
			}
		}
		if len(need) > 0 {
			var plans []*planner.Plan
			for lo := 0; lo < len(need); {
				hi := len(need)
				if c.MaxBatch > 0 {
					hi = min(lo+c.MaxBatch, hi)
				}
				part, err := planFor(ctx, p, policies, need[lo:hi], asks[lo:hi], res)
				if err != nil {
					return nil, fmt.Errorf("bench: %s at step %d: %w", p.Name, step, err)
				}
				plans = append(plans, part...)
				lo = hi
			}
			for i, e := range need {
				if len(plans[i].Actions) == 0 {
					return nil, fmt.Errorf("bench: %s at step %d: empty plan", p.Name, step)
				}
				res.LastPlans[e] = plans[i]
				inWall, frames := 0, 0
				for _, o := range plans[i].Observations {
					if len(o) < 2 { // no position predicted
						continue
					}
					frames++
					if !c.Maze.IsFree(r2.Point{X: o[0], Y: o[1]}) {
						inWall++
					}
				}
				res.PlanFrames += frames
				res.PlanFramesInWall += inWall
				if p.Batch != nil {
					res.StartedPlans++
				}
				if asks[i].Unguided > 0 {
					res.UnguidedPlans++
				}
				if plans[i].MCGShift > 0 {
					res.MCGShift = append(res.MCGShift, plans[i].MCGShift)
				}
				if c.Trace {
					res.Replans = append(res.Replans, Replan{Episode: e, Step: step, State: states[e], Plan: plans[i], Ask: asks[i], InWall: inWall})
				}
				if len(plans[i].Actions) <= c.Delay {
					return nil, fmt.Errorf("bench: %s at step %d: a plan of %d actions arrives %d steps late, with none left to execute (the plan delay must be below the plan's length)", p.Name, step, len(plans[i].Actions), c.Delay)
				}
				run[e].ex.Asked(asks[i])
				run[e].pending, run[e].ask = plans[i], asks[i]
			}
		}
		for e := range states {
			r := &run[e]
			r.arrive(step, c.Delay)
			a, ok := r.ex.Action(step)
			if b, hold := r.ex.Brake(states[e][:], goals[e]); hold {
				a, ok = b, true
			}
			if !ok {
				a = []float64{0, 0} // no plan, or it ran out: stand still
			}
			states[e] = c.Maze.Step(states[e], sim.Action{a[0], a[1]})
			pos := r2.Point{X: states[e][0], Y: states[e][1]}
			rew := sim.SparseReward(pos, res.Specs[e].Goal)
			res.Returns[e] += rew
			if rew > 0 && !res.Success[e] {
				res.Success[e], res.FirstReach[e] = true, step
			}
			res.Paths[e] = append(res.Paths[e], pos)
			pl, _, next, ran := r.ex.Executing()
			if pl == nil {
				continue
			}
			// The plan's stretch is over: compare where it said the robot
			// would be with where it is.
			if obs := pl.Observations; (ran == span || next == len(pl.Actions)) && next <= len(obs) && len(obs[next-1]) >= 2 {
				res.Drift = append(res.Drift, math.Hypot(pos.X-obs[next-1][0], pos.Y-obs[next-1][1]))
			}
		}
		if c.Progress != nil {
			c.Progress(step+1, steps)
		}
	}
	res.Wall = time.Since(start)
	res.ScoreReturns()
	return res, nil
}

// ScoreReturns sets Scores from Returns: D4RL's normalized scores, if the
// maze has its constants.
func (r *Result) ScoreReturns() {
	r.Scores = nil
	for e, ret := range r.Returns {
		if s, ok := sim.NormalizedScore(r.Maze, ret); ok {
			if r.Scores == nil {
				r.Scores = make([]float64, len(r.Returns))
			}
			r.Scores[e] = s
		}
	}
}

// planFor asks p for the plans asks of the episodes in need, timing
// every call.
func planFor(ctx context.Context, p Planner, policies []planner.Policy, need []int, asks []planner.Ask, res *Result) ([]*planner.Plan, error) {
	if p.Batch != nil {
		reqs := make([]planner.Request, len(asks))
		for i, a := range asks {
			reqs[i] = a.Request()
		}
		t := time.Now()
		plans, err := p.Batch.PlanRequests(ctx, reqs)
		if err != nil {
			return nil, err
		}
		res.Latencies = append(res.Latencies, time.Since(t))
		res.BatchSize = append(res.BatchSize, len(need))
		return plans, nil
	}
	plans := make([]*planner.Plan, len(need))
	for i, e := range need {
		t := time.Now()
		pl, err := policies[e].Plan(ctx, asks[i].From, asks[i].Goal)
		if err != nil {
			return nil, err
		}
		res.Latencies = append(res.Latencies, time.Since(t))
		res.BatchSize = append(res.BatchSize, 1)
		plans[i] = pl
	}
	return plans, nil
}

// running is an episode's executor and the plan in flight to it
// (Config.Delay > 0).
type running struct {
	ex      *planner.Executor
	pending *planner.Plan // asked for, not yet arrived
	ask     planner.Ask   // pending's ask
}

// arrive hands the plan in flight to the executor once it is delay steps
// old.
func (r *running) arrive(step, delay int) {
	if r.pending != nil && step-r.ask.Tick >= delay {
		// Made for step ask.Tick + ask.Ahead ≤ step: Arrive cannot hold it,
		// and plans of no more than delay actions were refused at the ask.
		_ = r.ex.Arrive(step, r.ask, r.pending)
		r.pending = nil
	}
}

// Summary is a result's headline numbers.
type Summary struct {
	ScoreMean, ScoreStderr   float64 // normalized score (NaN if unknown maze)
	ReturnMean, ReturnStderr float64
	SuccessRate              float64
	LatencyP50, LatencyP99   time.Duration
	MeanBatch                float64
	DriftMean                float64 // mean of Result.Drift (NaN if none)
	// InWallRate is the share of planned positions inside walls (NaN if
	// the plans predict no observations).
	InWallRate float64
	// UnguidedRate is the share of the executed plans sampled without
	// guidance to free a pinned robot, among those that say where they
	// were made from (NaN if none do: mppi, expert, random).
	UnguidedRate float64
	// MCGShiftMean is the mean of Result.MCGShift (NaN if none: no plan
	// averaged over futures).
	MCGShiftMean float64
	// HoldRate is the share of the steps from the first reach on
	// (inclusive) that the robot spent within the goal radius, pooled over
	// the episodes that reached it (NaN if none did): how well a planner
	// stays once there.
	HoldRate float64
}

// ROSRun is how a run through ROS went on the wall clock.
type ROSRun struct {
	// SkippedSteps are physics steps the simulator node dropped because
	// it fell behind real time.
	SkippedSteps int64 `json:"skipped_steps"`
	// TickJitterP50MS and TickJitterP99MS are the planning node's control
	// tick jitter percentiles, in ms.
	TickJitterP50MS float64 `json:"tick_jitter_p50_ms"`
	TickJitterP99MS float64 `json:"tick_jitter_p99_ms"`
	// TicksPerPlanP50 and TicksPerPlanP99 are the planning node's control
	// ticks from a plan's ask to its arrival (robot.NodeStats).
	TicksPerPlanP50 int `json:"ticks_per_plan_p50"`
	TicksPerPlanP99 int `json:"ticks_per_plan_p99"`
	// Lookahead is the planning node's (robot.NodeConf.Lookahead): 0 off,
	// -1 automatic, k ticks. Runs without it were made before the node
	// had lookahead, so off.
	Lookahead *int `json:"lookahead,omitempty"`
}

// Summarize computes mean ± standard error and latency percentiles.
func (r *Result) Summarize() Summary {
	var s Summary
	s.ReturnMean, s.ReturnStderr = meanStderr(r.Returns)
	s.ScoreMean, s.ScoreStderr = math.NaN(), math.NaN()
	if r.Scores != nil {
		s.ScoreMean, s.ScoreStderr = meanStderr(r.Scores)
	}
	ok := 0
	for _, v := range r.Success {
		if v {
			ok++
		}
	}
	s.SuccessRate = float64(ok) / float64(len(r.Success))
	s.HoldRate = math.NaN()
	if in, after := r.holdSteps(); after > 0 {
		s.HoldRate = in / after
	}
	s.LatencyP50, s.LatencyP99 = percentile(r.Latencies, 0.50), percentile(r.Latencies, 0.99)
	s.DriftMean, _ = meanStderr(r.Drift)
	s.MCGShiftMean, _ = meanStderr(r.MCGShift)
	s.InWallRate = math.NaN()
	if r.PlanFrames > 0 {
		s.InWallRate = float64(r.PlanFramesInWall) / float64(r.PlanFrames)
	}
	s.UnguidedRate = math.NaN()
	if r.StartedPlans > 0 {
		s.UnguidedRate = float64(r.UnguidedPlans) / float64(r.StartedPlans)
	}
	total := 0
	for _, b := range r.BatchSize {
		total += b
	}
	if len(r.BatchSize) > 0 {
		s.MeanBatch = float64(total) / float64(len(r.BatchSize))
	}
	return s
}

// holdSteps sums, over the episodes that reached the goal, the rewarded
// steps and the steps from the first reach to the episode's end.
func (r *Result) holdSteps() (in, after float64) {
	for e, first := range r.FirstReach {
		if first >= 0 {
			in += r.Returns[e]
			after += float64(r.Steps - first)
		}
	}
	return in, after
}

func meanStderr(v []float64) (mean, stderr float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return mean, 0
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss/float64(len(v)-1)) / math.Sqrt(float64(len(v)))
}

// percentile is the nearest-rank percentile q of d (0 if empty).
func percentile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[min(max(i, 0), len(s)-1)]
}
