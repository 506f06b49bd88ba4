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
}

// Policy is anything that turns an observation and a goal into a plan: the
// Diffusion Forcing planner and the baselines all satisfy it, and the ROS
// node and the benchmark drive them through it.
type Policy interface {
	// Plan returns a plan from obs toward goal. It returns ctx.Err() (or an
	// error wrapping it) if the context ends before the plan is ready.
	Plan(ctx context.Context, obs, goal []float64) (*Plan, error)
}
