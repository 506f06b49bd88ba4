package sim

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"testing"
)

// goldenStep is one env step recorded with MuJoCo 2.2.2 by
// tools/mujocogold: state, raw action, next state.
type goldenStep struct {
	maze, scenario string
	step           int
	s              State
	a              Action
	next           State
}

func readGolden(t testing.TB) []goldenStep {
	t.Helper()
	f, err := os.Open("testdata/mujoco_golden.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []goldenStep
	for _, r := range recs[1:] {
		var v [10]float64
		for i := range v {
			if v[i], err = strconv.ParseFloat(r[3+i], 64); err != nil {
				t.Fatal(err)
			}
		}
		step, err := strconv.Atoi(r[2])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, goldenStep{r[0], r[1], step,
			State{v[0], v[1], v[2], v[3]}, Action{v[4], v[5]}, State{v[6], v[7], v[8], v[9]}})
	}
	return out
}

func stateErr(a, b State) float64 {
	e := 0.0
	for i := range a {
		e = math.Max(e, math.Abs(a[i]-b[i]))
	}
	return e
}

// emptyLike returns a maze of m's size with no walls: stepping in it is
// free-space physics.
func emptyLike(m *Maze) *Maze {
	e := *m
	e.wall = make([]bool, len(m.wall))
	return &e
}

// TestStepMatchesMuJoCo compares Step with MuJoCo 2.2.2 on every recorded
// transition (free flight, head-on hits at |v| = 5, sliding along walls,
// diagonal corner hits, starts touching or inside walls, random states with
// velocities and actions beyond the clip limits).
//
// Tolerances: one step must agree to 1e-12 in every component, free or in
// contact (we reach ~3e-15: the same operations in the same order as MuJoCo,
// so only rounding differs); a whole scenario rolled out open loop from its
// first state must stay within 1e-9 (reached: ~1e-14).
func TestStepMatchesMuJoCo(t *testing.T) {
	const stepTol, driftTol = 1e-12, 1e-9
	golden := readGolden(t)
	mazes := map[string]*Maze{}
	type key struct{ maze, scenario string }
	var (
		worstFree, worstContact float64
		contactSteps            int
		sim                     = map[key]State{}
		drift                   = map[key]float64{}
	)
	for _, g := range golden {
		m := mazes[g.maze]
		if m == nil {
			var err error
			if m, err = LoadMaze(g.maze); err != nil {
				t.Fatal(err)
			}
			mazes[g.maze] = m
		}
		got := m.Step(g.s, g.a)
		e := stateErr(got, g.next)
		inContact := stateErr(got, emptyLike(m).Step(g.s, g.a)) > 0
		if inContact {
			contactSteps++
			worstContact = math.Max(worstContact, e)
		} else {
			worstFree = math.Max(worstFree, e)
		}
		if e > stepTol {
			t.Errorf("%s/%s step %d: Step(%v, %v) = %v, MuJoCo %v (max error %.3g > %g)",
				g.maze, g.scenario, g.step, g.s, g.a, got, g.next, e, stepTol)
		}
		// Open-loop rollout of trajectory scenarios.
		if g.scenario == "single" {
			continue
		}
		k := key{g.maze, g.scenario}
		s, ok := sim[k]
		if !ok || g.step == 0 {
			s = g.s
		}
		s = m.Step(s, g.a)
		sim[k] = s
		drift[k] = math.Max(drift[k], stateErr(s, g.next))
	}
	worstDrift := 0.0
	for k, d := range drift {
		worstDrift = math.Max(worstDrift, d)
		if d > driftTol {
			t.Errorf("%s/%s: open-loop rollout drifts %.3g from MuJoCo (> %g)", k.maze, k.scenario, d, driftTol)
		}
	}
	if contactSteps < 500 {
		t.Errorf("only %d golden steps involve a wall contact; the fixture should exercise contacts", contactSteps)
	}
	t.Logf("%d steps (%d in contact): max error free %.3g, contact %.3g; max rollout drift %.3g",
		len(golden), contactSteps, worstFree, worstContact, worstDrift)
}

func TestStepClipsBeforePhysics(t *testing.T) {
	m, _ := LoadMaze("open")
	free := State{2, 3, 0, 0}
	tests := []struct {
		name string
		s    State
		a    Action
		cs   State  // the input after D4RL's clipping
		ca   Action // the action after clipping
	}{
		{"action beyond +1", free, Action{3, -7}, free, Action{1, -1}},
		{"velocity beyond 5", State{2, 3, 9, -8}, Action{0, 0}, State{2, 3, 5, -5}, Action{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := m.Step(tc.s, tc.a), m.Step(tc.cs, tc.ca); got != want {
				t.Errorf("Step(%v, %v) = %v, want the clipped step %v", tc.s, tc.a, got, want)
			}
		})
	}
	// The velocity after the step is not clipped (D4RL clips before).
	if s := m.Step(State{2, 3, 5, 0}, Action{1, 0}); s[2] <= 5 {
		t.Errorf("vx after full thrust from 5 = %v, want > 5 (clip happens before the step)", s[2])
	}
}

func TestStepDoesNotAllocate(t *testing.T) {
	m, _ := LoadMaze("medium")
	s := State{1, 1, 0, 0}
	if n := testing.AllocsPerRun(100, func() { s = m.Step(s, Action{-1, 0.3}) }); n != 0 {
		t.Errorf("Step allocates %v times per call, want 0", n)
	}
}

// BenchmarkStep measures env steps per second of a ball bouncing around the
// large maze under random actions (about a third of the steps in contact).
func BenchmarkStep(b *testing.B) {
	m, _ := LoadMaze("large")
	golden := readGolden(b)
	acts := make([]Action, 0, 1024)
	for _, g := range golden {
		if len(acts) == cap(acts) {
			break
		}
		acts = append(acts, Action{g.a[0] * 2, g.a[1] * 2})
	}
	s := State{1, 1, 0, 0}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s = m.Step(s, acts[i&1023])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}
