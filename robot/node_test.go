package robot

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/goroslib/v2/pkg/msgs/geometry_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/nav_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/std_msgs"
	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
)

// These tests drive Node.step directly, without ROS: the test feeds
// odometry and goals into the node's queues, plays the planner (taking
// requests from n.reqs, answering on n.res) and reads the returned
// actions. Times are fake: ms(k) is k ms after t0.

// stepNode returns a node that is not on ROS, its control state (watchdog
// started at t0) and its log.
func stepNode(t *testing.T, conf NodeConf) (*Node, *control, *logBuffer) {
	t.Helper()
	m := umaze(t)
	if conf.Map == nil {
		conf.Map = m
	}
	if conf.Policy == nil {
		conf.Policy = playedPolicy{} // never called: the test plays the planner
	}
	conf.MasterAddress = "127.0.0.1:1" // not contacted
	log, logs := testLogger(t)
	conf.Log = log
	conf, err := conf.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	n := newNode(conf)
	t.Cleanup(n.cancel)
	c, err := n.newControl(t0)
	if err != nil {
		t.Fatal(err)
	}
	return n, c, logs
}

// playedPolicy is a planner.RequestPolicy whose plans the test answers
// itself; conf gives the executor its unstick rule
// (planner.ExecutorConfFor).
type playedPolicy struct{ conf planner.Config }

func (playedPolicy) Plan(context.Context, []float64, []float64) (*planner.Plan, error) {
	return nil, errors.New("the test plays the planner")
}

func (playedPolicy) PlanRequests(context.Context, []planner.Request) ([]*planner.Plan, error) {
	return nil, errors.New("the test plays the planner")
}

func (p playedPolicy) Config() planner.Config { return p.conf }

func sendOdom(n *Node, at time.Time, x, y float64) {
	n.odomIn <- odomMsg{at: at, state: []float64{x, y, 0, 0}, frame: "odom"}
}

func sendGoalMsg(n *Node, x, y float64, frame string) {
	n.goalIn <- goalMsg{goal: []float64{x, y}, frame: frame}
}

// takeRequest returns the plan request the last step sent.
func takeRequest(t *testing.T, n *Node) planRequest {
	t.Helper()
	select {
	case r := <-n.reqs:
		return r
	default:
		t.Fatal("no plan requested")
		return planRequest{}
	}
}

func noRequest(t *testing.T, n *Node, when string) {
	t.Helper()
	select {
	case r := <-n.reqs:
		t.Fatalf("%s: plan requested (tick %d, obs %v)", when, r.ask.Tick, r.ask.Obs)
	default:
	}
}

// constPlan is a plan of k copies of action a.
func constPlan(k int, a ...float64) *planner.Plan {
	p := &planner.Plan{}
	for range k {
		p.Actions = append(p.Actions, append([]float64(nil), a...))
		p.Observations = append(p.Observations, []float64{0, 0, 0, 0})
	}
	return p
}

func answer(n *Node, r planRequest, p *planner.Plan) {
	n.res <- planResult{req: r, plan: p}
}

// A goal re-sent unchanged (rostopic pub -r 10) must not throw away the
// plan in flight: with a planner slower than the resend period the robot
// would never move.
func TestStepSameGoalKeepsPlan(t *testing.T) {
	n, c, logs := stepNode(t, NodeConf{OpenLoop: 100})
	sendOdom(n, ms(0), 3, 3)
	sendGoalMsg(n, 1, 1, "odom")
	if a := n.step(c, ms(10)); a != nil {
		t.Fatalf("action %v before any plan", a)
	}
	r1 := takeRequest(t, n)
	// The same goal every tick (within 1e-6) while the planner works.
	for i := 2; i <= 20; i++ {
		sendOdom(n, ms(10*i), 3, 3)
		sendGoalMsg(n, 1, 1+1e-9, "odom")
		n.step(c, ms(10*i))
		noRequest(t, n, "same goal re-sent")
	}
	answer(n, r1, constPlan(50, 0.5, -0.5))
	if a := n.step(c, ms(210)); !slices.Equal(a, []float64{0.5, -0.5}) {
		t.Fatalf("action %v after the plan arrived, want the plan's (0.5, -0.5)", a)
	}
	if k := logs.count("new goal"); k != 1 {
		t.Errorf("new goal logged %d times, want once", k)
	}
	// A goal that differs does replace the plan.
	sendGoalMsg(n, 1, 1.01, "odom")
	if a := n.step(c, ms(220)); a != nil {
		t.Errorf("action %v right after a new goal, want zero until its plan", a)
	}
	if r := takeRequest(t, n); r.ask.Goal[1] != 1.01 {
		t.Errorf("request for goal %v, want (1, 1.01)", r.ask.Goal)
	}
}

// Cancel stops the robot and forgets the goal: a plan still in flight is
// dropped when it arrives, and the same goal sent again is a new goal,
// planned afresh.
func TestStepCancel(t *testing.T) {
	n, c, logs := stepNode(t, NodeConf{OpenLoop: 100})
	sendOdom(n, ms(0), 3, 3)
	sendGoalMsg(n, 1, 1, "odom")
	n.step(c, ms(10))
	answer(n, takeRequest(t, n), constPlan(50, 0.5, -0.5))
	if a := n.step(c, ms(20)); !slices.Equal(a, []float64{0.5, -0.5}) {
		t.Fatalf("action %v, want the plan's", a)
	}
	sendGoalMsg(n, 1, 1.5, "odom") // a new goal, whose plan is in flight at the cancel
	n.step(c, ms(30))
	inFlight := takeRequest(t, n)
	n.Cancel()
	answer(n, inFlight, constPlan(50, 0.3, 0.3))
	for i := 4; i <= 6; i++ {
		sendOdom(n, ms(10*i), 3, 3)
		if a := n.step(c, ms(10*i)); a != nil {
			t.Fatalf("tick %d after the cancel: action %v, want zero", i, a)
		}
		noRequest(t, n, "no goal")
	}
	if logs.count("goal cancelled") != 1 {
		t.Error(`"goal cancelled" not logged once`)
	}
	sendGoalMsg(n, 1, 1.5, "odom")
	n.step(c, ms(70))
	if r := takeRequest(t, n); r.ask.Goal[1] != 1.5 {
		t.Errorf("request for goal %v after the cancel, want (1, 1.5)", r.ask.Goal)
	}
	if k := logs.count("new goal"); k != 3 {
		t.Errorf("new goal logged %d times, want 3 (the goal after the cancel is new)", k)
	}
	if g := n.Stats().Goals; g != 3 {
		t.Errorf("Stats().Goals = %d, want 3", g)
	}
}

// Kept samples come back oldest first, also once the ring has wrapped.
func TestSamplesOrdered(t *testing.T) {
	var s samples[time.Duration]
	for i := range samplesCap + 5 {
		s.add(time.Duration(i))
	}
	got := s.ordered()
	if len(got) != samplesCap || got[0] != 5 || !slices.IsSorted(got) {
		t.Errorf("%d samples from %v, sorted %v; want %d from 5, in order", len(got), got[0], slices.IsSorted(got), samplesCap)
	}
}

// Stats counts the control ticks from each plan's ask to its arrival: a
// planner that answers 4, 2, 1, 6 and 2 ticks after it is asked gives a
// median of 2 and a p99 of 6. A plan dropped by a new goal does not count.
func TestStatsTicksPerPlan(t *testing.T) {
	n, c, logs := stepNode(t, NodeConf{OpenLoop: 3})
	tick := 0
	step := func() {
		tick++
		sendOdom(n, ms(10*tick), 3, 3)
		if tick == 1 {
			sendGoalMsg(n, 1, 1, "odom")
		}
		n.step(c, ms(10*tick))
	}
	next := func() planRequest {
		t.Helper()
		for range 20 {
			select {
			case r := <-n.reqs:
				return r
			default:
				step()
			}
		}
		t.Fatal("no plan requested in 20 ticks with open loop 3")
		return planRequest{}
	}
	for _, wait := range []int{4, 2, 1, 6, 2} {
		r := next()
		for tick < r.ask.Tick+wait-1 {
			step()
		}
		answer(n, r, idxPlan(1, 50))
		step() // it arrives wait ticks after its ask
	}
	r := next()
	step()
	sendGoalMsg(n, 1.2, 1, "odom") // r is dropped, and its answer stale
	answer(n, r, idxPlan(2, 50))
	step()
	s := n.Stats()
	if s.TicksPerPlanP50 != 2 || s.TicksPerPlanP99 != 6 {
		t.Errorf("ticks per plan p50 %d, p99 %d; want 2 and 6", s.TicksPerPlanP50, s.TicksPerPlanP99)
	}
	if _, count := n.ticksPerPlan.quantiles(0.5); count != 5 {
		t.Errorf("%d plans counted, want the 5 that arrived", count)
	}
	n.Close()
	if logs.count("planning node stopped", "ticks_per_plan_p50=2", "ticks_per_plan_p99=6") != 1 {
		t.Errorf("the node's last line does not give its ticks per plan:\n%s", logs.String())
	}
}

// A plan requested before odometry stopped must not be adopted after it
// resumes (it starts where the robot no longer is, and its skip would count
// the stopped ticks): the node asks for a new one.
func TestStepOdomStopDropsPlanInFlight(t *testing.T) {
	n, c, _ := stepNode(t, NodeConf{})
	sendOdom(n, ms(0), 3, 3)
	sendGoalMsg(n, 1, 1, "odom")
	n.step(c, ms(10))
	r1 := takeRequest(t, n)
	for i := 2; i <= 60; i++ { // odometry stops: no_odom after 500 ms
		if a := n.step(c, ms(10*i)); a != nil {
			t.Fatalf("action %v without odometry", a)
		}
	}
	if !c.wd.Active(FaultNoOdom) {
		t.Fatal("no_odom not raised")
	}
	sendOdom(n, ms(610), 2.5, 3)
	n.step(c, ms(610))
	r2 := takeRequest(t, n)
	if r2.ask.Obs[0] != 2.5 {
		t.Errorf("new request from obs %v, want the fresh odometry (2.5, 3)", r2.ask.Obs)
	}
	answer(n, r1, constPlan(200, 0.7, 0.7)) // the old plan finally arrives
	sendOdom(n, ms(620), 2.5, 3)
	if a := n.step(c, ms(620)); a != nil {
		t.Fatalf("action %v from the plan requested before the odometry stop", a)
	}
	answer(n, r2, constPlan(50, -0.3, 0.1))
	sendOdom(n, ms(630), 2.5, 3)
	if a := n.step(c, ms(630)); !slices.Equal(a, []float64{-0.3, 0.1}) {
		t.Fatalf("action %v, want the new plan's (-0.3, 0.1)", a)
	}
}

// The same for NaN odometry (bad_odom).
func TestStepBadOdomDropsPlanInFlight(t *testing.T) {
	n, c, _ := stepNode(t, NodeConf{})
	sendOdom(n, ms(0), 3, 3)
	sendGoalMsg(n, 1, 1, "odom")
	n.step(c, ms(10))
	r1 := takeRequest(t, n)
	sendOdom(n, ms(20), math.NaN(), 3)
	n.step(c, ms(20))
	sendOdom(n, ms(30), 3, 3)
	n.step(c, ms(30))
	takeRequest(t, n)
	answer(n, r1, constPlan(50, 0.7, 0.7))
	sendOdom(n, ms(40), 3, 3)
	if a := n.step(c, ms(40)); a != nil {
		t.Fatalf("action %v from the plan requested before the bad odometry", a)
	}
}

// On the tick the odometry timeout expires no plan is requested from the
// stale odometry.
func TestStepNoRequestOnStaleOdom(t *testing.T) {
	n, c, _ := stepNode(t, NodeConf{})
	sendOdom(n, ms(0), 3, 3)
	n.step(c, ms(10))
	sendGoalMsg(n, 1, 1, "odom")
	if a := n.step(c, ms(501)); a != nil {
		t.Fatalf("action %v with odometry past its timeout", a)
	}
	noRequest(t, n, "odometry 501 ms old (timeout 500 ms)")
	if !c.wd.Active(FaultNoOdom) {
		t.Error("no_odom not raised on the tick the timeout expired")
	}
}

// Actions are clamped to [-1, 1] whatever the policy returns, with one
// warning.
func TestStepClampsActions(t *testing.T) {
	n, c, logs := stepNode(t, NodeConf{})
	sendOdom(n, ms(0), 3, 3)
	sendGoalMsg(n, 1, 1, "odom")
	n.step(c, ms(10))
	r := takeRequest(t, n)
	// The plan arrives one tick after its observation: its first action is
	// skipped.
	p := &planner.Plan{Actions: [][]float64{{0, 0}, {5, -3}, {0.2, 2}, {-1, 1}}}
	answer(n, r, p)
	want := [][]float64{{1, -1}, {0.2, 1}}
	for i, w := range want {
		sendOdom(n, ms(20+10*i), 3, 3)
		if a := n.step(c, ms(20+10*i)); !slices.Equal(a, w) {
			t.Errorf("tick %d: action %v, want %v", i, a, w)
		}
	}
	if p.Actions[1][0] != 5 {
		t.Error("clamping modified the policy's plan")
	}
	if k := logs.count("outside [-1, 1]"); k != 1 {
		t.Errorf("clamp warning logged %d times, want once", k)
	}
}

func TestClampAction(t *testing.T) {
	for _, tc := range []struct {
		in, want []float64
		clamped  bool
	}{
		{[]float64{0.5, -0.5}, []float64{0.5, -0.5}, false},
		{[]float64{1, -1}, []float64{1, -1}, false},
		{[]float64{1.0001, -7}, []float64{1, -1}, true},
		{[]float64{0, 0, 42}, []float64{0, 0, 1}, true},
	} {
		got, clamped := clampAction(tc.in)
		if !slices.Equal(got, tc.want) || clamped != tc.clamped {
			t.Errorf("clampAction(%v) = %v, %v; want %v, %v", tc.in, got, clamped, tc.want, tc.clamped)
		}
	}
}

// A goal in frame "map" while odometry is in "odom" is warned about like
// any other foreign frame (the node does no transform).
func TestStepWarnsMapFrameGoal(t *testing.T) {
	n, c, logs := stepNode(t, NodeConf{})
	sendOdom(n, ms(0), 3, 3)
	n.step(c, ms(10))
	sendGoalMsg(n, 1, 1, "map")
	n.step(c, ms(20))
	sendGoalMsg(n, 3, 1, "map")
	n.step(c, ms(30))
	if k := logs.count("goal frame differs", "goal_frame=map"); k != 1 {
		t.Errorf("foreign-frame warning for map logged %d times, want once", k)
	}
	sendGoalMsg(n, 1, 1, "odom")
	n.step(c, ms(40))
	if k := logs.count("goal frame differs"); k != 1 {
		t.Errorf("foreign-frame warnings = %d after a goal in odom, want still 1", k)
	}
}

func odometry(q geometry_msgs.Quaternion, x float64) *nav_msgs.Odometry {
	return &nav_msgs.Odometry{
		Header: std_msgs.Header{FrameId: "odom"},
		Pose: geometry_msgs.PoseWithCovariance{Pose: geometry_msgs.Pose{
			Position: geometry_msgs.Point{X: x, Y: 3}, Orientation: q}},
	}
}

// Odometry with a rotated pose gets one warning that orientation is
// ignored; identity and unset (all-zero) quaternions get none.
func TestStepWarnsRotatedOdom(t *testing.T) {
	const warning = "orientation is not identity"
	n, c, logs := stepNode(t, NodeConf{})
	n.onOdom(odometry(geometry_msgs.Quaternion{W: 1}, 3))
	n.onOdom(odometry(geometry_msgs.Quaternion{W: -1}, 3))
	n.onOdom(odometry(geometry_msgs.Quaternion{}, 3))
	n.step(c, time.Now())
	if k := logs.count(warning); k != 0 {
		t.Fatalf("warned %d times about identity orientation", k)
	}
	yaw := math.Pi / 4
	rot := geometry_msgs.Quaternion{Z: math.Sin(yaw / 2), W: math.Cos(yaw / 2)}
	n.onOdom(odometry(rot, 3))
	n.step(c, time.Now())
	n.onOdom(odometry(rot, 3))
	n.step(c, time.Now())
	if k := logs.count(warning); k != 1 {
		t.Errorf("rotated-odometry warning logged %d times, want once", k)
	}
}

// When the odometry queue is full the oldest message is dropped, so the
// tick loop's latest state is the robot's latest.
func TestOnOdomKeepsNewest(t *testing.T) {
	n, _, _ := stepNode(t, NodeConf{})
	total := odomQueue + 5
	for i := 1; i <= total; i++ {
		n.onOdom(odometry(geometry_msgs.Quaternion{W: 1}, float64(i)))
	}
	var xs []float64
	for len(n.odomIn) > 0 {
		xs = append(xs, (<-n.odomIn).state[0])
	}
	if len(xs) != odomQueue || xs[0] != float64(total-odomQueue+1) || xs[len(xs)-1] != float64(total) {
		t.Errorf("queued x = %v..%v (%d), want %d..%d", xs[0], xs[len(xs)-1], len(xs), total-odomQueue+1, total)
	}
}

func TestSecondsParam(t *testing.T) {
	if d, err := secondsParam("/n/t", 0.25); err != nil || d != 250*time.Millisecond {
		t.Errorf("secondsParam(0.25) = %v, %v", d, err)
	}
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e12} {
		if _, err := secondsParam("/n/odom_timeout", v); err == nil || !strings.Contains(err.Error(), "/n/odom_timeout") {
			t.Errorf("secondsParam(%v) error = %v, want one naming the parameter", v, err)
		}
	}
}

func TestWholeParam(t *testing.T) {
	if v, err := wholeParam("/n/open_loop", 12); err != nil || v != 12 {
		t.Errorf("wholeParam(12) = %v, %v", v, err)
	}
	for _, v := range []float64{2.5, math.NaN(), math.Inf(1)} {
		if _, err := wholeParam("/n/open_loop", v); err == nil || !strings.Contains(err.Error(), "whole number") {
			t.Errorf("wholeParam(%v) error = %v, want a whole-number error", v, err)
		}
	}
}

// A start inside a wall is refused before joining ROS, naming the start.
func TestNewSimNodeStartInWall(t *testing.T) {
	m := umaze(t)
	_, err := NewSimNode(SimNodeConf{Maze: m, Start: &r2.Point{X: 2, Y: 2}, MasterAddress: "127.0.0.1:1"})
	if err == nil || !strings.Contains(err.Error(), "Start (2, 2)") || !strings.Contains(err.Error(), "wall") {
		t.Errorf("NewSimNode with start (2, 2) in a umaze wall: error %v, want one naming the start and the wall", err)
	}
}

// movingPlan is a plan of 50 actions a whose positions say the robot
// moves 10 cm per frame from (3, 3), as the robot in the tests never does.
func movingPlan(a ...float64) *planner.Plan {
	p := constPlan(50, a...)
	for i := range p.Observations {
		p.Observations[i] = []float64{3 + 0.1*float64(i+1), 3, 1, 0}
	}
	return p
}

// The node asks through its executor: a robot that stays put while its
// plan says it moves is pinned, and its next replans are asked for
// without guidance (planner.Config.Unstick), except after a plan that
// arrived while the robot stood still waiting for it (the robot did not
// move because it had no plan, not because it was pinned); a new goal
// starts afresh.
func TestStepAsksThroughTheExecutor(t *testing.T) {
	n, c, _ := stepNode(t, NodeConf{OpenLoop: 5, Policy: playedPolicy{planner.Config{Unstick: 2, StopRadius: 0.5}}})
	sendOdom(n, ms(0), 3, 3)
	sendGoalMsg(n, 1, 1, "odom")
	n.step(c, ms(10))
	r1 := takeRequest(t, n)
	tick := 1
	next := func() planRequest {
		t.Helper()
		for range 20 {
			tick++
			sendOdom(n, ms(10*tick), 3, 3)
			n.step(c, ms(10*tick))
			select {
			case r := <-n.reqs:
				return r
			default:
			}
		}
		t.Fatal("no replan in 20 ticks with open loop 5")
		return planRequest{}
	}
	answer(n, r1, movingPlan(0.5, -0.5))
	r2 := next()
	answer(n, r2, movingPlan(0.5, -0.5))
	r3 := next()
	answer(n, r3, movingPlan(0.5, -0.5))
	r4 := next()
	var got []int
	for _, r := range []planRequest{r1, r2, r3, r4} {
		got = append(got, r.ask.Unguided)
	}
	if want := []int{0, 0, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("unguided %v, want %v: guided at first and after the plan from rest, then pinned", got, want)
	}
	tick += 10
	sendOdom(n, ms(10*tick), 3, 3)
	sendGoalMsg(n, 1.2, 1, "odom")
	n.step(c, ms(10*tick))
	if r5 := takeRequest(t, n); r5.ask.Unguided != 0 {
		t.Errorf("request for a new goal: unguided %d, want 0", r5.ask.Unguided)
	}
}

// requestPolicy records the requests it is given.
type requestPolicy struct {
	got chan []planner.Request
}

func (w requestPolicy) Plan(ctx context.Context, obs, goal []float64) (*planner.Plan, error) {
	return nil, errors.New("want PlanRequests")
}

func (w requestPolicy) PlanRequests(ctx context.Context, reqs []planner.Request) ([]*planner.Plan, error) {
	w.got <- reqs
	return []*planner.Plan{constPlan(10, 0, 0)}, nil
}

// plainPolicy is a Policy that is not a planner.RequestPolicy.
type plainPolicy struct{ calls chan []float64 }

func (p plainPolicy) Plan(ctx context.Context, obs, goal []float64) (*planner.Plan, error) {
	p.calls <- obs
	return constPlan(10, 0, 0), nil
}

// The plan loop hands a planner.RequestPolicy the executor's request
// (PlanRequests), and plans with Plan from the state asked otherwise.
func TestPlanLoopPassesTheRequest(t *testing.T) {
	pol := requestPolicy{got: make(chan []planner.Request, 1)}
	n, _, _ := stepNode(t, NodeConf{Policy: pol})
	n.wg.Add(1)
	go n.planLoop()
	ask := planner.Ask{Obs: []float64{3, 3, 0, 0}, From: []float64{3.2, 3, 1, 0}, Goal: []float64{1, 1}, Ahead: 2, Unguided: 2}
	n.reqs <- planRequest{ctx: context.Background(), ask: ask}
	if got := <-pol.got; len(got) != 1 || !slices.Equal(got[0].Obs, ask.From) || !slices.Equal(got[0].Goal, ask.Goal) || !got[0].Unguided {
		t.Errorf("policy given %+v, want one request from %v to %v, unguided", got, ask.From, ask.Goal)
	}
	if r := <-n.res; r.err != nil {
		t.Fatal(r.err)
	}
	plain := plainPolicy{calls: make(chan []float64, 1)}
	n, _, _ = stepNode(t, NodeConf{Policy: plain})
	n.wg.Add(1)
	go n.planLoop()
	n.reqs <- planRequest{ctx: context.Background(), ask: ask}
	if got := <-plain.calls; !slices.Equal(got, ask.From) {
		t.Errorf("plain policy asked from %v, want %v", got, ask.From)
	}
	if r := <-n.res; r.err != nil || r.plan == nil {
		t.Fatalf("plain policy: plan %v, error %v", r.plan, r.err)
	}
}

// idxPlan is a plan of n actions (0.01·i, 0.1·k), so that an action tells
// which plan and which of its actions it is.
func idxPlan(k, n int) *planner.Plan {
	p := &planner.Plan{}
	for i := range n {
		p.Actions = append(p.Actions, []float64{0.01 * float64(i), 0.1 * float64(k)})
		p.Observations = append(p.Observations, []float64{0, 0, 0, 0})
	}
	return p
}

// With lookahead, a replan carries how far ahead it is to be made; a plan
// made ahead that arrives before its tick waits while the current plan
// runs on, and is then executed from its first action. Automatic
// lookahead (-1) is the median of the plans' arrival times; 0 is off.
func TestStepLookahead(t *testing.T) {
	for _, c := range []struct {
		name      string
		lookahead int
		want      int // Warm.Ahead of the third request
	}{
		{"fixed", 2, 2},
		{"fixed, beyond the open loop", 5, 5},
		{"automatic", -1, 1}, // every plan below arrives one tick after its request
		{"off", 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, ctl, _ := stepNode(t, NodeConf{OpenLoop: 3, Lookahead: c.lookahead})
			tick := 0
			step := func() []float64 {
				t.Helper()
				tick++
				sendOdom(n, ms(10*tick), 3, 3)
				if tick == 1 {
					sendGoalMsg(n, 1, 1, "odom")
				}
				return n.step(ctl, ms(10*tick))
			}
			step()
			r1 := takeRequest(t, n) // tick 1
			answer(n, r1, idxPlan(1, 50))
			step() // p1 arrives at tick 2: it came while at rest
			for tick < 4 {
				step()
			}
			r2 := takeRequest(t, n) // tick 4, not ahead of p1
			if r2.ask.Ahead != 0 {
				t.Fatalf("replan after the plan waited for at rest made %d ahead, want 0", r2.ask.Ahead)
			}
			answer(n, r2, idxPlan(2, 50))
			if a := step(); !slices.Equal(a, []float64{0.01, 0.2}) { // tick 5: p2 from its action 1
				t.Fatalf("tick 5: action %v, want plan 2's action 1", a)
			}
			step()
			step()
			r3 := takeRequest(t, n) // tick 7
			if r3.ask.Ahead != c.want {
				t.Fatalf("third request made %d ahead, want %d", r3.ask.Ahead, c.want)
			}
			answer(n, r3, idxPlan(3, 50))
			// p3 arrives at tick 8, one tick after its request.
			act := func(k, i int) []float64 { return idxPlan(k, i+1).Actions[i] }
			want := map[int][][]float64{
				0: {act(3, 1), act(3, 2)}, // from the action for its tick
				1: {act(3, 0), act(3, 1)}, // made for tick 8: from its first action
				2: {act(2, 4), act(3, 0)}, // made for tick 9: plan 2 runs on until then
				// Made for tick 12: no replan is asked for while it waits,
				// though the open loop ends at tick 10.
				5: {act(2, 4), act(2, 5), act(2, 6), act(2, 7), act(3, 0)},
			}[c.want]
			for _, w := range want {
				if a := step(); !slices.Equal(a, w) {
					t.Fatalf("tick %d: action %v, want %v", tick, a, w)
				}
				if tick < 12 {
					noRequest(t, n, fmt.Sprintf("tick %d", tick))
				}
			}
			if c.want == 5 {
				takeRequest(t, n) // tick 12: p3 runs, the open loop is over
			}
		})
	}
}

// Held, late and refused plans made ahead, and the automatic lookahead's
// median.
func TestStepLookaheadEdges(t *testing.T) {
	// drive runs a node with open loop 3 until its request after those it
	// answers after the given numbers of ticks (with two or more, it hands
	// over a previous plan), and returns that request.
	drive := func(t *testing.T, conf NodeConf, waits ...int) (*Node, *control, func() []float64, planRequest) {
		t.Helper()
		conf.OpenLoop = 3
		n, c, _ := stepNode(t, conf)
		tick := 0
		step := func() []float64 {
			tick++
			sendOdom(n, ms(10*tick), 3, 3)
			if tick == 1 {
				sendGoalMsg(n, 1, 1, "odom")
			}
			return n.step(c, ms(10*tick))
		}
		var reqs []planRequest
		for k := 0; len(reqs) <= len(waits); k++ {
			if k > 100 {
				t.Fatalf("%d requests in 100 ticks, want %d", len(reqs), len(waits)+1)
			}
			step()
			select {
			case r := <-n.reqs:
				reqs = append(reqs, r)
				if len(reqs) <= len(waits) {
					for range waits[len(reqs)-1] - 1 {
						step()
					}
					answer(n, r, idxPlan(len(reqs), 50))
				}
			default:
			}
		}
		return n, c, step, reqs[len(waits)]
	}
	t.Run("automatic lookahead is the median of the arrival times", func(t *testing.T) {
		// Arrivals of 4, 2 and 1 ticks: neither the latest, the least
		// nor the most.
		_, _, _, r := drive(t, NodeConf{Lookahead: -1}, 4, 2, 1)
		if r.ask.Ahead != 2 {
			t.Fatalf("fourth request made %d ahead, want 2", r.ask.Ahead)
		}
	})
	t.Run("a new goal drops the plan held for later", func(t *testing.T) {
		n, _, step, r := drive(t, NodeConf{Lookahead: 5}, 1, 1)
		answer(n, r, idxPlan(3, 50))
		if a := step(); len(a) != 2 || a[1] != 0.2 { // arrives, held: plan 2 runs on
			t.Fatalf("plan made 5 ahead, arrived: action %v, want plan 2's", a)
		}
		sendGoalMsg(n, 1.5, 1, "odom")
		for range 8 {
			if a := step(); a != nil {
				t.Fatalf("after a new goal: action %v, want none until a plan for it arrives", a)
			}
		}
	})
	t.Run("a plan made ahead that arrives late skips the ticks past", func(t *testing.T) {
		n, _, step, r := drive(t, NodeConf{Lookahead: 1}, 1, 1)
		if r.ask.Ahead != 1 {
			t.Fatalf("request made %d ahead, want 1", r.ask.Ahead)
		}
		step()
		step() // 2 ticks since the request, 1 later than made for
		answer(n, r, idxPlan(3, 50))
		if a := step(); !slices.Equal(a, idxPlan(3, 50).Actions[2]) {
			t.Fatalf("plan made 1 ahead, arriving 3 ticks after its request: action %v, want its action 2", a)
		}
	})
	if _, err := (NodeConf{Policy: WaypointPolicy{}, Map: umaze(t), Lookahead: -2}).withDefaults(); err == nil || !strings.Contains(err.Error(), "Lookahead -2") {
		t.Errorf("Lookahead -2: error %v, want one naming it", err)
	}
}

// With planner.Config.Hold, a robot at its goal is sent the brake, not its
// plan's actions, and still asks for plans; out of reach it runs its plan.
func TestStepHoldBrakesAtTheGoal(t *testing.T) {
	n, c, logs := stepNode(t, NodeConf{Policy: playedPolicy{conf: planner.Config{Hold: 0.5}}, OpenLoop: 2})
	odom := func(at time.Time, x, y, vx, vy float64) {
		n.odomIn <- odomMsg{at: at, state: []float64{x, y, vx, vy}, frame: "odom"}
	}
	odom(ms(0), 1.2, 1, 0.3, -2)
	sendGoalMsg(n, 1, 1, "odom")
	n.step(c, ms(10))
	answer(n, takeRequest(t, n), constPlan(10, 1, 1))
	odom(ms(20), 1.2, 1, 0.3, -2)
	if a := n.step(c, ms(20)); !slices.Equal(a, []float64{-0.3, 1}) {
		t.Errorf("0.2 m from the goal: action %v, want the brake [-0.3 1]", a)
	}
	odom(ms(30), 1.2, 1, 0, 0)
	n.step(c, ms(30))
	takeRequest(t, n) // the open loop of 2 has run: it plans on
	odom(ms(40), 2, 1, 0, 0)
	if a := n.step(c, ms(40)); !slices.Equal(a, []float64{1, 1}) {
		t.Errorf("1 m from the goal: action %v, want the plan's [1 1]", a)
	}
	// Arriving and leaving are logged once each.
	if a, l := logs.count("at the goal: braking"), logs.count("left the goal's tolerance"); a != 1 || l != 1 {
		t.Errorf("logged arriving %d and leaving %d times, want once each", a, l)
	}
}
