package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/dfplan/dfplan/internal/bench"
	"github.com/dfplan/dfplan/robot"
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

// rosBench runs the episodes of c through the ROS planning node
// (bench.RunROS). The nodes' warnings go to stderr; with -v, everything.
func rosBench(ctx context.Context, master string, c bench.Config, p bench.Planner, stderr io.Writer) (*bench.Result, error) {
	// The nodes log every goal and cancel at info level: keep their
	// warnings only, unless -v asked for everything.
	log := slog.Default()
	if !log.Enabled(ctx, slog.LevelDebug) {
		log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	res, err := bench.RunROS(ctx, master, c, p, log)
	if err != nil {
		return nil, fmt.Errorf("--ros: %w", err)
	}
	return res, nil
}
