package planner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// linePlan is plan number id, made from state from: n actions {id, i},
// and positions that move 10 cm along x per frame.
func linePlan(id, n int, from []float64) *Plan {
	p := &Plan{}
	for i := range n {
		p.Actions = append(p.Actions, []float64{float64(id), float64(i)})
		p.Observations = append(p.Observations, []float64{from[0] + 0.1*float64(i+1), from[1], 1, 0})
	}
	return p
}

// script drives an executor for ticks 0 … ticks−1 as a control loop does:
// plans arrive delay ticks after they are asked for (the ask at tick t of
// plan number k is answered by linePlan(k, planLen, ask.From)); the robot
// is at obs(t); goal(t) changing drops the plan and the plan in flight.
// It returns the action run at every tick ("k.i" for action i of plan k,
// "-" for none, "?" before it when a plan was asked for at that tick),
// and the asks made.
type script struct {
	conf    ExecutorConf
	delay   int
	planLen int
	ticks   int
	obs     func(tick int) []float64
	goal    func(tick int) []float64
}

func (s script) run(t *testing.T) (string, []Ask) {
	t.Helper()
	e, err := NewExecutor(s.conf)
	if err != nil {
		t.Fatal(err)
	}
	type flight struct {
		ask  Ask
		plan *Plan
	}
	var inFlight *flight
	var asks []Ask
	var out []string
	goal := s.goal(0)
	for tick := range s.ticks {
		if g := s.goal(tick); !slices.Equal(g, goal) {
			goal = g
			e.Drop()
			e.Cancel()
			inFlight = nil
		}
		if inFlight != nil && tick-inFlight.ask.Tick >= s.delay {
			if err := e.Arrive(tick, inFlight.ask, inFlight.plan); err != nil {
				t.Fatalf("tick %d: %v", tick, err)
			}
			inFlight = nil
		}
		cell := ""
		if e.Due(tick) {
			a := e.Ask(tick, s.obs(tick), goal)
			e.Asked(a)
			inFlight = &flight{a, linePlan(len(asks), s.planLen, a.From)}
			asks = append(asks, a)
			cell = "?"
			if s.delay == 0 {
				if err := e.Arrive(tick, a, inFlight.plan); err != nil {
					t.Fatalf("tick %d: %v", tick, err)
				}
				inFlight = nil
			}
		}
		if a, ok := e.Action(tick); ok {
			cell += fmt.Sprintf("%g.%g", a[0], a[1])
		} else {
			cell += "-"
		}
		out = append(out, cell)
	}
	return strings.Join(out, " "), asks
}

// The executor's timing rules, one row per case: which planned action runs
// at every tick, and how the plans were asked for.
func TestExecutorTiming(t *testing.T) {
	still := func(int) []float64 { return []float64{1, 2, 0, 0} }
	// moving follows the plans: 10 cm along x per tick.
	moving := func(tick int) []float64 { return []float64{1 + 0.1*float64(tick), 2, 1, 0} }
	goal := func(int) []float64 { return []float64{5, 2} }
	for _, c := range []struct {
		name string
		s    script
		want string
		// asks checks the asks made (nil: nothing to check).
		asks func(t *testing.T, asks []Ask)
	}{
		{
			name: "on time: a plan every open loop, executed from its first action",
			s:    script{conf: ExecutorConf{OpenLoop: 3}, planLen: 10, ticks: 8, obs: moving, goal: goal},
			want: "?0.0 0.1 0.2 ?1.0 1.1 1.2 ?2.0 2.1",
		},
		{
			name: "a plan that runs out is replanned at once",
			s:    script{conf: ExecutorConf{OpenLoop: 5}, planLen: 2, ticks: 5, obs: moving, goal: goal},
			want: "?0.0 0.1 ?1.0 1.1 ?2.0",
		},
		{
			name: "late by 2 ticks: the robot waits at rest, then skips the actions the plan missed",
			s:    script{conf: ExecutorConf{OpenLoop: 3}, delay: 2, planLen: 10, ticks: 9, obs: moving, goal: goal},
			want: "?- - 0.2 ?0.3 0.4 1.2 ?1.3 1.4 2.2",
		},
		{
			name: "late by 4 ticks, open loop 3: the next ask waits for the plan in flight",
			s:    script{conf: ExecutorConf{OpenLoop: 3}, delay: 4, planLen: 10, ticks: 10, obs: moving, goal: goal},
			want: "?- - - - ?0.4 0.5 0.6 0.7 ?1.4 1.5",
		},
		{
			name: "lookahead 2, late by 2: a plan is made for when it arrives and runs from its first action",
			s:    script{conf: ExecutorConf{OpenLoop: 3, Lookahead: 2}, delay: 2, planLen: 10, ticks: 9, obs: moving, goal: goal},
			// Plan 0 arrives at rest, so plan 1 is asked without
			// lookahead (nothing executed to predict from); plan 2 is
			// made 2 ahead and runs from its action 0.
			want: "?- - 0.2 ?0.3 0.4 1.2 ?1.3 1.4 2.0",
			asks: func(t *testing.T, asks []Ask) {
				// At tick 6 the robot is at x = 1.6 moving at 1 m/s: 2
				// ticks (0.02 s) on it is at x = 1.62.
				if asks[1].Ahead != 0 || asks[2].Ahead != 2 || math.Abs(asks[2].From[0]-1.62) > 1e-12 || asks[2].Obs[0] != moving(6)[0] {
					t.Errorf("asks %+v, %+v: want the first made from the observation, the second 2 ahead from x = 1.62", asks[1], asks[2])
				}
			},
		},
		{
			name: "lookahead 3, late by 1: an early plan is held until its tick",
			s:    script{conf: ExecutorConf{OpenLoop: 3, Lookahead: 3}, delay: 1, planLen: 10, ticks: 10, obs: moving, goal: goal},
			// Plan 2, asked at tick 6, arrives at 7 and takes over at 9.
			want: "?- 0.1 0.2 ?0.3 1.1 1.2 ?1.3 1.4 1.5 ?2.0",
		},
		{
			name: "automatic lookahead: the median arrival time",
			s:    script{conf: ExecutorConf{OpenLoop: 3, Lookahead: -1}, delay: 2, planLen: 10, ticks: 9, obs: moving, goal: goal},
			want: "?- - 0.2 ?0.3 0.4 1.2 ?1.3 1.4 2.0",
		},
		{
			name: "a new goal mid-plan drops the plan and the plan in flight",
			s: script{conf: ExecutorConf{OpenLoop: 3, Lookahead: 2, Unstick: 2}, delay: 2, planLen: 10, ticks: 10, obs: still,
				goal: func(tick int) []float64 {
					if tick < 4 {
						return []float64{5, 2}
					}
					return []float64{1, 5}
				}},
			want: "?- - 0.2 ?0.3 ?- - 2.2 ?2.3 2.4 3.2",
			asks: func(t *testing.T, asks []Ask) {
				// Plan 1 was dropped in flight; plan 2 is for the new goal,
				// with no plan to judge the robot by or predict from.
				if a := asks[2]; a.Tick != 4 || a.Ahead != 0 || a.Unguided != 0 || !slices.Equal(a.Goal, []float64{1, 5}) {
					t.Errorf("ask after the new goal: %+v, want one at tick 4 for (1, 5), from the observation, guided", a)
				}
			},
		},
		{
			name: "a pinned robot: Unstick unguided replans, then guidance, then pinned again",
			s:    script{conf: ExecutorConf{OpenLoop: 3, Unstick: 2, StopRadius: 0.5}, planLen: 10, ticks: 13, obs: still, goal: goal},
			want: "?0.0 0.1 0.2 ?1.0 1.1 1.2 ?2.0 2.1 2.2 ?3.0 3.1 3.2 ?4.0",
			asks: func(t *testing.T, asks []Ask) {
				var got []int
				for _, a := range asks {
					got = append(got, a.Unguided)
				}
				// Ask 2 still owes one; ask 3 owes none and finds the
				// robot pinned again.
				if want := []int{0, 2, 1, 2, 1}; !slices.Equal(got, want) {
					t.Errorf("unguided %v, want %v", got, want)
				}
			},
		},
		{
			name: "a robot at its goal is never pinned",
			s:    script{conf: ExecutorConf{OpenLoop: 3, Unstick: 2, StopRadius: 0.5}, planLen: 10, ticks: 7, obs: still, goal: func(int) []float64 { return []float64{1.2, 2} }},
			want: "?0.0 0.1 0.2 ?1.0 1.1 1.2 ?2.0",
			asks: func(t *testing.T, asks []Ask) {
				for _, a := range asks {
					if a.Unguided != 0 {
						t.Errorf("ask at tick %d: unguided %d, want 0", a.Tick, a.Unguided)
					}
				}
			},
		},
		{
			name: "a robot braking within Hold of its goal is never pinned",
			s:    script{conf: ExecutorConf{OpenLoop: 3, Unstick: 2, StopRadius: 0.1, Hold: 0.5}, planLen: 10, ticks: 7, obs: still, goal: func(int) []float64 { return []float64{1.3, 2} }},
			want: "?0.0 0.1 0.2 ?1.0 1.1 1.2 ?2.0",
			asks: func(t *testing.T, asks []Ask) {
				for _, a := range asks {
					if a.Unguided != 0 {
						t.Errorf("ask at tick %d: unguided %d, want 0", a.Tick, a.Unguided)
					}
				}
			},
		},
		{
			name: "a plan the robot waited for at rest does not tell a pinned robot",
			s:    script{conf: ExecutorConf{OpenLoop: 3, Unstick: 2, StopRadius: 0.5}, delay: 2, planLen: 10, ticks: 7, obs: still, goal: goal},
			want: "?- - 0.2 ?0.3 0.4 1.2 ?1.3",
			asks: func(t *testing.T, asks []Ask) {
				// Ask 1 follows plan 0, which arrived at rest; ask 2 follows
				// plan 1, 3 ticks of which moved the robot 0 of 30 cm.
				if asks[1].Unguided != 0 || asks[2].Unguided != 2 {
					t.Errorf("unguided %d and %d, want 0 (after a plan from rest) and 2", asks[1].Unguided, asks[2].Unguided)
				}
			},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, asks := c.s.run(t)
			if got != c.want {
				t.Errorf("actions\n got %s\nwant %s", got, c.want)
			}
			if c.asks != nil {
				c.asks(t, asks)
			}
		})
	}
}

// A plan that arrives with none of its actions left is refused.
func TestExecutorRefusesLatePlans(t *testing.T) {
	e, err := NewExecutor(ExecutorConf{OpenLoop: 3})
	if err != nil {
		t.Fatal(err)
	}
	a := e.Ask(0, []float64{1, 2, 0, 0}, []float64{5, 2})
	e.Asked(a)
	if err := e.Arrive(4, a, linePlan(0, 4, a.From)); err == nil {
		t.Fatal("a plan of 4 actions 4 ticks late: want ErrLate")
	}
	if act, ok := e.Action(4); ok || !e.Due(4) {
		t.Errorf("after a refused plan: action %v, due %v; want none, and a new ask due", act, e.Due(4))
	}
}

func TestNewExecutorRejectsBadConf(t *testing.T) {
	for name, c := range map[string]ExecutorConf{
		"open loop 0":      {},
		"lookahead -2":     {OpenLoop: 1, Lookahead: -2},
		"negative unstick": {OpenLoop: 1, Unstick: -1},
	} {
		if _, err := NewExecutor(c); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
}

// pinnedPlan is a plan from (1, 2) that says step m per frame along x,
// for 8 frames, and the ask it was made for.
func pinnedPlan(step float64) (*Plan, Ask) {
	pl := &Plan{}
	for f := range 8 {
		pl.Observations = append(pl.Observations, []float64{1 + step*float64(f+1), 2, 1, 0})
		pl.Actions = append(pl.Actions, []float64{1, 0})
	}
	from := []float64{1, 2, 0, 0}
	return pl, Ask{Obs: from, From: from}
}

func TestPinned(t *testing.T) {
	prev, ask := pinnedPlan(0.15)
	for _, c := range []struct {
		name     string
		pl       *Plan
		ask      Ask
		executed int
		obs      []float64
		want     bool
	}{
		{"moved 1 cm, plan said 60 cm", prev, ask, 4, []float64{1.01, 2, 0, 0}, true},
		{"moved 1 cm sideways", prev, ask, 4, []float64{1, 1.99, 0, 0}, true},
		{"whole plan executed", prev, ask, 8, []float64{1, 2, 0, 0}, true},
		{"moved 10 cm", prev, ask, 4, []float64{1.1, 2, 0, 0}, false},
		// Frame 0 is 15 cm out, frame 1 30 cm: the executed frame counts.
		{"plan said 15 cm", prev, ask, 1, []float64{1.01, 2, 0, 0}, false},
		{"nothing executed", prev, ask, 0, []float64{1, 2, 0, 0}, false},
		{"executed past the end", prev, ask, 9, []float64{1, 2, 0, 0}, false},
		{"no observation asked from", prev, Ask{}, 4, []float64{1, 2, 0, 0}, false},
		{"no plan", nil, ask, 4, []float64{1, 2, 0, 0}, false},
	} {
		if got := Pinned(c.pl, c.ask, c.executed, c.obs); got != c.want {
			t.Errorf("%s: Pinned = %v, want %v", c.name, got, c.want)
		}
	}
}

// A robot stuck against a wall is found pinned through plans made ahead:
// its motion since the plan was asked for is compared with what the plans
// said, not with the predicted start of the plan.
func TestPinnedThroughPlansMadeAhead(t *testing.T) {
	stuck := []float64{1.01, 2, 0, 0}
	// Asked for at the stuck position, made from the state predicted 3
	// frames on (30 cm further), then 0 or 2 frames executed.
	ask := Ask{Obs: stuck, From: []float64{1.31, 2, 1, 0}, Ahead: 3}
	ahead := &Plan{}
	for f := range 8 {
		ahead.Observations = append(ahead.Observations, []float64{1.31 + 0.1*float64(f+1), 2, 1, 0})
		ahead.Actions = append(ahead.Actions, []float64{1, 0})
	}
	for _, executed := range []int{0, 2} {
		if !Pinned(ahead, ask, executed, stuck) {
			t.Errorf("%d frames executed of a plan made 3 ahead, robot where the plan was asked for: not pinned", executed)
		}
	}
	if moved := []float64{1.3, 2, 1, 0}; Pinned(ahead, ask, 0, moved) {
		t.Error("robot moved 29 cm as planned: pinned")
	}
	// Made at once and nothing executed: nothing to judge.
	if pl, a := pinnedPlan(0.1); Pinned(pl, a, 0, stuck) {
		t.Error("nothing executed of a plan made at once: pinned")
	}
}

// Predict extrapolates the odometry at constant velocity and reads
// nothing else.
func TestPredict(t *testing.T) {
	near := func(a, b []float64) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-12 {
				return false
			}
		}
		return true
	}
	for _, c := range []struct {
		name      string
		ahead     int
		obs, want []float64
	}{
		{"at rest", 4, []float64{1, 2, 0, 0}, []float64{1, 2, 0, 0}},
		{"moving", 3, []float64{1.05, 2, 1, -2}, []float64{1.08, 1.94, 1, -2}},
		{"more values are kept", 10, []float64{1, 2, 0.5, 0, 7}, []float64{1.05, 2, 0.5, 0, 7}},
	} {
		got, ok := Predict(c.obs, c.ahead)
		if !ok || !near(got, c.want) {
			t.Errorf("%s: Predict = %v, %v; want %v", c.name, got, ok, c.want)
		}
	}
	for _, c := range []struct {
		name  string
		ahead int
		obs   []float64
	}{
		{"nothing ahead", 0, []float64{1, 2, 0, 0}},
		{"no velocity", 2, []float64{1, 2}},
		{"non-finite observation", 2, []float64{math.NaN(), 2, 0, 0}},
		{"infinite velocity", 2, []float64{1, 2, math.Inf(1), 0}},
	} {
		if got, ok := Predict(c.obs, c.ahead); ok {
			t.Errorf("%s: Predict = %v, want not ok", c.name, got)
		}
	}
}

// An unguided request is the model's own plan: the same as a planner
// without guidance draws from the same noise, while the other plans of the
// batch keep their guidance. Plain guidance (MCG 1) draws no futures, so
// planners with and without guidance consume the same noise.
func TestUnguidedRequestsTakeNoGuidance(t *testing.T) {
	reqs := []Request{{Obs: []float64{1.01, 2, 0, 0}, Goal: []float64{4, 4}, Unguided: true}, {Obs: []float64{2, 4, 0, 0}, Goal: []float64{1, 6}}}
	plans := func(c Config, reqs []Request) []*Plan {
		t.Helper()
		c.HorizonTokens, c.Seed = 4, 3
		p, err := New(toy(t), c)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := p.PlanRequests(t.Context(), reqs)
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	got := plans(Config{GuidanceScale: 4}, reqs)
	guided := []Request{reqs[0], reqs[1]}
	guided[0].Unguided = false
	free, withGuidance := plans(Config{}, guided), plans(Config{GuidanceScale: 4}, guided)
	if !slices.EqualFunc(got[0].Observations, free[0].Observations, slices.Equal) {
		t.Error("unguided request: plan differs from the unguided planner's")
	}
	if !slices.EqualFunc(got[1].Observations, withGuidance[1].Observations, slices.Equal) {
		t.Error("guided request beside it: plan differs from the guided planner's")
	}
	if slices.EqualFunc(free[1].Observations, withGuidance[1].Observations, slices.Equal) {
		t.Fatal("guidance does not change the plan: the test cannot tell")
	}
}

// Only a planner's own executor settings carry its unstick rule, and only
// policies that take requests look ahead.
func TestExecutorConfFor(t *testing.T) {
	p, err := New(toy(t), Config{GuidanceScale: 1, Unstick: 7, StopRadius: 0.3, Hold: 0.4})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ExecutorConfFor(p, 5, -1), (ExecutorConf{OpenLoop: 5, Lookahead: -1, Unstick: 7, StopRadius: 0.3, Hold: 0.4}); got != want {
		t.Errorf("planner: %+v, want %+v", got, want)
	}
	var plain Policy = constantPolicy{}
	if got, want := ExecutorConfFor(plain, 1, 3), (ExecutorConf{OpenLoop: 1}); got != want {
		t.Errorf("a plain policy: %+v, want %+v", got, want)
	}
}

type constantPolicy struct{}

func (constantPolicy) Plan(_ context.Context, obs, _ []float64) (*Plan, error) {
	return &Plan{Actions: [][]float64{{0, 0}}}, nil
}

// Brake stops a robot within Hold of its goal, −velocity clamped to the
// action range, and leaves every other robot to its plan.
func TestExecutorBrake(t *testing.T) {
	e, err := NewExecutor(ExecutorConf{OpenLoop: 1, Hold: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	goal := []float64{3, 3}
	for _, tc := range []struct {
		obs  []float64
		want []float64
	}{
		{[]float64{3.2, 3.1, 0.4, -2}, []float64{-0.4, 1}},
		{[]float64{3, 3, 0, 0}, []float64{0, 0}},
		{[]float64{3.5, 3, 0.4, 0}, nil}, // 0.5 out: not held
		{[]float64{3.1, 3}, nil},         // no velocity
	} {
		a, ok := e.Brake(tc.obs, goal)
		if ok != (tc.want != nil) || !slices.Equal(a, tc.want) {
			t.Errorf("Brake(%v) = %v, %v; want %v", tc.obs, a, ok, tc.want)
		}
	}
	off, _ := NewExecutor(ExecutorConf{OpenLoop: 1})
	if _, ok := off.Brake([]float64{3, 3, 1, 1}, goal); ok {
		t.Error("Brake with hold 0 acted")
	}
	if _, err := NewExecutor(ExecutorConf{OpenLoop: 1, Hold: math.Inf(1)}); err == nil {
		t.Error("an infinite hold was accepted")
	}
	var fe *FieldError
	if err := (Config{SamplingSteps: 1, MCGSamples: 1, Hold: -1}).Validate(); !errors.As(err, &fe) || fe.Field != "hold" {
		t.Errorf("hold -1: %v, want a FieldError for hold", err)
	}
}
