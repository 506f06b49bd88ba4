package planner

import "context"

// Plan is a sampled future: one entry per frame, starting with the first
// action to execute from the observation the plan was made from.
type Plan struct {
	// Observations[i] is the predicted observation after Actions[i]
	// (unnormalized; for maze2d x, y, vx, vy). Empty for policies that
	// predict nothing (the random baseline).
	Observations [][]float64
	// Actions[i] is the i-th action to execute (unnormalized, clipped to
	// the action bounds).
	Actions [][]float64
	// Start is the observation the plan was made from (nil if the policy
	// does not say): with Ahead > 0, the state predicted for Ahead steps
	// after the observation it was asked for.
	Start []float64
	// Asked is the observation the plan was asked for (nil if the policy
	// does not say); it differs from Start when Ahead > 0.
	Asked []float64
	// Ahead is 0 for a plan made from the observation it was asked for.
	// k > 0: it was made from the state predicted k steps later
	// (Warm.Ahead), so its first action is for that step.
	Ahead int
	// Unguided is 0 for a plan sampled with the goal's guidance. k > 0
	// means the robot was pinned (Config.Unstick) and the plan was sampled
	// without guidance; k − 1 more replans owe the same, if they are given
	// this plan and the robot is not at its goal.
	Unguided int
	// Goal is the goal the plan was made for (nil if the policy does not
	// say). Best and Stalled are the robot's record toward it
	// (Config.Stall): its distance to the goal, where a plan was asked
	// for, when it last counted as progress (StallMargin closer than the
	// Best before; smaller gains are not recorded), and how many guided
	// replans in a row have not come StallMargin closer than Best.
	Goal    []float64
	Best    float64
	Stalled int
	// MCGShift says how much Monte Carlo Guidance changed this plan: the
	// mean, over the sampling rows that averaged over futures, of
	// ‖ḡ − g⁽⁰⁾‖ / ‖g⁽⁰⁾‖ on the tokens being denoised, ḡ the gradient
	// averaged over N sampled futures and g⁽⁰⁾ the plan's own, which plain
	// guidance takes (guidance.Result.Shift). 0 where nothing was
	// averaged: N = 1, no guidance, or a policy that does not guide.
	MCGShift float64
	// ThroughFuture, with Config.Decompose, is the mean over sampling rows
	// of ‖g_f‖ / ‖g‖ on the tokens being denoised: the size, relative to
	// the plan's own guidance gradient g there, of the part g_f that
	// arrives through the future tokens (guidance.Result.Through), the
	// only part MCG can change. 0 otherwise.
	ThroughFuture float64
}

// Policy is anything that turns an observation and a goal into a plan: the
// Diffusion Forcing planner and the baselines all satisfy it, and the ROS
// node and the benchmark drive them through it.
type Policy interface {
	// Plan returns a plan from obs toward goal. It returns ctx.Err() (or an
	// error wrapping it) if the context ends before the plan is ready.
	Plan(ctx context.Context, obs, goal []float64) (*Plan, error)
}

// WarmPolicy is a Policy that can also take the plan the robot was
// executing and how much of it ran: the ROS node passes it, and the
// Diffusion Forcing planner uses it to tell a pinned robot
// (Config.Unstick).
type WarmPolicy interface {
	Policy
	// PlanWarm is Plan with the previous plan (nil: none).
	PlanWarm(ctx context.Context, obs, goal []float64, warm *Warm) (*Plan, error)
}
