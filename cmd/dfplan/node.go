package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/robot"
	"github.com/dfplan/dfplan/sim"
)

func init() { subcommands = append(subcommands, newNodeCmd) }

// newNodePolicy builds the Diffusion Forcing planner the node drives, for
// maze, with the model and settings o names. It is a variable so the
// planner can be wired in without the ROS code depending on it.
var newNodePolicy = func(maze *sim.Maze, o dfOptions) (planner.Policy, error) {
	return nil, errors.New("Diffusion Forcing planner not available in this build (use --policy waypoint to drive without a model)")
}

// signalContext returns the context a ROS command runs under: cancelled by
// SIGINT or SIGTERM, which end parent (run's interruptContext; a second
// signal exits at once). Tests replace it.
var signalContext = func(parent context.Context) (context.Context, context.CancelFunc) {
	return context.WithCancel(parent)
}

// nodePolicies are the policies `dfplan node` can drive.
var nodePolicies = []string{"df", "waypoint"}

type nodeFlags struct {
	name, maze, model, policy string
	plan, preset              string
	rate, stopWeight, hold    float64
	openLoop, lookahead       int
	odomTimeout, planDeadline time.Duration
	healthEvery               time.Duration
}

func newNodeCmd() *cobra.Command {
	var f nodeFlags
	cmd := &cobra.Command{
		Use:         "node [ROS remappings like odom:=/robot/odom]",
		Annotations: map[string]string{usesNetwork: "yes"},
		Short:       "Run the planner as a ROS 1 node: odom and goals in, cmd_vel and plans out",
		Long: fmt.Sprintf(`Runs the receding-horizon planner as a ROS 1 node (see docs/ros.md).

Subscribes odom (nav_msgs/Odometry) and move_base_simple/goal
(geometry_msgs/PoseStamped, RViz's "2D Nav Goal"); publishes cmd_vel
(geometry_msgs/Twist, linear.x/y = the action in the odometry frame,
clamped to [-1, 1]) at --rate-hz, ~action
(std_msgs/Float64MultiArray) and each new plan on ~plan (nav_msgs/Path).
A safety watchdog publishes zero actions while odometry is missing or
non-finite, the goal is non-finite or not in free space, the planner fails
or a plan misses --plan-deadline.

The master comes from ROS_MASTER_URI (default http://127.0.0.1:11311), this
node's address from ROS_IP or ROS_HOSTNAME. If the master is unreachable the
node retries with back-off until interrupted. Private parameters ~rate,
~open_loop, ~odom_timeout (s), ~plan_deadline (s), ~model, ~maze, ~policy,
~plan, ~preset, ~stop_weight, ~hold and ~lookahead are read at start; flags given on the command line
override them.

The df policy's settings are, each over the one before:
  1. the planner preset, --preset:
       %-9s %s (the default)
       %-9s %s (dfplan bench's)
  2. the settings shipped with the maze's model
     (models/shipped/MAZE.plan.yaml, if any), or --plan (~plan);
  3. --stop-weight (~stop_weight) and --hold (~hold).
'dfplan bench --preset %s' scores the planner the node runs.

Ctrl-C (SIGINT) or SIGTERM stops the robot and exits with status 130 or
143 (128 + the signal); a second one exits at once. If ROS shuts the node
down (rosnode kill, or another node started with the same name), it stops
the robot, logs why and exits with status 0. If the master restarts, the
node logs it and registers again (topics and its private parameters).`,
			planner.PresetRealtime, presetSummary(planner.PresetRealtime), planner.PresetPaper, presetSummary(planner.PresetPaper), planner.PresetRealtime),
		Example: `  # with roscore and 'dfplan simnode' running
  dfplan node --maze umaze

  # drive without a model (plumbing check), renamed, odometry remapped
  dfplan node --policy waypoint __name:=planner odom:=/robot/odom`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signalContext(cmd.Context())
			defer stop()
			return runNode(ctx, stop, cmd.Flags(), &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.name, "name", "dfplan", "ROS node name (roslaunch's __name:= overrides it)")
	fl.StringVar(&f.maze, "maze", "umaze", "built-in maze name ("+strings.Join(sim.BuiltinMazes(), ", ")+") or a layout file; goals outside its free space are refused (~maze)")
	fl.StringVar(&f.model, "model", "", "model checkpoint for the df policy; default: the one shipped for --maze (~model)")
	fl.StringVar(&f.policy, "policy", "df", "policy: df (the Diffusion Forcing planner) or waypoint (grid path + PD on the true simulator, no model: for plumbing checks) (~policy)")
	fl.Float64Var(&f.rate, "rate-hz", robot.DefaultRate, "control rate in Hz: one action per tick (~rate)")
	fl.IntVar(&f.openLoop, "open-loop", robot.DefaultOpenLoop, "planned actions executed between replans; default: the planner settings' open loop for --policy df (realtime's one token, 10 frames; paper's 5; umaze's shipped settings 3), else 10 (~open_loop)")
	fl.DurationVar(&f.odomTimeout, "odom-timeout", robot.DefaultOdomTimeout, "stop the robot when no odometry arrives for this long (~odom_timeout, seconds)")
	fl.StringVar(&f.preset, "preset", defaultNodePreset, "planner preset the df policy's settings start from: "+planner.PresetRealtime+" (plans in a few control ticks) or "+planner.PresetPaper+" (dfplan bench's default) (~preset)")
	fl.StringVar(&f.plan, "plan", "", "YAML file of df planner settings over the preset's; default: the settings shipped with --maze's model, if any (~plan)")
	fl.Float64Var(&f.stopWeight, "stop-weight", 0, "df policy: near the goal the robot also pays this weight × planned speed, so plans stop there (0 = off; default: the planner settings') (~stop_weight)")
	fl.Float64Var(&f.hold, "hold", 0, "df policy: within this distance (m) of its goal the robot brakes instead of executing its plan, and plans on (0 = off; default: the planner settings', realtime's 0.5) (~hold)")
	fl.IntVar(&f.lookahead, "lookahead", -1, "replan from the state predicted this many ticks on (the odometry extrapolated at its velocity), and execute the new plan from its first action then; -1 = automatic: the median of the last plans' arrival times (the default, by a rule written before its runs: experiments/lookahead/README.md, rule 2); 0 = off: plan from the latest odometry and execute from the action for the tick the plan arrives (~lookahead)")
	fl.DurationVar(&f.healthEvery, "health-every", time.Minute, "log the node's health (goroutines, heap, open files, replans, their latency and control ticks per plan, safety ticks) this often; 0 = never")
	fl.DurationVar(&f.planDeadline, "plan-deadline", robot.DefaultPlanDeadline, "stop the robot while a plan takes longer than this (~plan_deadline, seconds)")
	return cmd
}

// rosArgs splits the command line's ROS arguments (from:=to) from anything
// else, which is a usage error.
func rosArgs(args []string, defName string) (name, ns string, err error) {
	name, ns, rest := robot.NameFromArgs(args, defName)
	if len(rest) > 0 {
		return "", "", usagef("unexpected argument %q (only ROS remappings like odom:=/robot/odom are accepted)", rest[0])
	}
	return name, ns, nil
}

func (f *nodeFlags) validate() error {
	switch {
	case !(f.rate > 0 && f.rate <= 10000):
		return fmt.Errorf("rate %g Hz: want 0 < rate <= 10000", f.rate)
	case f.openLoop < 1:
		return fmt.Errorf("open loop %d: want >= 1", f.openLoop)
	case f.lookahead < -1:
		return fmt.Errorf("lookahead %d: want 0 (off), -1 (automatic) or a number of ticks", f.lookahead)
	case f.odomTimeout <= 0:
		return fmt.Errorf("odometry timeout %v: want > 0", f.odomTimeout)
	case f.planDeadline <= 0:
		return fmt.Errorf("plan deadline %v: want > 0", f.planDeadline)
	case f.healthEvery < 0:
		return fmt.Errorf("health-every %v: want ≥ 0 (0 = never)", f.healthEvery)
	case !(f.stopWeight >= 0) || math.IsInf(f.stopWeight, 0):
		return fmt.Errorf("stop weight %g: want >= 0", f.stopWeight)
	case !(f.hold >= 0) || math.IsInf(f.hold, 0):
		return fmt.Errorf("hold %g m: want >= 0 (0 = off)", f.hold)
	case f.plan != "" && f.policy != "df":
		return fmt.Errorf("plan %s: planner settings are for the df policy; policy %s uses none", f.plan, f.policy)
	case !contains(nodePolicies, f.policy):
		return fmt.Errorf("policy %q: want one of %s", f.policy, strings.Join(nodePolicies, ", "))
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// runNode runs until ctx ends (a signal) or ROS shuts the node down. stop
// releases the signal handling: it is called as soon as the node starts
// stopping, so that a second Ctrl-C kills the process if closing hangs.
func runNode(ctx context.Context, stop func(), fl *pflag.FlagSet, f *nodeFlags, args []string) error {
	name, ns, err := rosArgs(args, f.name)
	if err != nil {
		return err
	}
	if _, err := presetConfig(f.preset); err != nil {
		return err
	}
	if err := f.validate(); err != nil {
		return usagef("%v (see 'dfplan node --help')", err)
	}
	if fl.Changed("plan") {
		// Fail fast, before waiting for ROS; the settings are checked
		// against the model once the policy is built.
		if _, err := os.Stat(f.plan); err != nil {
			return usagef("--plan: %v", err)
		}
		// Check the file now, so a bad one is named at once and not once
		// a master answers: its keys and values alone, and, with both the
		// maze and the model on the command line (parameters cannot
		// change either then), against that model. The errors are the
		// ones the node gives later.
		if f.policy == "df" {
			if err := checkNodePlan(fl, f); err != nil {
				return fmt.Errorf("policy %s: %w", f.policy, err)
			}
		}
	}
	if fl.Changed("model") && f.policy == "df" {
		// A model on the command line wins over ~model: a corrupt or
		// missing one is named at once, not once a master answers.
		if _, _, err := dynamics.Load(f.model); err != nil {
			return fmt.Errorf("policy %s: --model: %w", f.policy, err)
		}
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
	// Flags given on the command line win over parameters, which win over defaults.
	set := func(flag string, paramSet bool, apply func()) {
		if !fl.Changed(flag) && paramSet {
			apply()
		}
	}
	set("rate-hz", p.Rate != 0, func() { f.rate = p.Rate })
	set("open-loop", p.OpenLoop != 0, func() { f.openLoop = p.OpenLoop })
	set("odom-timeout", p.OdomTimeout != 0, func() { f.odomTimeout = p.OdomTimeout })
	set("plan-deadline", p.PlanDeadline != 0, func() { f.planDeadline = p.PlanDeadline })
	set("model", p.Model != "", func() { f.model = p.Model })
	set("maze", p.Maze != "", func() { f.maze = p.Maze })
	set("policy", p.Policy != "", func() { f.policy = p.Policy })
	planFrom := "--plan"
	set("plan", p.Plan != "", func() { f.plan, planFrom = p.Plan, "~plan" })
	set("stop-weight", p.StopWeight != nil, func() { f.stopWeight = *p.StopWeight })
	set("hold", p.Hold != nil, func() { f.hold = *p.Hold })
	set("lookahead", p.Lookahead != nil, func() { f.lookahead = *p.Lookahead })
	set("preset", p.Preset != "", func() { f.preset = p.Preset })
	if _, err := planner.Preset(f.preset); err != nil {
		return fmt.Errorf("parameters of %s: ~preset %s: want %s", name, f.preset, planner.PresetList())
	}
	if err := f.validate(); err != nil {
		return fmt.Errorf("parameters of %s: %w", name, err)
	}
	maze, err := sim.LoadMaze(f.maze)
	if err != nil {
		return fmt.Errorf("maze: %w", err)
	}
	var pol planner.Policy
	switch f.policy {
	case "waypoint":
		pol = robot.WaypointPolicy{Maze: maze, Horizon: max(50, 2*f.openLoop)}
	default:
		o := dfOptions{Preset: f.preset, Model: f.model, Plan: f.plan, PlanFrom: planFrom}
		if fl.Changed("stop-weight") || p.StopWeight != nil {
			o.StopWeight = &f.stopWeight
		}
		if fl.Changed("hold") || p.Hold != nil {
			o.Hold = &f.hold
		}
		if pol, err = newNodePolicy(maze, o); err != nil {
			return fmt.Errorf("policy %s: %w", f.policy, err)
		}
		// Replan as often as the planner settings say, as dfplan bench
		// does, unless told otherwise.
		if c, ok := pol.(interface{ Config() planner.Config }); ok && !fl.Changed("open-loop") && p.OpenLoop == 0 {
			f.openLoop = c.Config().OpenLoop
		}
	}
	node, err := robot.NewNode(robot.NodeConf{
		Name: name, Namespace: ns, MasterAddress: master,
		Policy: pol, Map: maze,
		Rate: f.rate, OpenLoop: f.openLoop, OdomTimeout: f.odomTimeout, PlanDeadline: f.planDeadline,
		Lookahead: f.lookahead, Log: log,
	})
	if err != nil {
		return err
	}
	if f.healthEvery > 0 {
		go logHealth(ctx, node, f.healthEvery, log)
	}
	runUntilStopped(ctx, stop, node)
	return nil
}

// healthy is a running node that reports its statistics.
type healthy interface {
	Done() <-chan struct{}
	Stats() robot.NodeStats
}

// logHealth logs one line about the running node every period until ctx
// ends or the node stops: what a long run on a robot should watch for
// leaks (goroutines, heap, open files) and for plans getting slower.
func logHealth(ctx context.Context, n healthy, period time.Duration, log *slog.Logger) {
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.Done():
			return
		case <-t.C:
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		files := -1
		if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
			files = len(fds)
		}
		s := n.Stats()
		log.Info("node health", "goroutines", runtime.NumGoroutine(), "heap_mb", fmt.Sprintf("%.1f", float64(ms.HeapAlloc)/1e6),
			"open_files", files, "replans", s.Replans, "replan_p50", s.ReplanP50.Round(10*time.Microsecond),
			"replan_p99", s.ReplanP99.Round(10*time.Microsecond), "ticks_per_plan_p50", s.TicksPerPlanP50,
			"ticks_per_plan_p99", s.TicksPerPlanP99, "goals", s.Goals, "safety_ticks", s.SafetyTicks)
	}
}

// checkNodePlan checks f.plan before the node waits for ROS (runNode).
func checkNodePlan(fl *pflag.FlagSet, f *nodeFlags) error {
	maze, err := sim.LoadMaze(f.maze)
	if err != nil {
		return nil // reported where the maze is loaded
	}
	if !fl.Changed("maze") || !fl.Changed("model") {
		base, err := presetConfig(f.preset)
		if err != nil {
			return err
		}
		_, _, err = readPlanSettings(maze, base, f.model, f.plan, "--plan")
		return err
	}
	o := dfOptions{Preset: f.preset, Model: f.model, Plan: f.plan, Check: true}
	if fl.Changed("stop-weight") {
		o.StopWeight = &f.stopWeight
	}
	if fl.Changed("hold") {
		o.Hold = &f.hold
	}
	_, err = newNodePolicy(maze, o)
	return err
}

// stoppable is a running ROS node of ours.
type stoppable interface {
	Done() <-chan struct{}
	Close()
}

// runUntilStopped waits for a signal (ctx) or a shutdown over ROS (rosnode
// kill, a second node of this name: logged, exit 0 as roscpp does), then
// releases the signals — so a second Ctrl-C kills the process — and closes
// the node.
func runUntilStopped(ctx context.Context, stop context.CancelFunc, n stoppable) {
	select {
	case <-ctx.Done():
	case <-n.Done():
	}
	stop()
	n.Close()
}

// connectMaster checks a --maze given on the command line (failing fast,
// before waiting for ROS), then waits for the master named by
// ROS_MASTER_URI. interrupted is true when ctx ended while waiting: the
// caller exits cleanly.
func connectMaster(ctx context.Context, fl *pflag.FlagSet, maze string) (master string, interrupted bool, err error) {
	if fl.Changed("maze") {
		if _, err := sim.LoadMaze(maze); err != nil {
			return "", false, usagef("--maze: %v", err)
		}
	}
	if master, err = robot.MasterFromEnv(); err != nil {
		return "", false, err
	}
	if err := robot.WaitMaster(ctx, master, slog.Default()); err != nil {
		if ctx.Err() != nil {
			return "", true, nil
		}
		return "", false, err
	}
	return master, false, nil
}
