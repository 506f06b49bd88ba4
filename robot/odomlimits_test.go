package robot

import (
	"strings"
	"testing"

	"github.com/golang/geo/r2"
)

// umaze's map spans [-0.7, 4.3] on both axes (walls included); the limits
// add half a cell, and allow 1.2 × the simulator's velocity clip of 5.
func TestMapOdomLimits(t *testing.T) {
	l := MapOdomLimits(umaze(t))
	want := r2.RectFromPoints(r2.Point{X: -1.2, Y: -1.2}, r2.Point{X: 4.8, Y: 4.8})
	if !l.Bounds.ApproxEqual(want) || l.MaxSpeed != 6 {
		t.Errorf("MapOdomLimits(umaze) = %+v, want bounds %v and max speed 6", l, want)
	}
	// A map that cannot say its bounds limits speed only.
	if l := MapOdomLimits(freeEverywhere{}); !l.Bounds.IsEmpty() || l.MaxSpeed != 6 {
		t.Errorf("MapOdomLimits(no bounds) = %+v, want an empty rectangle (no bound) and max speed 6", l)
	}
}

type freeEverywhere struct{}

func (freeEverywhere) IsFree(r2.Point) bool { return true }

func TestWatchdogOdomLimits(t *testing.T) {
	limits := MapOdomLimits(umaze(t))
	for _, tc := range []struct {
		name  string
		state []float64
		want  string // "" = sane
	}{
		{"in a corridor", []float64{1, 1, 0, 0}, ""},
		{"in a wall, within the map", []float64{2, 2, 0, 0}, ""}, // contact penetration is physics, not a fault
		{"beyond the walls, within the margin", []float64{4.7, -1.1, 0, 0}, ""},
		{"as fast as the simulator goes", []float64{1, 1, 5.24, -5.24}, ""},
		{"far outside", []float64{25, 25, 0, 0}, "odometry position (25, 25) is outside the map"},
		{"1e300", []float64{1e300, 1, 0, 0}, "odometry position (1e+300, 1) is outside the map"},
		{"just beyond the margin", []float64{1, -1.3, 0, 0}, "odometry position (1, -1.3)"},
		{"too fast in x", []float64{1, 1, 7.5, 0}, "odometry velocity (7.5, 0) exceeds the robot's 6 per axis"},
		{"too fast in y", []float64{1, 1, 0, -1e9}, "odometry velocity (0, -1e+09)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := sane(t).LimitOdom(limits)
			w.Odom(ms(20), tc.state)
			ok := w.Tick(ms(30))
			tr := w.Transitions()
			if tc.want == "" {
				if !ok || len(tr) != 0 {
					t.Fatalf("odometry %v: OK %v, transitions %+v; want sane", tc.state, ok, tr)
				}
				return
			}
			if ok || len(tr) != 1 || tr[0].Fault != FaultBadOdom || !tr[0].Raised || !strings.Contains(tr[0].Reason, tc.want) {
				t.Fatalf("odometry %v: OK %v, transitions %+v; want bad_odom raised, naming %q", tc.state, ok, tr, tc.want)
			}
		})
	}
}

// Wrong odometry that lasts is logged once per kind of wrong, does not
// count as odometry (the timeout runs on), and clears with sane odometry.
func TestWatchdogOdomLimitsLifecycle(t *testing.T) {
	w := sane(t).LimitOdom(MapOdomLimits(umaze(t)))
	for i := 20; i < 100; i += 10 {
		w.Odom(ms(i), []float64{25 + float64(i), 25, 0, 0})
		if w.Tick(ms(i)) {
			t.Fatalf("OK at %d ms with odometry outside the map", i)
		}
	}
	expectOne(t, w, FaultBadOdom, true)
	// Another kind of wrong is a new line.
	w.Odom(ms(100), []float64{1, 1, 9, 0})
	expectOne(t, w, FaultBadOdom, true)
	// Still wrong after the timeout: odometry is missing too.
	w.Odom(ms(600), []float64{1, 1, 9, 0})
	w.Tick(ms(600))
	expectOne(t, w, FaultNoOdom, true)
	w.Odom(ms(610), []float64{1, 1, 0.5, 0})
	if !w.Tick(ms(610)) {
		t.Fatalf("not OK after sane odometry: %+v", w.Transitions())
	}
	if tr := w.Transitions(); len(tr) != 2 || tr[0].Raised || tr[1].Raised {
		t.Fatalf("transitions %+v, want bad_odom and no_odom cleared", tr)
	}
}
