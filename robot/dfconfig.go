package robot

import "github.com/dfplan/dfplan/planner"

// DFPlannerConfig is the Diffusion Forcing planner (pyramid schedule, Monte
// Carlo Guidance) sized for one robot replanning in real time at the
// default rate: a shorter horizon and fewer sampling steps than the
// benchmark's, so that a plan arrives within DefaultPlanDeadline on a
// laptop-class CPU. `dfplan node` uses it for --policy df.
var DFPlannerConfig = planner.Config{
	Schedule:      planner.Pyramid,
	SamplingSteps: 5,
	HorizonTokens: 15,
	GuidanceScale: 3,
	MCGSamples:    2,
}
