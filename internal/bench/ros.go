package bench

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/robot"
	"github.com/dfplan/dfplan/sim"
)

// RunROS plays the episodes of c through the ROS planning node in real
// time (robot.RunEpisodes: a simulator node and the planning node join the
// master at master, host:port) with p's policy, and scores them as Run
// does. The planner runs as fast as it does on this machine; with
// c.Lookahead the node looks ahead automatically (robot.NodeConf.Lookahead
// −1). c.Delay, c.MaxBatch and c.Trace do not apply. The nodes log to log.
func RunROS(ctx context.Context, master string, c Config, p Planner, log *slog.Logger) (*Result, error) {
	pol := planner.Policy(p.Batch)
	if p.Batch == nil {
		return nil, fmt.Errorf("planner %s cannot run in the planning node", p.Name)
	}
	steps := c.Steps
	if steps == 0 {
		steps = c.Maze.EpisodeLength()
	}
	lookahead := 0 // off
	if c.Lookahead {
		lookahead = -1 // automatic
	}
	specs := sim.EpisodeSpecs(c.Maze, c.Task, c.Seed, c.Episodes)
	if c.Goal != nil {
		for e := range specs {
			specs[e].Goal = *c.Goal
		}
	}
	out, err := robot.RunEpisodes(ctx, robot.EpisodeConf{
		MasterAddress: master, Host: robot.HostFromEnv(),
		Maze: c.Maze, Specs: specs, Steps: steps,
		Policy: pol, OpenLoop: p.OpenLoop, Lookahead: lookahead, Progress: c.Progress, Log: log,
	})
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", p.Name, c.Maze.Name(), err)
	}
	n := len(specs)
	res := &Result{
		Maze: c.Maze.Name(), Task: c.Task, Planner: p.Name, Seed: c.Seed, Steps: steps,
		Returns: make([]float64, n), Success: make([]bool, n), FirstReach: make([]int, n),
		Specs: specs, Paths: make([][]r2.Point, n), LastPlans: make([]*planner.Plan, n),
		Latencies: out.PlanTimes, Wall: out.Wall,
		ROS: &ROSRun{SkippedSteps: out.Skipped,
			TickJitterP50MS: out.Node.TickJitterP50.Seconds() * 1000, TickJitterP99MS: out.Node.TickJitterP99.Seconds() * 1000,
			TicksPerPlanP50: out.Node.TicksPerPlanP50, TicksPerPlanP99: out.Node.TicksPerPlanP99,
			Lookahead: &lookahead},
	}
	for range out.PlanTimes {
		res.BatchSize = append(res.BatchSize, 1)
	}
	for e, ep := range out.Episodes {
		res.Returns[e], res.FirstReach[e], res.Success[e], res.Paths[e] = ep.Return, ep.FirstReach, ep.FirstReach >= 0, ep.Path
	}
	res.ScoreReturns()
	return res, nil
}
