package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/golang/geo/r2"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dfplan/dfplan/robot"
	"github.com/dfplan/dfplan/sim"
)

func init() { subcommands = append(subcommands, newSimnodeCmd) }

type simnodeFlags struct {
	name, maze, start string
	seed              int64
	cmdTimeout        time.Duration
}

func newSimnodeCmd() *cobra.Command {
	var f simnodeFlags
	cmd := &cobra.Command{
		Use:   "simnode [ROS remappings like cmd_vel:=/robot/cmd_vel]",
		Short: "Run the built-in maze simulator as a ROS 1 robot: cmd_vel in, odom and map out",
		Long: `Runs the D4RL maze2d point mass as a simulated ROS robot (see docs/ros.md).

Applies cmd_vel (geometry_msgs/Twist; linear.x/y = the action, held until a
newer one, zero after --cmd-timeout), steps the physics in real time at
100 Hz (0.01 s steps) and publishes odom (nav_msgs/Odometry, frame odom,
child base_link) and the maze on map (nav_msgs/OccupancyGrid, latched, frame
odom) for RViz.

The master comes from ROS_MASTER_URI, this node's address from ROS_IP or
ROS_HOSTNAME; an unreachable master is retried with back-off. Private
parameters ~maze, ~start ("x,y"), ~seed and ~cmd_timeout (s) are read at
start; flags given on the command line override them. A --start inside a
wall or outside the maze is refused.

If ROS shuts the node down (rosnode kill, or another node started with the
same name), it logs why and exits with status 0. Ctrl-C (SIGINT) or
SIGTERM stops it with status 130 or 143 (128 + the signal); a second one
exits at once. If the master restarts, the node registers again.`,
		Example: `  # umaze, starting at the bottom-left corner
  dfplan simnode --maze umaze --start 3,1

  # a random D4RL reset position
  dfplan simnode --maze medium --seed 7`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signalContext(cmd.Context())
			defer stop()
			return runSimnode(ctx, stop, cmd.Flags(), &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "dfplan_sim", "ROS node name (roslaunch's __name:= overrides it)")
	fl.StringVar(&f.maze, "maze", "umaze", "built-in maze name ("+strings.Join(sim.BuiltinMazes(), ", ")+") or a layout file (~maze)")
	fl.StringVar(&f.start, "start", "", `start position "x,y" in state coordinates; default: a D4RL reset draw (~start)`)
	fl.Int64Var(&f.seed, "seed", 0, "seed of the reset draw when --start is not given (~seed)")
	fl.DurationVar(&f.cmdTimeout, "cmd-timeout", robot.DefaultOdomTimeout, "hold the last cmd_vel this long, then apply zero (~cmd_timeout, seconds)")
	return cmd
}

// parseStart parses "x,y" into a point; "" means none.
// parsePoint parses "x,y" given as the named input; "" is no point.
func parsePoint(name, s string) (*r2.Point, error) {
	if s == "" {
		return nil, nil
	}
	xs, ys, ok := strings.Cut(s, ",")
	if !ok {
		return nil, fmt.Errorf("%s %q: want x,y", name, s)
	}
	x, errx := strconv.ParseFloat(strings.TrimSpace(xs), 64)
	y, erry := strconv.ParseFloat(strings.TrimSpace(ys), 64)
	if errx != nil || erry != nil || math.IsNaN(x+y) || math.IsInf(x+y, 0) {
		return nil, fmt.Errorf("%s %q: want two finite numbers x,y", name, s)
	}
	return &r2.Point{X: x, Y: y}, nil
}

// runSimnode runs until ctx ends (a signal) or ROS shuts the node down. stop
// releases the signal handling: it is called as soon as the node starts
// stopping, so that a second Ctrl-C kills the process if closing hangs.
func runSimnode(ctx context.Context, stop func(), fl *pflag.FlagSet, f *simnodeFlags, args []string) error {
	name, ns, err := rosArgs(args, f.name)
	if err != nil {
		return err
	}
	if _, err := parsePoint("start", f.start); err != nil {
		return usagef("--%v", err)
	}
	if f.cmdTimeout <= 0 {
		return usagef("--cmd-timeout %v: want > 0", f.cmdTimeout)
	}
	master, interrupted, err := connectMaster(ctx, fl, f.maze)
	if err != nil || interrupted {
		return err
	}
	log := slog.Default()
	p, err := robot.ReadParams(master, ns, name)
	if err != nil {
		return err
	}
	if !fl.Changed("maze") && p.Maze != "" {
		f.maze = p.Maze
	}
	if !fl.Changed("start") && p.Start != "" {
		f.start = p.Start
	}
	if !fl.Changed("seed") && p.Seed != 0 {
		f.seed = int64(p.Seed)
	}
	if !fl.Changed("cmd-timeout") && p.CmdTimeout != 0 {
		f.cmdTimeout = p.CmdTimeout
	}
	start, err := parsePoint("start", f.start)
	if err != nil {
		return fmt.Errorf("parameters of %s: %w", name, err)
	}
	maze, err := sim.LoadMaze(f.maze)
	if err != nil {
		return fmt.Errorf("maze: %w", err)
	}
	s, err := robot.NewSimNode(robot.SimNodeConf{
		Name: name, Namespace: ns, MasterAddress: master,
		Maze: maze, Start: start, Seed: f.seed, CmdTimeout: f.cmdTimeout, Log: log,
	})
	if err != nil {
		return err
	}
	runUntilStopped(ctx, stop, s)
	return nil
}
