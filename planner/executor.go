package planner

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// ExecutorConf configures an Executor.
type ExecutorConf struct {
	// OpenLoop is how many ticks pass between asks for a plan: the planned
	// actions executed before replanning. Must be ≥ 1.
	OpenLoop int
	// Lookahead is how many ticks ahead a replan is made. The robot keeps
	// executing its current plan while the next one is made; with
	// lookahead k the new plan is made from the state predicted k ticks
	// on (Predict: the odometry extrapolated at constant velocity), while
	// the current plan has actions for them, and is executed from its
	// first action at that tick. 0 is off: plans are made from the observation at the
	// ask and executed from the action for the tick they arrive. -1 is
	// automatic: k is the median of the last plans' arrival times, in
	// ticks (0 before any has arrived).
	Lookahead int
	// Unstick is Config.Unstick: when the open loop just executed moved
	// the robot less than PinnedMoved while its plan said more than
	// PinnedPlanned, the next Unstick plans are asked for without
	// guidance. 0 is off.
	Unstick int
	// StopRadius is Config.StopRadius: a robot this close to its goal is
	// where it should be, and never taken for pinned.
	StopRadius float64
	// Hold is Config.Hold: a robot this close to its goal brakes
	// (Executor.Brake), and is never taken for pinned. 0 is off.
	Hold float64
}

// ExecutorConfFor returns the executor settings for policy pol with the
// given open loop and lookahead: lookahead and the unstick rule apply
// only to a RequestPolicy, and the unstick rule is its Config's
// (Config.Unstick, Config.StopRadius) if it has one, as *Planner does.
func ExecutorConfFor(pol Policy, openLoop, lookahead int) ExecutorConf {
	c := ExecutorConf{OpenLoop: openLoop}
	if _, ok := pol.(RequestPolicy); !ok {
		return c
	}
	c.Lookahead = lookahead
	if p, ok := pol.(interface{ Config() Config }); ok {
		c.Unstick, c.StopRadius, c.Hold = p.Config().Unstick, p.Config().StopRadius, p.Config().Hold
	}
	return c
}

// Ask is one plan asked for by an Executor: where the robot was, and what
// the plan is to be made from.
type Ask struct {
	// Tick is the tick of the observation Obs.
	Tick int
	// Obs is the robot's observation at Tick.
	Obs []float64
	// From is the state the plan is made from: Obs, or with Ahead > 0 the
	// state predicted Ahead ticks after Tick (Predict).
	From []float64
	// Goal is the goal (x, y).
	Goal []float64
	// Ahead is 0 for a plan made from Obs. k > 0: it is made from the
	// state predicted k ticks later, so its first action is for tick
	// Tick + k.
	Ahead int
	// Unguided is 0 for a plan asked for with the goal's guidance. k > 0:
	// the robot was pinned (ExecutorConf.Unstick) and the plan is asked
	// for without guidance; this one included, k replans owe the same.
	Unguided int
}

// Request is what the ask wants of a RequestPolicy.
func (a Ask) Request() Request { return Request{Obs: a.From, Goal: a.Goal, Unguided: a.Unguided > 0} }

// ErrLate is what Executor.Arrive returns for a plan that arrives with
// none of its actions left to execute.
var ErrLate = errors.New("plan arrived too late")

// arrivalWindow is how many of the latest plans' arrival times automatic
// lookahead takes the median of.
const arrivalWindow = 9

// Executor is one robot's receding-horizon loop: it decides when a plan
// is asked for and from what state, which planned action runs at each
// tick, how a plan that arrives late takes over, and when a pinned robot
// is planned for without guidance. Ticks are the control loop's steps,
// counted by the caller; the caller runs the policy (at once, as the
// benchmark does, or in the background, as the ROS node does) and hands
// each plan back with Arrive.
//
// Per tick the caller hands over the plans that arrived (Arrive), asks
// for a plan when Due (Ask, then Asked once it is sent), and executes
// Action. The zero Executor is not usable; use NewExecutor.
type Executor struct {
	conf ExecutorConf

	plan     *Plan // being executed; nil before the first, or dropped
	ask      Ask   // what plan was asked with
	next     int   // index of plan's next action
	ran      int   // actions of plan executed since it took over
	fromRest bool  // plan arrived while the robot stood still without one

	held    *Plan // arrived, made for a later tick (lookahead)
	heldAsk Ask

	waiting  bool // a plan has been asked for and not handed back
	lastAsk  int  // tick of the last ask
	arrivals []int
}

// NewExecutor returns an executor with no plan.
func NewExecutor(conf ExecutorConf) (*Executor, error) {
	switch {
	case conf.OpenLoop < 1:
		return nil, fmt.Errorf("executor: open loop %d, want ≥ 1", conf.OpenLoop)
	case conf.Lookahead < -1:
		return nil, fmt.Errorf("executor: lookahead %d, want 0 (off), -1 (automatic) or a number of ticks", conf.Lookahead)
	case conf.Unstick < 0:
		return nil, fmt.Errorf("executor: unstick %d, want ≥ 0", conf.Unstick)
	case !(conf.Hold >= 0) || math.IsInf(conf.Hold, 0):
		return nil, fmt.Errorf("executor: hold %v, want ≥ 0", conf.Hold)
	}
	return &Executor{conf: conf}, nil
}

// takeOver starts the held plan once its tick has come, from the action
// for this tick.
func (e *Executor) takeOver(tick int) {
	if at := e.heldAsk.Tick + e.heldAsk.Ahead; e.held != nil && tick >= at {
		e.plan, e.ask, e.next, e.ran, e.fromRest = e.held, e.heldAsk, tick-at, 0, false
		e.held = nil
	}
}

// Due reports whether a plan should be asked for at tick: none is in
// flight or held, and the robot has none, or the open loop since the last
// ask has run, or its plan has run out.
func (e *Executor) Due(tick int) bool {
	e.takeOver(tick)
	switch {
	case e.waiting || e.held != nil:
		return false
	case e.plan == nil:
		return true
	}
	return tick-e.lastAsk >= e.conf.OpenLoop || e.next >= len(e.plan.Actions)
}

// Retry reports whether a policy that failed may be asked again at tick:
// nothing is in flight or held, and the open loop since the last ask has
// run (a failing planner is retried at the replan cadence, not every
// tick).
func (e *Executor) Retry(tick int) bool {
	e.takeOver(tick)
	return !e.waiting && e.held == nil && tick-e.lastAsk >= e.conf.OpenLoop
}

// Ask returns the plan to ask for at tick for a robot at obs heading to
// goal. It changes nothing: call Asked once the ask is sent.
//
// With a plan being executed (not one the robot waited for at rest, whose
// motion since its observation says nothing about it), the ask applies the
// unstick rule and lookahead: a pinned robot, or one that owes more
// unguided replans, is asked an unguided plan; otherwise, with lookahead,
// the plan is made from the state predicted for when it takes over
// (Predict). A pinned robot does not move as its plan says, so it is
// planned for from where it is.
func (e *Executor) Ask(tick int, obs, goal []float64) Ask {
	e.takeOver(tick)
	a := Ask{Tick: tick, Obs: slices.Clone(obs), From: slices.Clone(obs), Goal: slices.Clone(goal)}
	if e.plan == nil || e.fromRest {
		return a
	}
	executed := min(e.next, len(e.plan.Actions))
	var pinned bool
	a.Unguided, pinned = e.unguided(executed, obs, goal)
	// The robot runs the current plan's actions until the new plan takes
	// over: look ahead only as far as the plan has actions.
	if ahead := e.lookahead(); ahead > 0 && !pinned && executed+ahead <= len(e.plan.Actions) {
		if from, ok := Predict(obs, ahead); ok {
			a.From, a.Ahead = from, ahead
		}
	}
	return a
}

// unguided returns how many unguided replans the robot now at obs owes,
// this one included, after executed actions of the current plan (0: plan
// with guidance), and whether it was found pinned just now.
func (e *Executor) unguided(executed int, obs, goal []float64) (n int, pinned bool) {
	switch {
	case e.conf.Unstick == 0:
		return 0, false
	case math.Hypot(obs[0]-goal[0], obs[1]-goal[1]) < max(e.conf.StopRadius, e.conf.Hold):
		return 0, false // where it should be: a robot braking there does not move as planned
	case e.ask.Unguided > 1:
		return e.ask.Unguided - 1, false
	case Pinned(e.plan, e.ask, executed, obs):
		return e.conf.Unstick, true
	}
	return 0, false
}

// Asked records that a was sent to the policy: no other plan is asked for
// until it is handed back (Arrive) or given up (Cancel).
func (e *Executor) Asked(a Ask) {
	e.waiting, e.lastAsk = true, a.Tick
}

// Arrive hands over the plan p made for ask a, at tick. Its actions for
// the ticks since a.Tick + a.Ahead are in the past and skipped; a plan
// made for a later tick is held until then. A plan with nothing left to
// execute is refused with ErrLate.
func (e *Executor) Arrive(tick int, a Ask, p *Plan) error {
	e.waiting = false
	took := tick - a.Tick
	e.arrivals = append(e.arrivals, took)
	if len(e.arrivals) > arrivalWindow {
		e.arrivals = e.arrivals[1:]
	}
	skip := took - a.Ahead
	if skip >= len(p.Actions) {
		return fmt.Errorf("%w: a plan of %d actions arrived %d ticks after its observation", ErrLate, len(p.Actions), took)
	}
	if skip < 0 {
		// Made for a later tick: the current plan runs until then.
		e.held, e.heldAsk = p, a
		return nil
	}
	e.fromRest = e.plan == nil && took > 0
	e.plan, e.ask, e.next, e.ran = p, a, skip, 0
	return nil
}

// Cancel gives up the plan in flight: a plan may be asked for again.
func (e *Executor) Cancel() { e.waiting = false }

// Drop forgets the plan being executed and the plan held (a new goal, a
// safety stop): the robot has no plan until the next arrives.
func (e *Executor) Drop() { e.plan, e.held = nil, nil }

// RanOut reports whether the plan being executed has no action for tick.
func (e *Executor) RanOut(tick int) bool {
	e.takeOver(tick)
	return e.plan != nil && e.next >= len(e.plan.Actions)
}

// Action returns the planned action for tick and moves on to the next;
// ok is false when there is none (no plan, or it has run out), and the
// robot should stand still.
func (e *Executor) Action(tick int) (a []float64, ok bool) {
	e.takeOver(tick)
	if e.plan == nil {
		return nil, false
	}
	if e.next < len(e.plan.Actions) {
		a, ok = e.plan.Actions[e.next], true
	}
	e.next++
	e.ran++
	return a, ok
}

// Brake returns the action that stops a robot at obs that is within
// ExecutorConf.Hold of goal, −(vx, vy) clamped to [−1, 1], to execute in
// place of Action's; ok is false when the robot is further out, Hold is
// off or obs has no velocity (x, y, vx, vy, …). Call it after Action,
// which keeps the plan's place.
func (e *Executor) Brake(obs, goal []float64) (a []float64, ok bool) {
	if e.conf.Hold <= 0 || len(obs) < 4 || len(goal) < 2 || math.Hypot(obs[0]-goal[0], obs[1]-goal[1]) >= e.conf.Hold {
		return nil, false
	}
	a = []float64{-obs[2], -obs[3]}
	for i := range a {
		a[i] = max(-1, min(1, a[i]))
	}
	if _, bad := nonFinite(a); bad {
		return nil, false
	}
	return a, true
}

// Executing returns the plan being executed, how it was asked for, the
// index of its next action and how many of its actions were executed
// since it took over (nil plan if none).
func (e *Executor) Executing() (p *Plan, a Ask, next, ran int) {
	return e.plan, e.ask, e.next, e.ran
}

// lookahead returns the ticks ahead the next plan is made from
// (ExecutorConf.Lookahead).
func (e *Executor) lookahead() int {
	switch {
	case e.conf.Lookahead >= 0:
		return e.conf.Lookahead
	case len(e.arrivals) == 0:
		return 0
	}
	a := slices.Clone(e.arrivals)
	slices.Sort(a)
	return a[len(a)/2]
}

// Pinned reports whether the robot, now at obs, moved less than
// PinnedMoved since plan p was asked for (a.Obs) while the plan said more
// than PinnedPlanned: p's first executed actions and, for a plan made
// ahead (a.Ahead > 0), the previous plan's frames it was predicted from.
// It is false when that cannot be told (nothing executed, no predicted
// position).
func Pinned(p *Plan, a Ask, executed int, obs []float64) bool {
	if p == nil || len(a.Obs) < 2 || len(obs) < 2 || executed+a.Ahead < 1 || executed > len(p.Observations) {
		return false
	}
	to := a.From // made ahead, nothing of it executed yet
	if executed > 0 {
		to = p.Observations[executed-1]
	}
	if len(to) < 2 {
		return false
	}
	moved := math.Hypot(obs[0]-a.Obs[0], obs[1]-a.Obs[1])
	planned := math.Hypot(to[0]-a.Obs[0], to[1]-a.Obs[1])
	return moved < PinnedMoved && planned > PinnedPlanned
}

// FrameSeconds is the time one plan frame stands for, and one control
// tick: D4RL maze2d's 0.01 s step. Plans are made of frames of this
// length, and an Executor runs one frame per tick.
const FrameSeconds = 0.01

// Predict returns where the robot now at obs will be ahead ticks on: obs
// extrapolated at constant velocity, for observations laid out as
// maze2d's (x, y, vx, vy, …; velocities per second), position moved by
// velocity × ahead × FrameSeconds and every other value kept. It reads
// the robot's own odometry only: the model's predicted observations are
// not consistent with its actions near a goal (a plan for a robot at rest
// at umaze's goal starts 0.3 m away at 3 m/s), and a lookahead made from
// them started plans where the robot was not. ok is false for ahead < 1,
// fewer than 4 observation values or a non-finite result.
func Predict(obs []float64, ahead int) (next []float64, ok bool) {
	if ahead < 1 || len(obs) < 4 {
		return nil, false
	}
	next = slices.Clone(obs)
	t := float64(ahead) * FrameSeconds
	next[0] += obs[2] * t
	next[1] += obs[3] * t
	if _, bad := nonFinite(next); bad {
		return nil, false
	}
	return next, true
}
