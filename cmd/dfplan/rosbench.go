package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/internal/bench"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/robot"
	"github.com/dfplan/dfplan/sim"
)

// rosMasterWait is how long dfplan bench --ros looks for the ROS master
// (a variable for tests).
var rosMasterWait = 10 * time.Second

// rosMaster returns the master of ROS_MASTER_URI once it answers.
func rosMaster(ctx context.Context) (string, error) {
	master, err := robot.MasterFromEnv()
	if err != nil {
		return "", fmt.Errorf("--ros: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, rosMasterWait)
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)
	if err := robot.WaitMaster(wctx, master, quiet); err != nil {
		return "", fmt.Errorf("--ros: no ROS master answers at %s (ROS_MASTER_URI) within %v: start one (roscore, or rosmaster --core)", master, rosMasterWait)
	}
	return master, nil
}

// rosBench runs the episodes of c through the ROS planning node in real
// time (robot.RunEpisodes) with p's policy, and scores them as bench.Run
// does. The nodes' warnings go to stderr.
func rosBench(ctx context.Context, master string, c bench.Config, p bench.Planner, progress func(done, total int), stderr io.Writer) (*bench.Result, error) {
	pol, ok := p.Batch.(planner.Policy)
	if !ok {
		return nil, fmt.Errorf("--ros: planner %s cannot run in the planning node", p.Name)
	}
	steps := c.Steps
	if steps == 0 {
		steps = c.Maze.EpisodeLength()
	}
	lookahead := 0 // off: --lookahead=false
	if c.Lookahead {
		lookahead = -1 // automatic
	}
	specs := sim.EpisodeSpecs(c.Maze, c.Task, c.Seed, c.Episodes)
	if c.Goal != nil {
		for e := range specs {
			specs[e].Goal = *c.Goal
		}
	}
	// The nodes log every goal and cancel at info level: keep their
	// warnings only, unless -v asked for everything.
	log := slog.Default()
	if !log.Enabled(ctx, slog.LevelDebug) {
		log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	out, err := robot.RunEpisodes(ctx, robot.EpisodeConf{
		MasterAddress: master, Host: robot.HostFromEnv(),
		Maze: c.Maze, Specs: specs, Steps: steps,
		Policy: pol, OpenLoop: p.OpenLoop, Lookahead: lookahead, Progress: progress, Log: log,
	})
	if err != nil {
		return nil, fmt.Errorf("--ros: %s on %s: %w", p.Name, c.Maze.Name(), err)
	}
	n := len(specs)
	res := &bench.Result{
		Maze: c.Maze.Name(), Task: c.Task, Planner: p.Name, Seed: c.Seed, Steps: steps,
		Returns: make([]float64, n), Success: make([]bool, n), FirstReach: make([]int, n),
		Specs: specs, Paths: make([][]r2.Point, n), LastPlans: make([]*planner.Plan, n),
		Latencies: out.PlanTimes, Wall: out.Wall,
		ROS: &bench.ROSRun{SkippedSteps: out.Skipped,
			TickJitterP50MS: out.Node.TickJitterP50.Seconds() * 1000, TickJitterP99MS: out.Node.TickJitterP99.Seconds() * 1000,
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
