package robot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/goroslib/v2"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/geometry_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/nav_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/std_msgs"
	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/robot/rostest"
	"github.com/dfplan/dfplan/sim"
)

// waitFor is the generous bound on anything these tests wait for; the
// tests assert what happens, never how fast.
const waitFor = 30 * time.Second

// logBuffer is a concurrency-safe log sink, to count log lines.
type logBuffer struct{ rostest.Buffer }

// count returns how many log lines contain all the given substrings.
func (l *logBuffer) count(substrs ...string) int {
	n := 0
lines:
	for _, line := range strings.Split(l.String(), "\n") {
		for _, s := range substrs {
			if !strings.Contains(line, s) {
				continue lines
			}
		}
		n++
	}
	return n
}

func testLogger(t *testing.T) (*slog.Logger, *logBuffer) {
	buf := &logBuffer{}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("node log:\n%s", buf.String())
		}
	})
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

func umaze(t *testing.T) *sim.Maze {
	t.Helper()
	m, err := sim.LoadMaze("umaze")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// rosClient is the test's own ROS node: it watches cmd_vel and can publish
// odometry.
type rosClient struct {
	node    *goroslib.Node
	actions chan [2]float64
}

// odomClient is a test client publishing odometry of a robot at rest at
// (3, 3).
func odomClient(t *testing.T, master string) (*rosClient, *fakeOdom) {
	t.Helper()
	c := newClient(t, master)
	odom := &fakeOdom{}
	odom.set([4]float64{3, 3, 0, 0}, false)
	c.publishOdom(t, odom)
	return c, odom
}

func newClient(t *testing.T, master string) *rosClient {
	t.Helper()
	n, err := goroslib.NewNode(goroslib.NodeConf{Name: "test_client", MasterAddress: master, Host: "127.0.0.1",
		LogDestinations: goroslib.LogDestinationCallback})
	if err != nil {
		t.Fatal(err)
	}
	c := &rosClient{node: n, actions: make(chan [2]float64, 1024)}
	sub, err := goroslib.NewSubscriber(goroslib.SubscriberConf{Node: n, Topic: "cmd_vel", Callback: func(m *geometry_msgs.Twist) {
		select {
		case c.actions <- [2]float64{m.Linear.X, m.Linear.Y}:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sub.Close(); n.Close() })
	return c
}

// expectActions waits until n consecutive cmd_vel messages satisfy ok.
func (c *rosClient) expectActions(t *testing.T, what string, n int, ok func(a [2]float64) bool) {
	t.Helper()
	deadline := time.After(waitFor)
	run := 0
	for run < n {
		select {
		case a := <-c.actions:
			if ok(a) {
				run++
			} else {
				run = 0
			}
		case <-deadline:
			t.Fatalf("no %d consecutive %s actions on cmd_vel within %v", n, what, waitFor)
		}
	}
}

func isZero(a [2]float64) bool            { return a == [2]float64{} }
func moving(a [2]float64) bool            { return a != [2]float64{} }
func (c *rosClient) stopped(t *testing.T) { t.Helper(); c.expectActions(t, "zero", 20, isZero) }
func (c *rosClient) driving(t *testing.T) { t.Helper(); c.expectActions(t, "non-zero", 5, moving) }

// fakeOdom publishes odometry of a robot standing at a settable state at
// 100 Hz until paused.
type fakeOdom struct {
	mu     sync.Mutex
	state  [4]float64
	paused bool
}

func (f *fakeOdom) set(s [4]float64, paused bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.state, f.paused = s, paused
}

func (c *rosClient) publishOdom(t *testing.T, f *fakeOdom) {
	t.Helper()
	pub, err := goroslib.NewPublisher(goroslib.PublisherConf{Node: c.node, Topic: "odom", Msg: &nav_msgs.Odometry{}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tk := time.NewTicker(10 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tk.C:
				f.mu.Lock()
				s, paused := f.state, f.paused
				f.mu.Unlock()
				if paused {
					continue
				}
				pub.Write(&nav_msgs.Odometry{
					Header: std_msgs.Header{FrameId: "odom", Stamp: time.Now()},
					Pose: geometry_msgs.PoseWithCovariance{Pose: geometry_msgs.Pose{
						Position: geometry_msgs.Point{X: s[0], Y: s[1]}, Orientation: geometry_msgs.Quaternion{W: 1}}},
					Twist: geometry_msgs.TwistWithCovariance{Twist: geometry_msgs.Twist{
						Linear: geometry_msgs.Vector3{X: s[2], Y: s[3]}}},
				})
			}
		}
	}()
	t.Cleanup(func() { cancel(); <-done; pub.Close() })
}

// sendGoal publishes a goal with the real ROS command-line client, as a
// user would; rostopic keeps running (latched) for 3 s in the background.
func sendGoal(t *testing.T, x, y string) {
	t.Helper()
	rostest.Start(t, nil, "rostopic", "pub", "-1", "/move_base_simple/goal", "geometry_msgs/PoseStamped",
		fmt.Sprintf("{header: {frame_id: odom}, pose: {position: {x: %s, y: %s}, orientation: {w: 1.0}}}", x, y))
}

// TestNodeDrivesSimToGoal is the plumbing end to end: a real rosmaster, the
// simulated robot and the planning node in-process, a goal from rostopic;
// the robot must reach it.
func TestNodeDrivesSimToGoal(t *testing.T) {
	rostest.Require(t, "rostopic")
	master := rostest.Master(t)
	log, _ := testLogger(t)
	sn, node := simAndNode(t, umaze(t), r2.Point{X: 3, Y: 3}, log)

	// Watch ~plan as a user would, with a goroslib subscriber.
	c := newClient(t, master)
	plans := make(chan int, 16)
	sub, err := goroslib.NewSubscriber(goroslib.SubscriberConf{Node: c.node, Topic: "/dfplan/plan", Callback: func(p *nav_msgs.Path) {
		if p.Header.FrameId == "odom" && !p.Header.Stamp.IsZero() {
			select {
			case plans <- len(p.Poses):
			default:
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()

	sendGoal(t, "1.0", "1.0")
	deadline := time.Now().Add(waitFor)
	for {
		s := sn.State()
		if math.Hypot(s[0]-1, s[1]-1) <= 0.5 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("robot at (%.2f, %.2f) did not reach goal (1, 1) within %v", s[0], s[1], waitFor)
		}
		time.Sleep(20 * time.Millisecond)
	}
	select {
	case n := <-plans:
		if n == 0 {
			t.Error("~plan published an empty path")
		}
	case <-time.After(waitFor):
		t.Error("no plan on /dfplan/plan")
	}
	st := node.Stats()
	if st.Ticks == 0 || st.Replans == 0 {
		t.Errorf("stats = %+v, want ticks and replans counted", st)
	}
	t.Logf("stats: %+v", st)
}

// switchPolicy wraps a policy and can be made to fail or to be slow.
type switchPolicy struct {
	inner planner.Policy
	mode  atomic.Int32 // 0 normal, 1 error, 2 slow
	slow  time.Duration
}

func (p *switchPolicy) Plan(ctx context.Context, obs, goal []float64) (*planner.Plan, error) {
	switch p.mode.Load() {
	case 1:
		return nil, errors.New("test policy told to fail")
	case 2:
		select {
		case <-time.After(p.slow):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return p.inner.Plan(ctx, obs, goal)
}

// TestNodeWatchdogWithROS triggers every watchdog fault through real ROS
// traffic and checks the node publishes zero actions while it lasts, logs
// it once, and drives again once inputs are sane.
func TestNodeWatchdogWithROS(t *testing.T) {
	rostest.Require(t, "rostopic")
	master := rostest.Master(t)
	m := umaze(t)
	log, logs := testLogger(t)
	pol := &switchPolicy{inner: WaypointPolicy{Maze: m}, slow: 600 * time.Millisecond}
	node, err := NewNode(NodeConf{Policy: pol, Map: m, Log: log, PlanDeadline: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	c, odom := odomClient(t, master)

	sendGoal(t, "1.0", "1.0")
	c.driving(t)

	raised := func(f Fault) int { return logs.count("safety stop", "fault="+f.String()+" ") }

	t.Run("odometry stops", func(t *testing.T) {
		odom.set([4]float64{3, 3, 0, 0}, true)
		c.stopped(t)
		c.stopped(t) // still stopped a while later, and...
		if n := raised(FaultNoOdom); n != 1 {
			t.Errorf("no_odom logged %d times, want once", n)
		}
		odom.set([4]float64{3, 3, 0, 0}, false)
		c.driving(t)
	})
	t.Run("NaN odometry", func(t *testing.T) {
		odom.set([4]float64{3, math.NaN(), 0, 0}, false)
		c.stopped(t)
		odom.set([4]float64{3, 3, 0, 0}, false)
		c.driving(t)
		if n := raised(FaultBadOdom); n != 1 {
			t.Errorf("bad_odom logged %d times, want once", n)
		}
	})
	// Odometry the robot cannot be at (the probe's (25, 25) and (1e300, 1))
	// or faster than it goes: one line naming the value; the planner
	// never sees it.
	for _, tc := range []struct {
		name  string
		state [4]float64
		log   string
	}{
		{"odometry outside the map", [4]float64{25, 25, 0, 0}, "odometry position (25, 25) is outside the map"},
		{"odometry at 1e300", [4]float64{1e300, 1, 0, 0}, "odometry position (1e+300, 1) is outside the map"},
		{"odometry too fast", [4]float64{3, 3, 0, 40}, "odometry velocity (0, 40) exceeds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			odom.set(tc.state, false)
			c.stopped(t)
			c.stopped(t)
			if n := logs.count("safety stop", "fault=bad_odom", tc.log); n != 1 {
				t.Errorf("%d log lines naming %q, want 1", n, tc.log)
			}
			odom.set([4]float64{3, 3, 0, 0}, false)
			c.driving(t)
			if n := raised(FaultPlanner); n != 0 {
				t.Errorf("planner_error logged %d times; odometry beyond the limits must not reach the planner", n)
			}
		})
	}
	t.Run("NaN goal", func(t *testing.T) {
		sendGoal(t, ".nan", "1.0")
		c.stopped(t)
		sendGoal(t, "1.0", "1.0")
		c.driving(t)
		if n := raised(FaultBadGoal); n != 1 {
			t.Errorf("bad_goal logged %d times, want once", n)
		}
	})
	t.Run("goal in a wall", func(t *testing.T) {
		sendGoal(t, "2.0", "2.0") // umaze cell (2,2) is a wall
		c.stopped(t)
		sendGoal(t, "1.0", "1.0")
		c.driving(t)
	})
	t.Run("goal outside the map", func(t *testing.T) {
		sendGoal(t, "40.0", "-7.0")
		c.stopped(t)
		sendGoal(t, "1.0", "1.0")
		c.driving(t)
		if n := raised(FaultGoalBlocked); n != 2 {
			t.Errorf("goal_blocked logged %d times, want once per bad goal (2)", n)
		}
	})
	t.Run("planner error", func(t *testing.T) {
		pol.mode.Store(1)
		c.stopped(t)
		c.stopped(t)
		if n := raised(FaultPlanner); n != 1 {
			t.Errorf("planner_error logged %d times, want once", n)
		}
		pol.mode.Store(0)
		c.driving(t)
	})
	t.Run("plan later than deadline", func(t *testing.T) {
		pol.mode.Store(2)
		c.stopped(t)
		if raised(FaultPlanLate) == 0 {
			t.Error("plan_late not logged")
		}
		pol.mode.Store(0)
		c.driving(t)
	})
}

// TestNodeCloseSendsZero checks Close leaves the robot commanded to stop.
func TestNodeCloseSendsZero(t *testing.T) {
	rostest.Require(t, "rostopic")
	master := rostest.Master(t)
	m := umaze(t)
	log, _ := testLogger(t)
	node, err := NewNode(NodeConf{Policy: WaypointPolicy{Maze: m}, Map: m, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := odomClient(t, master)
	sendGoal(t, "1.0", "1.0")
	c.driving(t)
	node.Close()
	var last [2]float64
	for {
		select {
		case a := <-c.actions:
			last = a
			continue
		case <-time.After(time.Second):
		}
		break
	}
	if !isZero(last) {
		t.Errorf("last action after Close = %v, want zero", last)
	}
}

func TestNewNodeNamesBadField(t *testing.T) {
	m := umaze(t)
	pol := WaypointPolicy{Maze: m}
	for _, tc := range []struct {
		name  string
		conf  NodeConf
		field string
	}{
		{"no policy", NodeConf{Map: m}, "Policy"},
		{"no map", NodeConf{Policy: pol}, "Map"},
		{"negative rate", NodeConf{Policy: pol, Map: m, Rate: -1}, "Rate"},
		{"NaN rate", NodeConf{Policy: pol, Map: m, Rate: math.NaN()}, "Rate"},
		{"negative open loop", NodeConf{Policy: pol, Map: m, OpenLoop: -3}, "OpenLoop"},
		{"negative odom timeout", NodeConf{Policy: pol, Map: m, OdomTimeout: -time.Second}, "OdomTimeout"},
		{"negative deadline", NodeConf{Policy: pol, Map: m, PlanDeadline: -time.Second}, "PlanDeadline"},
		{"slash in name", NodeConf{Policy: pol, Map: m, Name: "a/b"}, "Name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewNode(tc.conf)
			if err == nil || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("NewNode error = %v, want one naming %s", err, tc.field)
			}
		})
	}
}

func TestNewNodeMasterUnreachable(t *testing.T) {
	m := umaze(t)
	addr := fmt.Sprintf("127.0.0.1:%d", rostest.FreePort(t))
	_, err := NewNode(NodeConf{Policy: WaypointPolicy{Maze: m}, Map: m, MasterAddress: addr})
	if err == nil || !strings.Contains(err.Error(), addr) {
		t.Errorf("NewNode with no master: error = %v, want one naming the master %s", err, addr)
	}
}

// TestWaitMasterRetries checks WaitMaster keeps retrying while the master
// is down, without panicking, and returns once it is up.
func TestWaitMasterRetries(t *testing.T) {
	rostest.Require(t)
	addr := fmt.Sprintf("127.0.0.1:%d", rostest.FreePort(t))
	log, logs := testLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 600*time.Millisecond)
	err := WaitMaster(ctx, addr, log)
	cancel()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitMaster with no master = %v, want the context's error", err)
	}
	if logs.count("ROS master unreachable") < 1 {
		t.Error("no log line saying the master is unreachable")
	}
	errc := make(chan error, 1)
	ctx, cancel = context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	go func() { errc <- WaitMaster(ctx, addr, log) }()
	time.Sleep(300 * time.Millisecond)
	rostest.StartMasterAt(t, addr)
	if err := <-errc; err != nil {
		t.Fatalf("WaitMaster after the master started: %v", err)
	}
}

// TestNodeShutdownByROS: a shutdown request (what rosnode kill sends) makes
// the node stop the robot, log it once and close Done, instead of ticking
// on with dead publishers.
func TestNodeShutdownByROS(t *testing.T) {
	rostest.Require(t)
	master := rostest.Master(t)
	m := umaze(t)
	log, logs := testLogger(t)
	node, err := NewNode(NodeConf{Policy: WaypointPolicy{Maze: m}, Map: m, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	c, _ := odomClient(t, master)
	pub, err := goroslib.NewPublisher(goroslib.PublisherConf{Node: c.node, Topic: "move_base_simple/goal", Msg: &geometry_msgs.PoseStamped{}, Latch: true})
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	pub.Write(&geometry_msgs.PoseStamped{Header: std_msgs.Header{FrameId: "odom"},
		Pose: geometry_msgs.Pose{Position: geometry_msgs.Point{X: 1, Y: 1}, Orientation: geometry_msgs.Quaternion{W: 1}}})
	c.driving(t)

	if err := c.node.NodeKill("/dfplan"); err != nil {
		t.Fatalf("kill /dfplan: %v", err)
	}
	wantStoppedByROS(t, node, "/test_client", logs)
	// The last command the robot got is a stop.
	var last [2]float64
	got := false
	for {
		select {
		case a := <-c.actions:
			last, got = a, true
			continue
		case <-time.After(time.Second):
		}
		break
	}
	if !got || !isZero(last) {
		t.Errorf("last action after the shutdown request = %v (any: %v), want zero", last, got)
	}
}

// TestSimNodeShutdownBySameName: a second node registering under the
// simulator's name makes the master shut the first one down; it stops and
// closes Done.
func TestSimNodeShutdownBySameName(t *testing.T) {
	rostest.Require(t)
	master := rostest.Master(t)
	log, logs := testLogger(t)
	sn, err := NewSimNode(SimNodeConf{Maze: umaze(t), Start: &r2.Point{X: 3, Y: 1}, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	twin, err := goroslib.NewNode(goroslib.NodeConf{Name: "dfplan_sim", MasterAddress: master, Host: "127.0.0.1",
		LogDestinations: goroslib.LogDestinationCallback})
	if err != nil {
		t.Fatal(err)
	}
	defer twin.Close()
	select {
	case <-sn.Done():
	case <-time.After(waitFor):
		t.Fatal("simulated robot still running after the master shut it down")
	}
	if err := sn.Err(); !errors.Is(err, ErrShutdownRequested) {
		t.Errorf("Err() = %v, want ErrShutdownRequested", err)
	}
	if k := logs.count("ROS asked the node to shut down"); k != 1 {
		t.Errorf("shutdown logged %d times, want once", k)
	}
}

// Reset moves the robot and hands the observer every physics step from
// the new state on, until it declines.
func TestSimNodeReset(t *testing.T) {
	rostest.Require(t)
	rostest.Master(t)
	log, _ := testLogger(t)
	m := umaze(t)
	sn, err := NewSimNode(SimNodeConf{Maze: m, Start: &r2.Point{X: 3, Y: 1}, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	start := sim.State{1, 3, 0.5, -0.2}
	var seen []sim.State // written under the node's lock, read after done
	done := make(chan struct{})
	sn.Reset(start, func(s sim.State) bool {
		seen = append(seen, s)
		if len(seen) == 5 {
			close(done)
			return false
		}
		return true
	})
	select {
	case <-done:
	case <-time.After(waitFor):
		t.Fatal("observer not called 5 times")
	}
	time.Sleep(50 * time.Millisecond) // five more steps: the observer must be gone
	sn.Reset(sn.State(), nil)         // takes the lock after any step in progress
	if len(seen) != 5 {
		t.Fatalf("observer called %d times, want 5 (it returned false)", len(seen))
	}
	// No cmd_vel: every step applies the zero action, from start.
	want := start
	for i, s := range seen {
		want = m.Step(want, sim.Action{})
		if s != want {
			t.Fatalf("step %d: observed %v, want %v (stepping from the reset state)", i, s, want)
		}
	}
	if k := sn.Skipped(); k != 0 {
		t.Logf("%d steps skipped (a loaded machine)", k)
	}
}

// TestReadParamsRejectsBadNumbers: a fractional ~open_loop or a
// non-finite duration is an error naming the parameter, not a silent
// truncation or an arbitrary duration.
func TestReadParamsRejectsBadNumbers(t *testing.T) {
	master := rostest.Master(t)
	c := newClient(t, master)
	for _, tc := range []struct {
		param string
		set   func(string) error
		want  string
	}{
		{"/dfplan/open_loop", func(k string) error { return c.node.ParamSetFloat64(k, 2.5) }, "whole number"},
		{"/dfplan/odom_timeout", func(k string) error { return c.node.ParamSetFloat64(k, math.Inf(1)) }, "finite number of seconds"},
		{"/dfplan/plan_deadline", func(k string) error { return c.node.ParamSetFloat64(k, 1e300) }, "finite number of seconds"},
	} {
		t.Run(tc.param, func(t *testing.T) {
			if err := tc.set(tc.param); err != nil {
				t.Fatal(err)
			}
			defer c.node.ParamSetFloat64(tc.param, 1)
			_, err := ReadParams(master, "/", "dfplan")
			if err == nil || !strings.Contains(err.Error(), tc.param) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadParams error = %v, want one naming %s (%s)", err, tc.param, tc.want)
			}
		})
	}
}

// ~lookahead is read only when set, so that 0, off, is told from unset,
// which leaves dfplan node's default (automatic).
func TestReadParamsLookahead(t *testing.T) {
	master := rostest.Master(t)
	c := newClient(t, master)
	if p, err := ReadParams(master, "/", "dfplan"); err != nil || p.Lookahead != nil {
		t.Fatalf("unset ~lookahead: %v, error %v; want nil", p.Lookahead, err)
	}
	for _, k := range []int{0, -1, 4} {
		if err := c.node.ParamSetInt("/dfplan/lookahead", k); err != nil {
			t.Fatal(err)
		}
		p, err := ReadParams(master, "/", "dfplan")
		if err != nil || p.Lookahead == nil || *p.Lookahead != k {
			t.Errorf("~lookahead %d: read %v, error %v", k, p.Lookahead, err)
		}
	}
}

// pushPolicy drives straight at the goal at full thrust, walls or not,
// with plans that say the robot goes 3 m/s that way: like the model's
// plans that pin medium's robots, they say "move" where the robot is
// blocked. Its unstick rule (Config, one unguided replan) has the node's
// executor judge every replan, and it reports the position of every
// replan asked for without guidance: where the robot was found pinned.
type pushPolicy struct {
	pinned chan r2.Point
}

func (p pushPolicy) Config() planner.Config { return planner.Config{Unstick: 1, StopRadius: 0.5} }

func (p pushPolicy) Plan(ctx context.Context, obs, goal []float64) (*planner.Plan, error) {
	plans, err := p.PlanRequests(ctx, []planner.Request{{Obs: obs, Goal: goal}})
	if err != nil {
		return nil, err
	}
	return plans[0], nil
}

func (p pushPolicy) PlanRequests(_ context.Context, reqs []planner.Request) ([]*planner.Plan, error) {
	var plans []*planner.Plan
	for _, r := range reqs {
		obs, goal := r.Obs, r.Goal
		if r.Unguided {
			select {
			case p.pinned <- r2.Point{X: obs[0], Y: obs[1]}:
			default:
			}
		}
		d := math.Hypot(goal[0]-obs[0], goal[1]-obs[1])
		ux, uy := (goal[0]-obs[0])/d, (goal[1]-obs[1])/d
		pl := &planner.Plan{}
		for f := 1; f <= 50; f++ {
			pl.Actions = append(pl.Actions, []float64{ux, uy})
			pl.Observations = append(pl.Observations, []float64{obs[0] + 0.03*float64(f)*ux, obs[1] + 0.03*float64(f)*uy, 3 * ux, 3 * uy})
		}
		plans = append(plans, pl)
	}
	return plans, nil
}

// Over ROS, with the node's real timing, the node's executor tells a
// pinned robot from the plans and its odometry: a robot
// driven from rest at (3, 1) toward the goal (1, 1), through the wall
// between them, is found pinned where the wall stops it, and not on the
// way there (its first open loop from rest moves it about 10 cm). Pinned
// means it moved under 5 cm in an open loop, so it may still be settling
// into the wall's soft contact when found: the test awaits its rest and
// compares the places.
func TestNodeTellsPinnedRobotWithROS(t *testing.T) {
	rostest.Require(t, "rostopic")
	rostest.Master(t)
	m := umaze(t)
	log, _ := testLogger(t)
	sn, err := NewSimNode(SimNodeConf{Maze: m, Start: &r2.Point{X: 3, Y: 1}, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer sn.Close()
	pol := pushPolicy{pinned: make(chan r2.Point, 64)}
	node, err := NewNode(NodeConf{Policy: pol, Map: m, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	defer node.Close()
	sendGoal(t, "1.0", "1.0")
	select {
	case p := <-pol.pinned:
		s := sn.State()
		for rest := time.After(waitFor); math.Hypot(s[2], s[3]) > 0.05; s = sn.State() {
			select {
			case <-rest:
				t.Fatalf("robot found pinned at (%.2f, %.2f) still moves at %.2f m/s after %v", p.X, p.Y, math.Hypot(s[2], s[3]), waitFor)
			case <-time.After(SimStep): // the next physics step
			}
		}
		if s[0] < 1.5 || s[0] > 3 {
			t.Fatalf("robot at (%.2f, %.2f): not held by the wall between x = 3 and the goal", s[0], s[1])
		}
		if math.Hypot(p.X-s[0], p.Y-s[1]) > 0.02 {
			t.Errorf("found pinned at (%.2f, %.2f); the robot rests at (%.2f, %.2f): want the resting place",
				p.X, p.Y, s[0], s[1])
		}
	case <-time.After(waitFor):
		s := sn.State()
		t.Fatalf("robot at (%.2f, %.2f): never found pinned in %v", s[0], s[1], waitFor)
	}
}
