package robot

import (
	"fmt"
	"math"
	"time"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/sim"
)

// Fault is one reason the node refuses to drive the robot. Several faults
// can be active at once; the robot moves only when none is.
type Fault int

// The faults the watchdog tracks, one per kind of bad input.
const (
	// FaultNoOdom: no (finite) odometry for longer than the odometry timeout.
	FaultNoOdom Fault = iota
	// FaultBadOdom: the last odometry message held a NaN or Inf, or a
	// state the robot cannot be in: a position outside the map or a speed
	// beyond the robot's (OdomLimits).
	FaultBadOdom
	// FaultBadGoal: the last goal held a NaN or Inf.
	FaultBadGoal
	// FaultGoalBlocked: the last goal is in a wall or outside the map.
	FaultGoalBlocked
	// FaultPlanner: the policy returned an error (or a plan the node cannot use).
	FaultPlanner
	// FaultPlanLate: a plan is later than its deadline, or the current plan
	// ran out before the next one was ready.
	FaultPlanLate

	numFaults
)

var faultNames = [numFaults]string{
	FaultNoOdom:      "no_odom",
	FaultBadOdom:     "bad_odom",
	FaultBadGoal:     "bad_goal",
	FaultGoalBlocked: "goal_blocked",
	FaultPlanner:     "planner_error",
	FaultPlanLate:    "plan_late",
}

// String returns the fault's short snake_case name, as logged.
func (f Fault) String() string {
	if f < 0 || f >= numFaults {
		return fmt.Sprintf("fault(%d)", int(f))
	}
	return faultNames[f]
}

// Transition is a change of one fault's state: raised (with the reason) or
// cleared. The node logs each transition once, so a fault that lasts
// produces one line when it starts and one when it ends.
type Transition struct {
	Fault  Fault
	Raised bool
	// Reason says what was wrong; empty when the fault clears.
	Reason string
}

// Watchdog is the node's safety state machine. It is pure: it reads no
// clock and does no I/O; the caller feeds it events with their times and
// asks at every control tick whether the robot may move. It is not safe for
// concurrent use.
type Watchdog struct {
	odomTimeout time.Duration
	limits      OdomLimits
	odomKind    string    // what is wrong with the odometry while FaultBadOdom is raised
	lastOdom    time.Time // time of the last finite odometry (or the start)
	active      [numFaults]bool
	reasons     [numFaults]string
	pending     []Transition
}

// NewWatchdog returns a watchdog that starts at time start with no fault
// raised: odometry has odomTimeout from start to arrive.
func NewWatchdog(start time.Time, odomTimeout time.Duration) *Watchdog {
	return &Watchdog{odomTimeout: odomTimeout, lastOdom: start}
}

// OdomLimits are the states odometry can plausibly report. Odometry beyond
// them is a fault, as a NaN is: a robot driven from it would get a full
// command towards a goal it is not near (or a planner fed 1e300 answers
// NaN).
type OdomLimits struct {
	// Bounds is where positions may lie, margin included. The zero Rect
	// or an empty one: anywhere.
	Bounds r2.Rect
	// MaxSpeed is the largest |vx| and |vy| odometry may report, margin
	// included. 0: no limit.
	MaxSpeed float64
}

// Margins of MapOdomLimits: half a cell beyond the map's outer walls, and
// a fifth over the simulator's velocity clip (a step's acceleration after
// the clip adds at most 0.24).
const (
	odomBoundsMargin = 0.5
	odomSpeedMargin  = 1.2
)

// MapOdomLimits returns the limits for the maze2d point mass on m: the
// map's rectangle (if m has Bounds, as *sim.Maze does) grown by half a
// cell, and 1.2 × the simulator's velocity clip of 5 per axis.
func MapOdomLimits(m Map) OdomLimits {
	l := OdomLimits{Bounds: r2.EmptyRect(), MaxSpeed: odomSpeedMargin * sim.VelocityLimit}
	if b, ok := m.(interface{ Bounds() r2.Rect }); ok {
		l.Bounds = b.Bounds().ExpandedByMargin(odomBoundsMargin)
	}
	return l
}

// LimitOdom makes w refuse odometry beyond l, and returns w.
func (w *Watchdog) LimitOdom(l OdomLimits) *Watchdog {
	w.limits = l
	return w
}

// check returns what kind of wrong state s (finite, x y vx vy) is, and
// why, or "" if it is within the limits.
func (l OdomLimits) check(s []float64) (kind, reason string) {
	bounded := l.Bounds != (r2.Rect{}) && !l.Bounds.IsEmpty()
	if len(s) >= 2 && bounded && !l.Bounds.ContainsPoint(r2.Point{X: s[0], Y: s[1]}) {
		return "position", fmt.Sprintf("odometry position (%g, %g) is outside the map [%g, %g]×[%g, %g]",
			s[0], s[1], l.Bounds.X.Lo, l.Bounds.X.Hi, l.Bounds.Y.Lo, l.Bounds.Y.Hi)
	}
	if len(s) >= 4 && l.MaxSpeed > 0 && (math.Abs(s[2]) > l.MaxSpeed || math.Abs(s[3]) > l.MaxSpeed) {
		return "speed", fmt.Sprintf("odometry velocity (%g, %g) exceeds the robot's %g per axis", s[2], s[3], l.MaxSpeed)
	}
	return "", ""
}

// setOdom raises FaultBadOdom for odometry of the given kind. Another
// kind of wrong odometry than the one raised is logged again; more of the
// same (a robot reported outside the map at every message) is not.
func (w *Watchdog) setOdom(kind, reason string) {
	if w.active[FaultBadOdom] && w.odomKind != kind {
		w.active[FaultBadOdom] = false
	}
	w.odomKind = kind
	w.set(FaultBadOdom, reason)
}

func (w *Watchdog) set(f Fault, reason string) {
	if w.active[f] {
		return
	}
	w.active[f] = true
	w.reasons[f] = reason
	w.pending = append(w.pending, Transition{Fault: f, Raised: true, Reason: reason})
}

// setGoal raises goal fault f for a new goal: a goal unusable for another
// reason than the one already raised is a new bad input, and is logged
// again; the same goal sent again is not.
func (w *Watchdog) setGoal(f Fault, reason string) {
	if w.active[f] && w.reasons[f] != reason {
		w.active[f] = false
	}
	w.set(f, reason)
}

func (w *Watchdog) clear(f Fault) {
	if !w.active[f] {
		return
	}
	w.active[f] = false
	w.reasons[f] = ""
	w.pending = append(w.pending, Transition{Fault: f})
}

// Odom records an odometry state received at now. A state with a NaN or
// Inf, or beyond the limits set by LimitOdom, raises FaultBadOdom and does
// not count as odometry; a sane one clears FaultBadOdom and FaultNoOdom.
func (w *Watchdog) Odom(now time.Time, state []float64) {
	if i := firstNonFinite(state); i >= 0 {
		w.setOdom("non-finite", fmt.Sprintf("odometry component %d is %v", i, state[i]))
		return
	}
	if kind, reason := w.limits.check(state); kind != "" {
		w.setOdom(kind, reason)
		return
	}
	w.clear(FaultBadOdom)
	w.clear(FaultNoOdom)
	w.lastOdom = now
}

// Goal records a new goal. free reports whether the goal is in free space
// on the map (it is ignored for a non-finite goal). It returns whether the
// goal is usable; an unusable goal raises FaultBadGoal or FaultGoalBlocked
// (again, with its own reason, if it follows another unusable goal), and a
// usable one clears both.
func (w *Watchdog) Goal(goal []float64, free bool) bool {
	if i := firstNonFinite(goal); i >= 0 {
		w.clear(FaultGoalBlocked)
		w.setGoal(FaultBadGoal, fmt.Sprintf("goal component %d is %v", i, goal[i]))
		return false
	}
	w.clear(FaultBadGoal)
	if !free {
		w.setGoal(FaultGoalBlocked, fmt.Sprintf("goal (%g, %g) is in a wall or outside the map", goal[0], goal[1]))
		return false
	}
	w.clear(FaultGoalBlocked)
	return true
}

// PlanFailed raises FaultPlanner with err as the reason.
func (w *Watchdog) PlanFailed(err error) { w.set(FaultPlanner, err.Error()) }

// PlanLate raises FaultPlanLate with the given reason.
func (w *Watchdog) PlanLate(reason string) { w.set(FaultPlanLate, reason) }

// PlanReady records that a usable plan arrived in time: it clears
// FaultPlanner and FaultPlanLate.
func (w *Watchdog) PlanReady() {
	w.clear(FaultPlanner)
	w.clear(FaultPlanLate)
}

// Tick checks the odometry timeout at now and reports whether the robot
// may move (no fault active).
func (w *Watchdog) Tick(now time.Time) bool {
	if now.Sub(w.lastOdom) > w.odomTimeout {
		w.set(FaultNoOdom, fmt.Sprintf("no odometry for %v (timeout %v)", now.Sub(w.lastOdom).Round(time.Millisecond), w.odomTimeout))
	}
	return w.OK()
}

// OK reports whether no fault is active.
func (w *Watchdog) OK() bool {
	for _, a := range w.active {
		if a {
			return false
		}
	}
	return true
}

// Active reports whether fault f is raised.
func (w *Watchdog) Active(f Fault) bool { return w.active[f] }

// Transitions returns the fault changes since the previous call, oldest
// first.
func (w *Watchdog) Transitions() []Transition {
	t := w.pending
	w.pending = nil
	return t
}

// firstNonFinite returns the index of the first NaN or Inf in v, or -1.
func firstNonFinite(v []float64) int {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i
		}
	}
	return -1
}
