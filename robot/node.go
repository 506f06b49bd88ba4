package robot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/bluenviron/goroslib/v2"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/geometry_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/nav_msgs"
	"github.com/bluenviron/goroslib/v2/pkg/msgs/std_msgs"
	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
)

// Map is the part of a map the node needs: whether a goal is reachable
// free space. *sim.Maze satisfies it.
type Map interface {
	// IsFree reports whether p (in odometry coordinates) is free space
	// inside the map.
	IsFree(p r2.Point) bool
}

// Defaults of NodeConf and SimNodeConf.
const (
	DefaultRate         = 100.0 // Hz: the simulator's 0.01 s step
	DefaultOpenLoop     = 10
	DefaultOdomTimeout  = 500 * time.Millisecond
	DefaultPlanDeadline = time.Second
)

// NodeConf is the configuration of a Node.
//
// Coordinates: the node treats the robot as a holonomic point mass, as the
// maze2d simulator is. Its state is odometry's pose.position.x, y and
// twist.linear.x, y, both taken as vectors in the odometry frame (the
// header's frame_id), and the action it publishes as cmd_vel's linear.x, y
// is the maze2d action (the motor command per axis) in that same frame,
// each component clamped to [-1, 1]. Orientation is ignored: it is assumed
// to be identity, so a robot whose twist is in its body frame (the
// nav_msgs convention) and that can turn is not supported; the node logs a
// warning once if odometry reports a rotated pose. Goals are positions in
// the odometry frame too. See docs/ros.md, "Coordinates".
type NodeConf struct {
	// Name of the ROS node. It defaults to "dfplan".
	Name string
	// Namespace of the node. It defaults to "/" (or ROS_NAMESPACE).
	Namespace string
	// MasterAddress is the ROS master's host:port. It defaults to the
	// host:port of ROS_MASTER_URI, else 127.0.0.1:11311.
	MasterAddress string
	// Host is the IP or hostname other nodes use to reach this one. It
	// defaults to ROS_IP, else ROS_HOSTNAME, else the local address on the
	// master's subnet.
	Host string

	// Policy makes the plans. Required. Plan may take longer than a control
	// tick: it runs in the background and the tick never waits for it.
	Policy planner.Policy
	// Map validates goals: a goal where IsFree is false is refused. Required.
	Map Map

	// Rate is the control rate in Hz: one action per tick. It defaults to
	// 100 (DefaultRate).
	Rate float64
	// OpenLoop is how many planned actions are executed between replans
	// (a replan is requested every OpenLoop ticks). It defaults to 10.
	OpenLoop int
	// OdomTimeout is how long the node drives without odometry before the
	// watchdog stops the robot. It defaults to 500 ms.
	OdomTimeout time.Duration
	// PlanDeadline is how long a plan may take before the watchdog stops
	// the robot until it arrives. It defaults to 1 s.
	PlanDeadline time.Duration
	// Lookahead is how many ticks ahead a replan is made. The robot keeps
	// executing its current plan while the next one is made; with
	// lookahead k the planner (a planner.RequestPolicy) plans from the
	// state predicted k ticks on, the odometry extrapolated at its
	// velocity (planner.Predict, planner.ExecutorConf.Lookahead), and the
	// new plan is executed from its first action at that tick. 0 (the
	// zero value) is off: plans are made from the latest odometry and
	// executed from the action for the tick they arrive. -1 is automatic:
	// k is the median of the last plans' arrival times, in ticks, and
	// dfplan node's default, by a rule written before its runs through
	// the node (experiments/lookahead/README.md, rule 2).
	Lookahead int

	// OdomTopic is the odometry input (nav_msgs/Odometry). It defaults to "odom".
	OdomTopic string
	// GoalTopic is the goal input (geometry_msgs/PoseStamped). It defaults
	// to "move_base_simple/goal", where RViz's "2D Nav Goal" publishes.
	GoalTopic string
	// CmdVelTopic is the action output (geometry_msgs/Twist). It defaults to "cmd_vel".
	CmdVelTopic string

	// Log receives the node's events. It defaults to slog.Default().
	Log *slog.Logger
}

func (c NodeConf) withDefaults() (NodeConf, error) {
	rc, err := rosNodeConf{c.Name, c.Namespace, c.MasterAddress, c.Host}.withDefaults("dfplan")
	if err != nil {
		return c, err
	}
	c.Name, c.Namespace, c.MasterAddress, c.Host = rc.Name, rc.Namespace, rc.MasterAddress, rc.Host
	if c.Policy == nil {
		return c, errors.New("Policy: required")
	}
	if c.Map == nil {
		return c, errors.New("Map: required")
	}
	if c.Rate == 0 {
		c.Rate = DefaultRate
	}
	if !(c.Rate > 0 && c.Rate <= 10000) {
		return c, fmt.Errorf("Rate %v Hz: want 0 < rate <= 10000", c.Rate)
	}
	if c.OpenLoop == 0 {
		c.OpenLoop = DefaultOpenLoop
	}
	if c.OpenLoop < 0 {
		return c, fmt.Errorf("OpenLoop %d: want >= 1", c.OpenLoop)
	}
	if c.OdomTimeout == 0 {
		c.OdomTimeout = DefaultOdomTimeout
	}
	if c.OdomTimeout < 0 {
		return c, fmt.Errorf("OdomTimeout %v: want > 0", c.OdomTimeout)
	}
	if c.PlanDeadline == 0 {
		c.PlanDeadline = DefaultPlanDeadline
	}
	if c.PlanDeadline < 0 {
		return c, fmt.Errorf("PlanDeadline %v: want > 0", c.PlanDeadline)
	}
	if c.Lookahead < -1 {
		return c, fmt.Errorf("Lookahead %d: want 0 (off), -1 (automatic) or a number of ticks", c.Lookahead)
	}
	if c.OdomTopic == "" {
		c.OdomTopic = "odom"
	}
	if c.GoalTopic == "" {
		c.GoalTopic = "move_base_simple/goal"
	}
	if c.CmdVelTopic == "" {
		c.CmdVelTopic = "cmd_vel"
	}
	if c.Log == nil {
		c.Log = slog.Default()
	}
	return c, nil
}

// ErrShutdownRequested is what Node.Err and SimNode.Err wrap when ROS shut
// the node down: the master (a second node registered under the same name)
// or another node (rosnode kill) called its shutdown API.
var ErrShutdownRequested = errors.New("shutdown requested over ROS")

// Node is the planning node: it turns odometry and goals into actions on
// cmd_vel with a receding-horizon loop over a planner.Policy, under a
// safety Watchdog.
//
// Topics: subscribes OdomTopic and GoalTopic; publishes CmdVelTopic
// (linear.x, linear.y = the action, clamped to [-1, 1]), ~action
// (std_msgs/Float64MultiArray, the same action with all its components) and
// ~plan (nav_msgs/Path, each new plan's predicted positions).
//
// If ROS shuts the node down (rosnode kill, or another node taking its
// name), it stops driving, publishes a zero action, leaves the graph and
// closes Done; its owner should then Close it.
type Node struct {
	conf   NodeConf
	period time.Duration
	log    *slog.Logger

	ros     *goroslib.Node
	watch   *masterWatch
	subOdom *goroslib.Subscriber
	subGoal *goroslib.Subscriber
	pubCmd  *goroslib.Publisher
	pubAct  *goroslib.Publisher
	pubPlan *goroslib.Publisher

	odomIn chan odomMsg
	goalIn chan goalMsg
	reqs   chan planRequest
	res    chan planResult

	ctx      context.Context
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	tickDone chan struct{} // closed when the tick loop has published its last (zero) action

	stopState

	tickJitter   samples[time.Duration]
	replanTime   samples[time.Duration]
	ticksPerPlan samples[int] // control ticks from a plan's ask to its arrival
	statsMu      sync.Mutex
	safetyTicks  int64         // guarded by statsMu
	goals        int64         // goals driven to; guarded by statsMu
	goalTaken    chan struct{} // closed and replaced when goals grows; guarded by statsMu
}

type odomMsg struct {
	at      time.Time
	state   []float64
	frame   string
	rotated bool // the pose's orientation is not identity
}

type goalMsg struct {
	goal   []float64
	frame  string
	cancel chan struct{} // Node.Cancel: forget the goal, then close this
}

type planRequest struct {
	ctx   context.Context
	gen   int         // goal generation the plan is for
	ask   planner.Ask // the executor's ask: tick, observation, state to plan from, goal
	start time.Time
	frame string
	stamp time.Time
}

type planResult struct {
	req  planRequest
	plan *planner.Plan
	err  error
}

// NewNode validates conf, joins the ROS graph and starts the control loop.
// It fails if the master cannot be reached (see WaitMaster to wait for it).
// If ROS shuts the node down while it joins the graph, NewNode returns it
// stopped, as if the request had come just after: Done is closed and Err
// says who asked.
func NewNode(conf NodeConf) (*Node, error) {
	conf, err := conf.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("robot.NodeConf: %w", err)
	}
	n := newNode(conf)
	c, err := n.newControl(time.Now())
	if err != nil {
		return nil, fmt.Errorf("robot.NodeConf: %w", err)
	}
	if err := n.connect(); err != nil {
		if n.Err() != nil {
			// ROS asked the node to shut down while it was joining the
			// graph, and goroslib refused the rest: a stop, not a failure.
			// Done is closed; Close releases what was made.
			return n, nil
		}
		n.cancel()
		n.closeROS()
		return nil, err
	}
	n.wg.Add(2)
	go n.planLoop()
	go n.tickLoop(c)
	n.log.Info("planning node started", "master", conf.MasterAddress, "rate_hz", conf.Rate,
		"open_loop", conf.OpenLoop, "odom_timeout", conf.OdomTimeout, "plan_deadline", conf.PlanDeadline)
	return n, nil
}

// odomQueue is how many odometry messages wait for the tick loop; when it
// is full the oldest is dropped.
const odomQueue = 64

// newNode returns a node with conf (already defaulted) that is not on ROS
// yet and runs no loop: NewNode connects it and starts the loops, unit
// tests drive step directly.
func newNode(conf NodeConf) *Node {
	n := &Node{
		conf:      conf,
		period:    time.Duration(float64(time.Second) / conf.Rate),
		log:       conf.Log.With("node", conf.Name),
		odomIn:    make(chan odomMsg, odomQueue),
		goalIn:    make(chan goalMsg, 8),
		reqs:      make(chan planRequest, 1),
		res:       make(chan planResult, 1),
		tickDone:  make(chan struct{}),
		stopState: newStopState(),
		goalTaken: make(chan struct{}),
	}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	return n
}

func (n *Node) connect() error {
	c := n.conf
	var err error
	n.ros, err = newROSNode(rosNodeConf{c.Name, c.Namespace, c.MasterAddress, c.Host}, n.log, n.onShutdown)
	if err != nil {
		return err
	}
	joined("node")
	priv := func(s string) string { return privateName(c.Namespace, c.Name, s) }
	if n.pubCmd, err = goroslib.NewPublisher(goroslib.PublisherConf{Node: n.ros, Topic: c.CmdVelTopic, Msg: &geometry_msgs.Twist{}}); err != nil {
		return fmt.Errorf("publish %s: %w", c.CmdVelTopic, err)
	}
	joined(c.CmdVelTopic)
	if n.pubAct, err = goroslib.NewPublisher(goroslib.PublisherConf{Node: n.ros, Topic: priv("action"), Msg: &std_msgs.Float64MultiArray{}}); err != nil {
		return fmt.Errorf("publish ~action: %w", err)
	}
	joined("~action")
	if n.pubPlan, err = goroslib.NewPublisher(goroslib.PublisherConf{Node: n.ros, Topic: priv("plan"), Msg: &nav_msgs.Path{}, Latch: true}); err != nil {
		return fmt.Errorf("publish ~plan: %w", err)
	}
	joined("~plan")
	if n.subOdom, err = goroslib.NewSubscriber(goroslib.SubscriberConf{Node: n.ros, Topic: c.OdomTopic, Callback: n.onOdom, QueueSize: 64}); err != nil {
		return fmt.Errorf("subscribe %s: %w", c.OdomTopic, err)
	}
	joined(c.OdomTopic)
	if n.subGoal, err = goroslib.NewSubscriber(goroslib.SubscriberConf{Node: n.ros, Topic: c.GoalTopic, Callback: n.onGoal, QueueSize: 8}); err != nil {
		return fmt.Errorf("subscribe %s: %w", c.GoalTopic, err)
	}
	joined(c.GoalTopic)
	n.watch, err = watchMaster(rosNodeConf{c.Name, c.Namespace, c.MasterAddress, c.Host}, n.log)
	return err
}

func (n *Node) closeROS() {
	n.watch.Close()
	for _, s := range []*goroslib.Subscriber{n.subOdom, n.subGoal} {
		if s != nil {
			s.Close()
		}
	}
	for _, p := range []*goroslib.Publisher{n.pubCmd, n.pubAct, n.pubPlan} {
		if p != nil {
			p.Close()
		}
	}
	if n.ros != nil {
		n.ros.Close()
	}
}

// flushDelay is how long the zero action is given to leave before the
// publishers close: goroslib does not flush on close.
const flushDelay = 50 * time.Millisecond

// onShutdown handles a shutdown request from ROS, on goroslib's API
// goroutine, before goroslib cancels the node: it stops the loops, lets
// the tick loop's zero action go out, logs once and closes Done.
func (n *Node) onShutdown(reason string) {
	n.shutdownRequested(reason, func() {
		n.log.Warn("ROS asked the node to shut down: stopping the robot and leaving the ROS graph", "reason", reason)
		n.cancel()
		select {
		case <-n.tickDone:
			time.Sleep(flushDelay)
		case <-time.After(4 * flushDelay): // the loop never started
		}
	})
}

// Close publishes a zero action, stops the control and planning loops,
// leaves the ROS graph and logs the node's timing statistics.
func (n *Node) Close() {
	n.cancel()
	n.wg.Wait() // the tick loop publishes the zero action on its way out
	time.Sleep(flushDelay)
	n.closeROS()
	n.closeDone()
	s := n.Stats()
	n.log.Info("planning node stopped", "ticks", s.Ticks, "tick_jitter_p50", s.TickJitterP50,
		"tick_jitter_p99", s.TickJitterP99, "replans", s.Replans, "replan_p50", s.ReplanP50,
		"replan_p99", s.ReplanP99, "ticks_per_plan_p50", s.TicksPerPlanP50, "ticks_per_plan_p99", s.TicksPerPlanP99,
		"safety_ticks", s.SafetyTicks)
}

// Cancel forgets the goal, the plan and any plan in flight, in order with
// the goals that arrived before it: the robot gets zero actions until the
// next goal, which is then new even if it equals the old one. The returned
// channel is closed once the control loop has taken the cancel (the zero
// action goes out on that tick), or at once if the node is closing. For
// harnesses that move the robot between episodes (SimNode.Reset).
func (n *Node) Cancel() <-chan struct{} {
	done := make(chan struct{})
	select {
	case n.goalIn <- goalMsg{cancel: done}:
	case <-n.ctx.Done():
		close(done)
	}
	return done
}

// Stats returns the node's timing measurements so far.
func (n *Node) Stats() NodeStats {
	j, ticks := n.tickJitter.quantiles(0.5, 0.99)
	r, replans := n.replanTime.quantiles(0.5, 0.99)
	k, _ := n.ticksPerPlan.quantiles(0.5, 0.99)
	n.statsMu.Lock()
	safety, goals := n.safetyTicks, n.goals
	n.statsMu.Unlock()
	return NodeStats{Ticks: ticks, TickJitterP50: j[0], TickJitterP99: j[1],
		Replans: replans, ReplanP50: r[0], ReplanP99: r[1], TicksPerPlanP50: k[0], TicksPerPlanP99: k[1],
		SafetyTicks: safety, Goals: goals}
}

// awaitGoals waits until the node has taken k goals in all (Stats.Goals),
// or ctx or limit ends first.
func (n *Node) awaitGoals(ctx context.Context, k int64, limit <-chan time.Time) error {
	for {
		n.statsMu.Lock()
		got, taken := n.goals, n.goalTaken
		n.statsMu.Unlock()
		if got >= k {
			return nil
		}
		select {
		case <-taken:
		case <-ctx.Done():
			return ctx.Err()
		case <-limit:
			return fmt.Errorf("the planning node took %d goals, want %d", got, k)
		}
	}
}

// onOdom runs on goroslib's goroutine: it only hands the message over.
func (n *Node) onOdom(m *nav_msgs.Odometry) {
	q := m.Pose.Pose.Orientation
	o := odomMsg{at: time.Now(), frame: m.Header.FrameId, state: []float64{
		m.Pose.Pose.Position.X, m.Pose.Pose.Position.Y,
		m.Twist.Twist.Linear.X, m.Twist.Twist.Linear.Y},
		// Identity (w = ±1) or unset (all zero): x, y, z vanish. 1e-3 is
		// a rotation of about 0.1°.
		rotated: math.Abs(q.X) > 1e-3 || math.Abs(q.Y) > 1e-3 || math.Abs(q.Z) > 1e-3,
	}
	for {
		select {
		case n.odomIn <- o:
			return
		default:
			// The tick loop is behind: drop the oldest message, not this
			// one, so the loop's latest state is the robot's latest.
			select {
			case <-n.odomIn:
			default:
			}
		}
	}
}

func (n *Node) onGoal(m *geometry_msgs.PoseStamped) {
	g := goalMsg{frame: m.Header.FrameId, goal: []float64{m.Pose.Position.X, m.Pose.Position.Y}}
	select {
	case n.goalIn <- g:
	default:
		n.log.Warn("goal dropped: goals arrive faster than the node reads them")
	}
}

// planLoop runs the policy for each request, one at a time.
func (n *Node) planLoop() {
	defer n.wg.Done()
	for {
		select {
		case <-n.ctx.Done():
			return
		case req := <-n.reqs:
			var (
				p   *planner.Plan
				err error
			)
			p, err = n.plan(req)
			if req.ctx.Err() == nil {
				// A cancelled request (new goal, odometry stop) may have
				// returned early: its time is not a plan's.
				n.replanTime.add(time.Since(req.start))
			}
			select {
			case n.res <- planResult{req: req, plan: p, err: err}:
			case <-n.ctx.Done():
				return
			}
		}
	}
}

// plan runs the policy for req: a planner.RequestPolicy gets the
// executor's request (lookahead, unguided replans), any other policy the
// observation and goal.
func (n *Node) plan(req planRequest) (*planner.Plan, error) {
	rp, ok := n.conf.Policy.(planner.RequestPolicy)
	if !ok {
		return n.conf.Policy.Plan(req.ctx, req.ask.From, req.ask.Goal)
	}
	plans, err := rp.PlanRequests(req.ctx, []planner.Request{req.ask.Request()})
	if err != nil {
		return nil, err
	}
	if len(plans) != 1 {
		return nil, fmt.Errorf("%d plans for one request", len(plans))
	}
	return plans[0], nil
}

// control is the tick loop's state; only the tick loop touches it.
type control struct {
	wd          *Watchdog
	ex          *planner.Executor // the receding-horizon loop: plans, replans, actions
	tick        int64
	state       []float64 // latest finite odometry
	frame       string    // its frame_id
	goal        []float64 // current valid goal, nil when idle
	gen         int       // bumped on every goal change and odometry stop, to drop stale plans
	inflight    *planRequest
	cancelIn    context.CancelFunc
	late        bool // the inflight request's lateness was reported
	frameWarned string
	rotWarned   bool // the rotated-odometry warning was logged
	clampWarned bool // the out-of-range-action warning was logged
	holding     bool // braking at the goal (planner.Config.Hold), as last logged
}

// newControl returns the tick loop's state at time now, before any input.
func (n *Node) newControl(now time.Time) (*control, error) {
	ex, err := planner.NewExecutor(planner.ExecutorConfFor(n.conf.Policy, n.conf.OpenLoop, n.conf.Lookahead))
	if err != nil {
		return nil, err
	}
	return &control{wd: NewWatchdog(now, n.conf.OdomTimeout).LimitOdom(MapOdomLimits(n.conf.Map)), ex: ex}, nil
}

func (n *Node) tickLoop(c *control) {
	defer n.wg.Done()
	defer close(n.tickDone)
	// odometry is awaited from here
	c.wd = NewWatchdog(time.Now(), n.conf.OdomTimeout).LimitOdom(MapOdomLimits(n.conf.Map))
	ticker := time.NewTicker(n.period)
	defer ticker.Stop()
	last := time.Now()
	zero := []float64{0, 0}
	for {
		select {
		case <-n.ctx.Done():
			if c.cancelIn != nil {
				c.cancelIn()
			}
			n.publishAction(zero)
			return
		case <-ticker.C:
			// Measure when the loop runs, not when the timer fired: the
			// scheduling delay is part of the jitter a robot sees.
			now := time.Now()
			d := now.Sub(last) - n.period
			last = now
			n.tickJitter.add(d.Abs())
			a := n.step(c, now)
			if a == nil {
				a = zero
			}
			n.publishAction(a)
		}
	}
}

// step runs one control tick and returns the action to publish (nil for
// zero).
func (n *Node) step(c *control, now time.Time) []float64 {
	c.tick++
	// Inputs, in arrival order.
	for drained := false; !drained; {
		select {
		case o := <-n.odomIn:
			c.wd.Odom(o.at, o.state)
			if firstNonFinite(o.state) < 0 {
				c.state, c.frame = o.state, o.frame
			}
			if o.rotated && !c.rotWarned {
				c.rotWarned = true
				n.log.Warn("odometry orientation is not identity; it is ignored: position and twist.linear are taken as x, y in the odometry frame and cmd_vel as an action in that frame (a holonomic point robot, as the maze2d simulator)",
					"frame", o.frame)
			}
		case g := <-n.goalIn:
			n.newGoal(c, g)
		default:
			drained = true
		}
	}
	select {
	case r := <-n.res:
		n.planArrived(c, r, now)
	default:
	}
	tick := int(c.tick)
	if c.inflight != nil && !c.late && now.Sub(c.inflight.start) > n.conf.PlanDeadline {
		c.late = true
		c.wd.PlanLate(fmt.Sprintf("plan not ready after %v (deadline %v)", now.Sub(c.inflight.start).Round(time.Millisecond), n.conf.PlanDeadline))
	}
	if c.ex.RanOut(tick) {
		p, _, _, _ := c.ex.Executing()
		c.wd.PlanLate(fmt.Sprintf("plan of %d actions ran out before the next plan was ready", len(p.Actions)))
		c.ex.Drop()
	}
	// The odometry timeout is checked before planning, so no plan is
	// requested from odometry older than the timeout.
	ok := c.wd.Tick(now)
	odomOK := !c.wd.Active(FaultNoOdom) && !c.wd.Active(FaultBadOdom) && c.state != nil
	if c.wd.Active(FaultNoOdom) || c.wd.Active(FaultBadOdom) {
		// A plan requested before the stop starts where the robot no
		// longer is, and its skip would count the stopped ticks: drop it.
		n.dropPlans(c)
	}
	due := c.ex.Due(tick)
	if c.wd.Active(FaultPlanner) {
		due = c.ex.Retry(tick) // retry a failing planner at the replan cadence, not every tick
	}
	if c.goal != nil && odomOK && due {
		n.request(c, now)
	}
	n.logTransitions(c)
	if !ok {
		// Anything planned before the fault is stale by the time it clears.
		c.ex.Drop()
		n.statsMu.Lock()
		n.safetyTicks++
		n.statsMu.Unlock()
		return nil
	}
	if c.goal == nil {
		return nil
	}
	planned, ok := c.ex.Action(tick)
	b, hold := c.ex.Brake(c.state, c.goal)
	if hold != c.holding {
		c.holding = hold
		d := math.NaN()
		if len(c.state) >= 2 {
			d = math.Hypot(c.state[0]-c.goal[0], c.state[1]-c.goal[1])
		}
		if hold {
			n.log.Info("at the goal: braking", "distance", d)
		} else {
			n.log.Info("left the goal's tolerance: executing plans", "distance", d)
		}
	}
	if hold {
		return b // at the goal (planner.Config.Hold)
	}
	if !ok {
		return nil
	}
	a, clamped := clampAction(planned)
	if clamped && !c.clampWarned {
		c.clampWarned = true
		n.log.Warn("policy returned an action outside [-1, 1]; clamping published actions", "action", planned)
	}
	return a
}

// clampAction returns a copy of a with every component clamped to [-1, 1],
// the maze2d action range, and whether any component was outside it.
func clampAction(a []float64) ([]float64, bool) {
	out := make([]float64, len(a))
	clamped := false
	for i, x := range a {
		out[i] = max(-1, min(1, x))
		clamped = clamped || out[i] != x
	}
	return out, clamped
}

// dropPlans forgets the current plan and cancels the plan in flight; a
// result that still arrives for it is stale.
func (n *Node) dropPlans(c *control) {
	c.gen++
	c.ex.Drop()
	c.ex.Cancel()
	if c.cancelIn != nil {
		c.cancelIn()
		c.cancelIn = nil
	}
	c.inflight = nil
}

// goalTolerance is how close (per coordinate) a goal must be to the current
// one to count as the same goal re-sent.
const goalTolerance = 1e-6

func (n *Node) newGoal(c *control, g goalMsg) {
	if g.cancel != nil {
		defer close(g.cancel)
		n.dropPlans(c)
		c.goal, c.holding = nil, false
		c.wd.clear(FaultBadGoal)
		c.wd.clear(FaultGoalBlocked)
		n.log.Info("goal cancelled")
		return
	}
	finite := firstNonFinite(g.goal) < 0
	if finite && c.goal != nil && math.Abs(g.goal[0]-c.goal[0]) <= goalTolerance && math.Abs(g.goal[1]-c.goal[1]) <= goalTolerance {
		// The goal being driven to, re-sent (rostopic pub -r, a
		// republishing bridge): keep the plan and the plan in flight.
		return
	}
	free := finite && n.conf.Map.IsFree(r2.Point{X: g.goal[0], Y: g.goal[1]})
	// A new goal, valid or not, makes the current plan and any plan in
	// flight obsolete.
	n.dropPlans(c)
	if !c.wd.Goal(g.goal, free) {
		c.goal = nil
		return
	}
	if g.frame != "" && c.frame != "" && g.frame != c.frame && c.frameWarned != g.frame {
		c.frameWarned = g.frame
		n.log.Warn("goal frame differs from odometry frame; using the goal's coordinates as odometry coordinates",
			"goal_frame", g.frame, "odom_frame", c.frame)
	}
	c.goal = g.goal
	n.statsMu.Lock()
	n.goals++
	close(n.goalTaken)
	n.goalTaken = make(chan struct{})
	n.statsMu.Unlock()
	c.holding = false
	n.log.Info("new goal", "x", g.goal[0], "y", g.goal[1])
}

func (n *Node) request(c *control, now time.Time) {
	ctx, cancel := context.WithCancel(n.ctx)
	ask := c.ex.Ask(int(c.tick), c.state, c.goal)
	req := planRequest{ctx: ctx, gen: c.gen, ask: ask, start: now, frame: c.frame, stamp: n.rosNow()}
	select {
	case n.reqs <- req:
		c.inflight, c.cancelIn, c.late = &req, cancel, false
		c.ex.Asked(ask)
	default: // the planner still holds a cancelled request; try next tick
		cancel()
	}
}

func (n *Node) planArrived(c *control, r planResult, now time.Time) {
	stale := r.req.gen != c.gen
	if c.inflight != nil && c.inflight.ask.Tick == r.req.ask.Tick && !stale {
		c.inflight = nil
		c.cancelIn()
		c.cancelIn = nil
		c.ex.Cancel()
	}
	if stale || errors.Is(r.err, context.Canceled) {
		return
	}
	if r.err == nil {
		r.err = checkPlan(r.plan)
	}
	if r.err != nil {
		c.wd.PlanFailed(fmt.Errorf("plan: %w", r.err))
		return
	}
	// The plan starts at the observation of tick ask.Tick, or Ahead ticks
	// later; the actions of the ticks since then are already in the past.
	n.ticksPerPlan.add(int(c.tick) - r.req.ask.Tick)
	if err := c.ex.Arrive(int(c.tick), r.req.ask, r.plan); err != nil {
		c.wd.PlanLate(err.Error())
		return
	}
	// A usable plan, even a late one, ends planner and lateness faults.
	c.wd.PlanReady()
	n.publishPlan(r)
}

// checkPlan rejects plans the node cannot execute.
func checkPlan(p *planner.Plan) error {
	if p == nil || len(p.Actions) == 0 {
		return errors.New("empty plan")
	}
	for i, a := range p.Actions {
		if len(a) < 2 {
			return fmt.Errorf("action %d has %d components, want 2", i, len(a))
		}
		if j := firstNonFinite(a); j >= 0 {
			return fmt.Errorf("action %d component %d is %v", i, j, a[j])
		}
	}
	return nil
}

func (n *Node) logTransitions(c *control) {
	for _, t := range c.wd.Transitions() {
		if t.Raised {
			n.log.Warn("safety stop: publishing zero actions", "fault", t.Fault.String(), "reason", t.Reason)
		} else {
			n.log.Info("safety fault cleared", "fault", t.Fault.String())
		}
	}
}

// rosNow is ROS time (simulated time under /use_sim_time), or wall time
// for a node not on ROS (unit tests).
func (n *Node) rosNow() time.Time {
	if n.ros == nil {
		return time.Now()
	}
	return n.ros.TimeNow()
}

func (n *Node) publishAction(a []float64) {
	n.pubCmd.Write(&geometry_msgs.Twist{Linear: geometry_msgs.Vector3{X: a[0], Y: a[1]}})
	n.pubAct.Write(&std_msgs.Float64MultiArray{
		Layout: std_msgs.MultiArrayLayout{Dim: []std_msgs.MultiArrayDimension{{Label: "action", Size: uint32(len(a)), Stride: uint32(len(a))}}},
		Data:   append([]float64(nil), a...),
	})
}

func (n *Node) publishPlan(r planResult) {
	if n.pubPlan == nil { // not on ROS (unit tests)
		return
	}
	frame := r.req.frame
	if frame == "" {
		frame = "odom"
	}
	path := &nav_msgs.Path{Header: std_msgs.Header{FrameId: frame, Stamp: r.req.stamp}}
	for i, o := range r.plan.Observations {
		if len(o) < 2 || firstNonFinite(o[:2]) >= 0 {
			continue
		}
		path.Poses = append(path.Poses, geometry_msgs.PoseStamped{
			Header: std_msgs.Header{FrameId: frame, Stamp: r.req.stamp.Add(time.Duration(r.req.ask.Ahead+i+1) * n.period)},
			Pose: geometry_msgs.Pose{
				Position:    geometry_msgs.Point{X: o[0], Y: o[1]},
				Orientation: geometry_msgs.Quaternion{W: 1},
			},
		})
	}
	n.pubPlan.Write(path)
}
