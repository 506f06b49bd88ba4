package robot

import (
	"errors"
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func ms(n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

// sane brings a fresh watchdog to the all-clear state: odometry and a
// valid goal.
func sane(t *testing.T) *Watchdog {
	t.Helper()
	w := NewWatchdog(t0, 500*time.Millisecond)
	w.Odom(ms(0), []float64{1, 1, 0, 0})
	if !w.Goal([]float64{3, 3}, true) {
		t.Fatal("valid goal rejected")
	}
	if !w.Tick(ms(10)) {
		t.Fatalf("watchdog not OK with sane inputs: %+v", w.Transitions())
	}
	if tr := w.Transitions(); len(tr) != 0 {
		t.Fatalf("transitions with sane inputs: %+v", tr)
	}
	return w
}

// expectOne checks that exactly one transition happened, for fault f.
func expectOne(t *testing.T, w *Watchdog, f Fault, raised bool) {
	t.Helper()
	tr := w.Transitions()
	if len(tr) != 1 || tr[0].Fault != f || tr[0].Raised != raised {
		t.Fatalf("transitions = %+v, want one %v raised=%v", tr, f, raised)
	}
	if raised && tr[0].Reason == "" {
		t.Fatalf("%v raised without a reason", f)
	}
}

func TestWatchdogOdomTimeout(t *testing.T) {
	w := sane(t)
	if !w.Tick(ms(500)) {
		t.Fatal("fault at exactly the timeout; want strictly later")
	}
	if w.Tick(ms(501)) {
		t.Fatal("OK after the odometry timeout")
	}
	expectOne(t, w, FaultNoOdom, true)
	// Lasting fault: no further transitions (logged once).
	for i := 502; i < 600; i++ {
		if w.Tick(ms(i)) {
			t.Fatal("OK while odometry is still missing")
		}
	}
	if tr := w.Transitions(); len(tr) != 0 {
		t.Fatalf("repeated transitions while fault lasts: %+v", tr)
	}
	w.Odom(ms(600), []float64{1, 1, 0, 0})
	if !w.Tick(ms(601)) {
		t.Fatal("not recovered after odometry resumed")
	}
	expectOne(t, w, FaultNoOdom, false)
}

func TestWatchdogNoOdomAtStart(t *testing.T) {
	w := NewWatchdog(t0, 500*time.Millisecond)
	if w.Tick(ms(501)) {
		t.Fatal("OK although no odometry ever arrived")
	}
	expectOne(t, w, FaultNoOdom, true)
}

func TestWatchdogBadOdom(t *testing.T) {
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		w := sane(t)
		w.Odom(ms(20), []float64{1, bad, 0, 0})
		if w.Tick(ms(21)) {
			t.Fatalf("OK after odometry with %v", bad)
		}
		expectOne(t, w, FaultBadOdom, true)
		// Bad odometry does not count as odometry: the timeout still runs.
		w.Odom(ms(30), []float64{1, 1, bad, 0})
		if w.Tick(ms(700)) {
			t.Fatal("OK with only bad odometry")
		}
		expectOne(t, w, FaultNoOdom, true)
		w.Odom(ms(710), []float64{1, 1, 0, 0})
		if !w.Tick(ms(711)) {
			t.Fatal("not recovered after finite odometry")
		}
		if tr := w.Transitions(); len(tr) != 2 {
			t.Fatalf("recovery transitions = %+v, want bad_odom and no_odom cleared", tr)
		}
	}
}

func TestWatchdogBadGoal(t *testing.T) {
	w := sane(t)
	if w.Goal([]float64{math.NaN(), 1}, true) {
		t.Fatal("NaN goal accepted")
	}
	if w.Tick(ms(20)) {
		t.Fatal("OK with a NaN goal")
	}
	expectOne(t, w, FaultBadGoal, true)
	if !w.Goal([]float64{1, 1}, true) || !w.Tick(ms(30)) {
		t.Fatal("not recovered after a valid goal")
	}
	expectOne(t, w, FaultBadGoal, false)
}

func TestWatchdogGoalBlocked(t *testing.T) {
	w := sane(t)
	if w.Goal([]float64{2, 2}, false) {
		t.Fatal("goal in a wall accepted")
	}
	if w.Tick(ms(20)) {
		t.Fatal("OK with a goal in a wall")
	}
	expectOne(t, w, FaultGoalBlocked, true)
	// The same goal again says nothing new; another blocked goal is a new
	// bad input, and is named.
	w.Goal([]float64{2, 2}, false)
	if tr := w.Transitions(); len(tr) != 0 {
		t.Fatalf("transitions = %+v for the same blocked goal again, want none", tr)
	}
	w.Goal([]float64{50, 50}, false)
	tr := w.Transitions()
	if len(tr) != 1 || !tr[0].Raised || tr[0].Reason != "goal (50, 50) is in a wall or outside the map" {
		t.Fatalf("transitions = %+v for a second blocked goal, want it raised with its own reason", tr)
	}
	// A NaN goal replaces the blocked one: one fault at a time for the goal.
	w.Goal([]float64{math.Inf(1), 0}, true)
	tr = w.Transitions()
	if len(tr) != 2 || tr[0].Fault != FaultGoalBlocked || tr[0].Raised || tr[1].Fault != FaultBadGoal || !tr[1].Raised {
		t.Fatalf("transitions = %+v, want goal_blocked cleared then bad_goal raised", tr)
	}
	if !w.Goal([]float64{1, 1}, true) || !w.Tick(ms(30)) {
		t.Fatal("not recovered after a valid goal")
	}
	expectOne(t, w, FaultBadGoal, false)
}

func TestWatchdogPlannerError(t *testing.T) {
	w := sane(t)
	w.PlanFailed(errors.New("model exploded"))
	w.PlanFailed(errors.New("model exploded again"))
	if w.Tick(ms(20)) {
		t.Fatal("OK after a planner error")
	}
	expectOne(t, w, FaultPlanner, true)
	w.PlanReady()
	if !w.Tick(ms(30)) {
		t.Fatal("not recovered after a good plan")
	}
	expectOne(t, w, FaultPlanner, false)
}

func TestWatchdogPlanLate(t *testing.T) {
	w := sane(t)
	w.PlanLate("plan 250ms late")
	if w.Tick(ms(20)) {
		t.Fatal("OK with a late plan")
	}
	expectOne(t, w, FaultPlanLate, true)
	w.PlanReady()
	if !w.Tick(ms(30)) {
		t.Fatal("not recovered after a plan in time")
	}
	expectOne(t, w, FaultPlanLate, false)
}

func TestWatchdogSeveralFaults(t *testing.T) {
	w := sane(t)
	w.PlanFailed(errors.New("boom"))
	w.Goal([]float64{9, 9}, false)
	w.Transitions()
	w.PlanReady()
	if w.Tick(ms(20)) {
		t.Fatal("OK while the goal is still blocked")
	}
	w.Goal([]float64{1, 1}, true)
	if !w.Tick(ms(30)) {
		t.Fatal("not OK once every fault cleared")
	}
}

func TestFaultString(t *testing.T) {
	for f := Fault(0); f < numFaults; f++ {
		if f.String() == "" {
			t.Errorf("fault %d has no name", int(f))
		}
	}
	if got := Fault(99).String(); got != "fault(99)" {
		t.Errorf("Fault(99).String() = %q", got)
	}
}
