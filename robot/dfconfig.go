package robot

import "github.com/dfplan/dfplan/planner"

// DFPlannerConfig is the Diffusion Forcing planner (pyramid schedule, Monte
// Carlo Guidance): 15 tokens, 5 sampling steps, guidance 3, MCG 2, sized so
// that one robot's plan arrives within DefaultPlanDeadline on a
// laptop-class CPU. `dfplan node` uses it for --policy df, and `dfplan
// bench` takes its planner defaults from it, so the benchmark scores the
// planner a robot runs; both overlay the settings shipped with a maze's
// model (models/shipped/MAZE.plan.yaml, one per maze) or given with --plan.
// Against the earlier benchmark defaults (10 steps, guidance 10, MCG 4) it
// scored higher on large and medium, level on umaze multi-task and lower
// on umaze single-task, at 0.4× the plan time (docs/results.md, "How the defaults
// were chosen").
var DFPlannerConfig = planner.Config{
	Schedule:      planner.Pyramid,
	SamplingSteps: 5,
	HorizonTokens: 15,
	GuidanceScale: 3,
	MCGSamples:    2,
}
