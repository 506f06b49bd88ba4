package planner

import "context"

// Plan is a sampled future: one entry per frame, starting with the first
// action to execute from the state the plan was made from.
type Plan struct {
	// Observations[i] is the predicted observation after Actions[i]
	// (unnormalized; for maze2d x, y, vx, vy). Empty for policies that
	// predict nothing (the random baseline).
	Observations [][]float64
	// Actions[i] is the i-th action to execute (unnormalized, clipped to
	// the action bounds).
	Actions [][]float64
	// MCGShift says how much Monte Carlo Guidance changed this plan: the
	// mean, over the sampling rows that averaged over futures, of
	// ‖ḡ − g⁽⁰⁾‖ / ‖g⁽⁰⁾‖ on the tokens being denoised, ḡ the gradient
	// averaged over N sampled futures and g⁽⁰⁾ the plan's own, which plain
	// guidance takes (guidance.Result.Shift). 0 where nothing was
	// averaged: N = 1, no guidance, or a policy that does not guide.
	MCGShift float64
}

// Policy is anything that turns an observation and a goal into a plan: the
// Diffusion Forcing planner and the baselines all satisfy it, and the ROS
// node and the benchmark drive them through an Executor.
type Policy interface {
	// Plan returns a plan from obs toward goal. It returns ctx.Err() (or an
	// error wrapping it) if the context ends before the plan is ready.
	Plan(ctx context.Context, obs, goal []float64) (*Plan, error)
}

// Request is one plan asked of a RequestPolicy.
type Request struct {
	// Obs is the state to plan from, Goal the goal (x, y).
	Obs, Goal []float64
	// Unguided asks for a plan sampled without the goal's guidance, from
	// the model alone (Config.Unstick).
	Unguided bool
}

// RequestPolicy is a Policy that takes Requests, several at once: it can
// plan without guidance when asked to, so an Executor may apply the
// unstick rule and lookahead to it. *Planner is one.
type RequestPolicy interface {
	Policy
	// PlanRequests returns one plan per request.
	PlanRequests(ctx context.Context, reqs []Request) ([]*Plan, error)
}
