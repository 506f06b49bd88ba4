package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bluenviron/goroslib/v2"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/nav_msgs"

	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/robot"
	"github.com/dfplan/dfplan/robot/rostest"
	"github.com/dfplan/dfplan/sim"
)

// withSignalContext makes ROS commands run under ctx instead of waiting for
// a signal, for the rest of the test.
func withSignalContext(t *testing.T, ctx context.Context) {
	old := signalContext
	signalContext = func(context.Context) (context.Context, context.CancelFunc) {
		return context.WithCancel(ctx)
	}
	t.Cleanup(func() { signalContext = old })
}

// Usage errors exit 2 with one line, before the node looks for a master
// (none answers here: a node that waited would exit 0 when ctx ends).
func TestNodeUsageErrors(t *testing.T) {
	t.Setenv("ROS_MASTER_URI", fmt.Sprintf("http://127.0.0.1:%d", rostest.FreePort(t)))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	withSignalContext(t, ctx)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"zero rate", []string{"node", "--rate-hz", "0"}, "rate"},
		{"NaN rate", []string{"node", "--rate-hz", "NaN"}, "rate"},
		{"open loop", []string{"node", "--open-loop", "0"}, "open loop"},
		{"lookahead", []string{"node", "--lookahead", "-2"}, "lookahead -2"},
		{"negative health period", []string{"node", "--health-every", "-1s"}, "health-every -1s"},
		{"negative stop weight", []string{"node", "--stop-weight", "-1"}, "stop weight -1"},
		{"negative hold", []string{"node", "--hold", "-1"}, "hold -1 m: want >= 0"},
		{"settings without the df policy", []string{"node", "--policy", "waypoint", "--plan", "p.yaml"}, "plan p.yaml: planner settings are for the df policy"},
		{"odom timeout", []string{"node", "--odom-timeout", "-1s"}, "odometry timeout"},
		{"deadline", []string{"node", "--plan-deadline", "0s"}, "plan deadline"},
		{"policy", []string{"node", "--policy", "magic"}, "policy"},
		{"maze", []string{"node", "--maze", "no-such-maze"}, "--maze"},
		{"stray argument", []string{"node", "umaze"}, "unexpected argument"},
		{"not a duration", []string{"node", "--odom-timeout", "0.5"}, "odom-timeout"},
		{"unknown preset", []string{"node", "--preset", "fast"}, "--preset fast: want paper or realtime"},
		{"unknown preset, and a model", []string{"node", "--preset", "fast", "--model", "none.safetensors"}, "--preset fast: want paper or realtime"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", tc.args...)
			if lines := strings.Count(strings.TrimSpace(r.stderr), "\n") + 1; r.code != 2 || lines != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and one line about %s", r.code, r.stderr, tc.want)
			}
		})
	}
}

// A bad --plan is refused before the node waits for a master (none runs
// here): by its keys and values alone, and against the model when both
// the maze and the model are on the command line. With the model left to
// ~model, a file that only that model could judge waits for the master.
func TestNodeChecksSettingsBeforeROS(t *testing.T) {
	t.Setenv("ROS_MASTER_URI", fmt.Sprintf("http://127.0.0.1:%d", rostest.FreePort(t)))
	fraction := writeTemp(t, "fraction.yaml", "open_loop: 2.5\n")
	long := writeTemp(t, "long.yaml", "open_loop: 400\n")
	model := filepath.Join("..", "..", "models", "shipped", "large.safetensors")
	for _, tc := range []struct {
		name string
		args []string
		want string // "" = waits for the master
	}{
		{"a fraction", []string{"--maze", "large", "--plan", fraction}, "open_loop: 2.5, want a whole number"},
		{"a fraction, nothing else given", []string{"--plan", fraction}, "open_loop: 2.5, want a whole number"},
		{"beyond the model's horizon", []string{"--maze", "large", "--model", model, "--plan", long}, "open_loop 400: exceeds the horizon of 150 frames"},
		{"the model may come from ~model", []string{"--maze", "large", "--plan", long}, ""},
		// large's model does not fit the default maze, umaze; ~maze may say large.
		{"the maze may come from ~maze", []string{"--model", model, "--plan", long}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
			defer cancel()
			withSignalContext(t, ctx)
			r := runCLI(t, "", append([]string{"node"}, tc.args...)...)
			waited := strings.Contains(r.stderr, "master unreachable")
			switch {
			case tc.want == "" && (r.code != 0 || !waited):
				t.Errorf("exit %d, stderr %q; want it to wait for the master", r.code, r.stderr)
			case tc.want != "" && (r.code != 1 || waited || !strings.Contains(r.stderr, tc.want)):
				t.Errorf("exit %d, stderr %q; want 1 at once, naming %q", r.code, r.stderr, tc.want)
			}
		})
	}
}

// TestNodeWaitsForMaster: with no master, the node retries until
// interrupted and then exits cleanly, without panicking.
func TestNodeWaitsForMaster(t *testing.T) {
	t.Setenv("ROS_MASTER_URI", fmt.Sprintf("http://127.0.0.1:%d", rostest.FreePort(t)))
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	withSignalContext(t, ctx)
	if r := runCLI(t, "", "node", "--policy", "waypoint"); r.code != 0 {
		t.Errorf("interrupted while waiting for the master: exit %d, stderr %q; want 0", r.code, r.stderr)
	}
}

// A model that does not fit the maze is refused at start-up, naming it.
func TestNodeRejectsModelOfAnotherMaze(t *testing.T) {
	rostest.Master(t)
	withSignalContext(t, context.Background())
	model := tinyCheckpoint(t, 2, 1, 4) // positions like umaze
	r := runCLI(t, "", "node", "--maze", "large", "--model", model)
	if r.code != 1 || !strings.Contains(r.stderr, "trained on another maze") || !strings.Contains(r.stderr, model) {
		t.Errorf("exit %d, stderr %q; want 1 and a line naming the model and the mismatch", r.code, r.stderr)
	}
}

func TestNodeBadParameter(t *testing.T) {
	rostest.Require(t, "rosparam")
	rostest.Master(t)
	withSignalContext(t, context.Background())
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/dfplan/open_loop", "-4")
	r := runCLI(t, "", "node", "--policy", "waypoint")
	if r.code != 1 || !strings.Contains(r.stderr, "open loop -4") {
		t.Errorf("exit %d, stderr %q; want 1 and a message naming open loop -4", r.code, r.stderr)
	}
	// A flag overrides the parameter.
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	withSignalContext(t, ctx)
	if r := runCLI(t, "", "node", "--policy", "waypoint", "--open-loop", "5"); r.code != 0 {
		t.Errorf("--open-loop over a bad ~open_loop: exit %d, stderr %q; want 0", r.code, r.stderr)
	}
}

// ~stop_weight and ~hold reach the df planner, and --stop-weight and
// --hold override them.
func TestNodeStopWeightReachesPlanner(t *testing.T) {
	rostest.Require(t, "rosparam")
	rostest.Master(t)
	withSignalContext(t, context.Background())
	var got, gotHold float64
	old := newNodePolicy
	var gotPlan, gotPreset string
	newNodePolicy = func(_ *sim.Maze, o dfOptions) (planner.Policy, error) {
		gotPreset = o.Preset
		got, gotHold = -1, -1 // unset
		if o.StopWeight != nil {
			got = *o.StopWeight
		}
		if o.Hold != nil {
			gotHold = *o.Hold
		}
		gotPlan = o.PlanFrom + " " + o.Plan
		return nil, errors.New("policy captured")
	}
	t.Cleanup(func() { newNodePolicy = old })
	// expect runs the node with each args and wants the value *got of
	// what (-1 = unset) to be want.
	type run struct {
		args []string
		want float64
	}
	expect := func(what string, got *float64, runs ...run) {
		t.Helper()
		for _, tc := range runs {
			*got = -2
			r := runCLI(t, "", append([]string{"node"}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, "policy captured") || *got != tc.want {
				t.Errorf("node %v: exit %d, stderr %q, %s %g; want 1, the policy's error and %g (-1 = unset)", tc.args, r.code, r.stderr, what, *got, tc.want)
			}
		}
	}
	expect("stop weight", &got, run{nil, -1}, run{[]string{"--stop-weight", "0"}, 0})
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/dfplan/stop_weight", "1.5")
	expect("stop weight", &got, run{nil, 1.5}, run{[]string{"--stop-weight", "2"}, 2})
	expect("hold", &gotHold, run{nil, -1})
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/dfplan/hold", "0.3")
	expect("hold", &gotHold, run{nil, 0.3}, run{[]string{"--hold", "0"}, 0})
	rostest.Run(t, 30*time.Second, "rosparam", "delete", "/dfplan/hold")
	// ~plan and --plan reach the policy, named by where they came from.
	file := writeTemp(t, "p.yaml", "guidance_scale: 4\n")
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/dfplan/plan", file)
	for _, tc := range []struct {
		args []string
		want string
	}{{nil, "~plan " + file}, {[]string{"--plan", file}, "--plan " + file}} {
		gotPlan = ""
		if r := runCLI(t, "", append([]string{"node"}, tc.args...)...); !strings.Contains(r.stderr, "policy captured") || gotPlan != tc.want {
			t.Errorf("node %v with ~plan: stderr %q, policy got plan %q; want %q", tc.args, r.stderr, gotPlan, tc.want)
		}
	}
	rostest.Run(t, 30*time.Second, "rosparam", "delete", "/dfplan/plan")
	// ~preset reaches the policy, --preset wins over it, and a preset
	// that does not exist is named by its parameter.
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/dfplan/preset", "paper")
	for _, tc := range []struct {
		args []string
		want string
	}{{nil, "paper"}, {[]string{"--preset", "realtime"}, "realtime"}} {
		gotPreset = ""
		if r := runCLI(t, "", append([]string{"node"}, tc.args...)...); !strings.Contains(r.stderr, "policy captured") || gotPreset != tc.want {
			t.Errorf("node %v with ~preset paper: stderr %q, policy got preset %q; want %q", tc.args, r.stderr, gotPreset, tc.want)
		}
	}
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/dfplan/preset", "fast")
	if r := runCLI(t, "", "node"); r.code != 1 || !strings.Contains(r.stderr, "~preset fast: want paper or realtime") || strings.Contains(r.stderr, "policy captured") {
		t.Errorf("~preset fast: exit %d, stderr %q; want 1 and a message naming ~preset fast, before the policy", r.code, r.stderr)
	}
	rostest.Run(t, 30*time.Second, "rosparam", "delete", "/dfplan/preset")
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/dfplan/stop_weight", "-2")
	if r := runCLI(t, "", "node"); r.code != 1 || !strings.Contains(r.stderr, "stop weight -2") {
		t.Errorf("~stop_weight -2: exit %d, stderr %q; want 1 and a message naming stop weight -2", r.code, r.stderr)
	}
}

// The df policy's planner gets the node's stop weight when one is given,
// and the planner settings' otherwise.
func TestDFPolicyStopWeight(t *testing.T) {
	maze, err := sim.LoadMaze("umaze")
	if err != nil {
		t.Fatal(err)
	}
	plan := writeTemp(t, "plan.yaml", "stop_weight: 2\nguidance_scale: 10\n")
	three, zero := 3.0, 0.0
	for _, tc := range []struct {
		o    dfOptions
		want float64
	}{
		{dfOptions{StopWeight: &three}, 3},
		{dfOptions{Plan: plan}, 2},
		{dfOptions{Plan: plan, StopWeight: &zero}, 0},
	} {
		tc.o.Model = tinyCheckpoint(t, 2, 1, 4)
		pol, err := newDFPolicy(maze, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		p, ok := pol.(*planner.Planner)
		if !ok {
			t.Fatalf("policy is %T, want *planner.Planner", pol)
		}
		if got := p.Config().StopWeight; got != tc.want {
			t.Errorf("%+v: planner stop weight %g, want %g", tc.o, got, tc.want)
		}
	}
}

// The df policy plans with its preset's settings (the node's, realtime,
// unless told), under the settings file, and says so in its "planner
// settings" line.
func TestDFPolicyPreset(t *testing.T) {
	maze, err := sim.LoadMaze("medium") // ships the stop term and unstick, no sampling
	if err != nil {
		t.Fatal(err)
	}
	old := slog.Default()
	t.Cleanup(func() { slog.SetDefault(old) })
	paper, err := planner.Preset(planner.PresetPaper)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := planner.Preset(planner.PresetRealtime)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		preset     string
		want       string
		steps, mcg int
	}{{"", "realtime", rt.SamplingSteps, rt.MCGSamples}, {"realtime", "realtime", rt.SamplingSteps, rt.MCGSamples}, {"paper", "paper", paper.SamplingSteps, paper.MCGSamples}} {
		var buf rostest.Buffer
		slog.SetDefault(slog.New(slog.NewTextHandler(&buf, nil)))
		pol, err := newDFPolicy(maze, dfOptions{Preset: tc.preset})
		if err != nil {
			t.Fatal(err)
		}
		c := pol.(*planner.Planner).Config()
		if c.SamplingSteps != tc.steps || c.MCGSamples != tc.mcg || c.Unstick != 10 {
			t.Errorf("preset %q: %d steps, MCG %d, unstick %d; want %d, %d and medium's shipped 10", tc.preset, c.SamplingSteps, c.MCGSamples, c.Unstick, tc.steps, tc.mcg)
		}
		if line := buf.String(); !strings.Contains(line, "planner settings") || !strings.Contains(line, "preset="+tc.want) || !strings.Contains(line, "shipped for medium") {
			t.Errorf("preset %q: logged %q; want the planner settings line naming preset %s and medium's shipped settings", tc.preset, line, tc.want)
		}
	}
	if _, err := newDFPolicy(maze, dfOptions{Preset: "fast"}); err == nil || err.Error() != "--preset fast: want paper or realtime" {
		t.Errorf("preset fast: error %v", err)
	}
}

// Settings of an experiment that was removed (warm starts) are refused
// by name, not ignored.
func TestDFPolicyRefusesRemovedSettings(t *testing.T) {
	maze, err := sim.LoadMaze("umaze")
	if err != nil {
		t.Fatal(err)
	}
	plan := writeTemp(t, "warm.yaml", "warm_rows: 2\n")
	_, err = newDFPolicy(maze, dfOptions{Model: tinyCheckpoint(t, 2, 1, 4), Plan: plan, PlanFrom: "~plan"})
	if err == nil || !strings.Contains(err.Error(), "~plan "+plan) || !strings.Contains(err.Error(), "warm_rows") {
		t.Errorf("settings with warm_rows 2: error %v, want one naming ~plan %s and warm_rows", err, plan)
	}
}

// TestNodeAndSimnodeCommands runs both commands as a user would (params
// from the parameter server, a goal from rostopic) and checks the
// simulated robot reaches the goal, then that both exit cleanly when
// interrupted.
func TestNodeAndSimnodeCommands(t *testing.T) {
	driveToGoal(t, "waypoint", "3,1", 45*time.Second)
}

// TestNodeDFPlannerReachesGoal runs the Diffusion Forcing planner on the
// shipped umaze model in the node, against the simulated robot, in real
// time: from one cell up the goal's corridor it must get within D4RL's 0.5
// of the goal (1, 1).
func TestNodeDFPlannerReachesGoal(t *testing.T) {
	driveToGoal(t, "df", "1,2.2", 90*time.Second)
}

// driveToGoal runs both commands as a user would (parameters from the
// parameter server, a goal from rostopic), checks that the simulated robot
// reaches the goal (1, 1) from start within the time limit and, with the
// df policy, whose realtime preset brakes within 0.5 m of the goal, stays
// within 0.55 m of it for the next 2 s (without hold it circled out to
// 0.57–1.15 m in 4 runs), then that both exit cleanly when
// interrupted.
func driveToGoal(t *testing.T, policy, start string, within time.Duration) {
	rostest.Require(t, "rostopic", "rosparam")
	master := rostest.Master(t)
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/planner/policy", policy)
	rostest.Run(t, 30*time.Second, "rosparam", "set", "/planner/maze", "umaze")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	withSignalContext(t, ctx)

	var wg sync.WaitGroup
	codes := make([]int, 2)
	wg.Add(2)
	go func() { defer wg.Done(); codes[0] = run([]string{"simnode", "--maze", "umaze", "--start", start}) }()
	go func() { defer wg.Done(); codes[1] = run([]string{"node", "__name:=planner"}) }()

	n, err := goroslib.NewNode(goroslib.NodeConf{Name: "test_watch", MasterAddress: master, Host: "127.0.0.1",
		LogDestinations: goroslib.LogDestinationCallback})
	if err != nil {
		t.Fatal(err)
	}
	reached := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	farthest := 0.0 // from the goal, since the robot reached it
	sub, err := goroslib.NewSubscriber(goroslib.SubscriberConf{Node: n, Topic: "odom", Callback: func(m *nav_msgs.Odometry) {
		d := math.Hypot(m.Pose.Pose.Position.X-1, m.Pose.Pose.Position.Y-1)
		if d <= 0.5 {
			once.Do(func() { close(reached) })
		}
		select {
		case <-reached:
			mu.Lock()
			farthest = max(farthest, d)
			mu.Unlock()
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	rostest.Start(t, nil, "rostopic", "pub", "-1", "/move_base_simple/goal", "geometry_msgs/PoseStamped",
		"{header: {frame_id: odom}, pose: {position: {x: 1.0, y: 1.0}, orientation: {w: 1.0}}}")
	select {
	case <-reached:
		if policy == "df" {
			time.Sleep(2 * time.Second)
			mu.Lock()
			if farthest > 0.55 {
				t.Errorf("df policy: the robot went %.2f m from the goal after reaching it; want it to stay within 0.55 m (hold)", farthest)
			}
			mu.Unlock()
		}
	case <-time.After(within):
		t.Errorf("%s policy: robot did not reach the goal (1, 1) from (%s) within %v", policy, start, within)
	}
	sub.Close()
	n.Close()
	cancel()
	wg.Wait()
	if codes[0] != 0 || codes[1] != 0 {
		t.Errorf("exit codes simnode %d, node %d; want 0 after interrupt", codes[0], codes[1])
	}
}

// watcher is a test ROS node that can ping and kill the commands' nodes.
func watcher(t *testing.T, master string) *goroslib.Node {
	t.Helper()
	n, err := goroslib.NewNode(goroslib.NodeConf{Name: "test_watch", MasterAddress: master, Host: "127.0.0.1",
		LogDestinations: goroslib.LogDestinationCallback})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.Close)
	return n
}

// waitNodeUp waits until node answers on its ROS API.
func waitNodeUp(t *testing.T, w *goroslib.Node, node string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := w.NodePing(node); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not up within 30 s", node)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestCommandsExitOnROSShutdown: when ROS shuts a node down (rosnode kill
// calls its shutdown API), the command exits with status 0 instead of
// running on as a zombie with dead publishers.
// nodeCommands are the two ROS commands with the node name each registers.
var nodeCommands = []struct {
	node string
	args []string
}{
	{"/dfplan", []string{"node", "--policy", "waypoint"}},
	{"/dfplan_sim", []string{"simnode", "--start", "3,1"}},
}

func TestCommandsExitOnROSShutdown(t *testing.T) {
	master := rostest.Master(t)
	withSignalContext(t, context.Background()) // no signal ever comes
	w := watcher(t, master)
	for _, tc := range nodeCommands {
		t.Run(tc.args[0], func(t *testing.T) {
			res := make(chan cliResult, 1)
			go func() { res <- runCLI(t, "", tc.args...) }()
			waitNodeUp(t, w, tc.node)
			if err := w.NodeKill(tc.node); err != nil {
				t.Fatalf("kill %s: %v", tc.node, err)
			}
			select {
			case r := <-res:
				if r.code != 0 {
					t.Errorf("exit %d, stderr %q; want 0", r.code, r.stderr)
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("dfplan %s still running 30 s after a shutdown request", tc.args[0])
			}
		})
	}
}

// TestCommandsReleaseSignalsBeforeClose: the signal handling is released
// as soon as the command starts stopping, while the node is still closing,
// so a second Ctrl-C kills a process whose Close hangs.
func TestCommandsReleaseSignalsBeforeClose(t *testing.T) {
	master := rostest.Master(t)
	w := watcher(t, master)
	for _, tc := range nodeCommands {
		t.Run(tc.args[0], func(t *testing.T) {
			ctx, interrupt := context.WithCancel(context.Background())
			defer interrupt()
			var once sync.Once
			aliveAtStop := make(chan bool, 1)
			old := signalContext
			signalContext = func(context.Context) (context.Context, context.CancelFunc) {
				c, cancel := context.WithCancel(ctx)
				return c, func() {
					once.Do(func() {
						_, err := w.NodePing(tc.node)
						aliveAtStop <- err == nil
					})
					cancel()
				}
			}
			defer func() { signalContext = old }()
			res := make(chan cliResult, 1)
			go func() { res <- runCLI(t, "", tc.args...) }()
			waitNodeUp(t, w, tc.node)
			interrupt()
			select {
			case r := <-res:
				if r.code != 0 {
					t.Errorf("exit %d, stderr %q; want 0", r.code, r.stderr)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("command still running 30 s after the interrupt")
			}
			if !<-aliveAtStop {
				t.Errorf("signal handling released only after %s had left ROS; want it released before Close", tc.node)
			}
		})
	}
}

type fakeHealthy struct {
	done  chan struct{}
	stats robot.NodeStats
}

func (f *fakeHealthy) Done() <-chan struct{}  { return f.done }
func (f *fakeHealthy) Stats() robot.NodeStats { return f.stats }

// The node's health line names what a long run watches, and stops with
// the node.
func TestLogHealth(t *testing.T) {
	var buf rostest.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	n := &fakeHealthy{done: make(chan struct{}), stats: robot.NodeStats{Replans: 7, ReplanP50: 12 * time.Millisecond, TicksPerPlanP50: 2, TicksPerPlanP99: 9, Goals: 2}}
	stopped := make(chan struct{})
	go func() { logHealth(context.Background(), n, 5*time.Millisecond, log); close(stopped) }()
	deadline := time.After(10 * time.Second)
	for !strings.Contains(buf.String(), "node health") {
		select {
		case <-deadline:
			t.Fatal("no health line within 10 s")
		case <-time.After(5 * time.Millisecond):
		}
	}
	close(n.done)
	<-stopped
	line := strings.SplitN(buf.String(), "\n", 2)[0]
	for _, want := range []string{"goroutines=", "heap_mb=", "open_files=", "replans=7", "replan_p50=12ms", "ticks_per_plan_p50=2", "ticks_per_plan_p99=9", "goals=2", "safety_ticks=0"} {
		if !strings.Contains(line, want) {
			t.Errorf("health line %q lacks %q", line, want)
		}
	}
}
