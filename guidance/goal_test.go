package guidance

import (
	"math"
	"math/rand/v2"
	"testing"
)

func testObjective() *GoalReaching {
	return &GoalReaching{
		FrameStack: 3, FrameDim: 6, PosIndex: [2]int{0, 1},
		Mean: [2]float64{3.5, 3.4}, Std: [2]float64{1.3, 1.5}, Discount: 0.97,
	}
}

// The analytic gradient must match central finite differences of the value.
// float32 storage of x0 limits agreement to about 1e-3 relative.
func TestGoalReachingGradientMatchesFiniteDifferences(t *testing.T) {
	g := testObjective()
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const b, h = 2, 4
	x0 := make([]float32, b*h*g.FrameStack*g.FrameDim)
	for i := range x0 {
		x0[i] = float32(rng.NormFloat64())
	}
	goals := [][]float64{{1, 1}, {5, 2}}
	grad := make([]float32, len(x0))
	g.ValueGrad(x0, b, h, 0, goals, 1, grad)
	sum := func() float64 {
		v := g.ValueGrad(x0, b, h, 0, goals, 1, make([]float32, len(x0)))
		return v[0] + v[1]
	}
	const eps = 1e-2
	for i := range x0 {
		orig := x0[i]
		x0[i] = orig + eps
		up := sum()
		x0[i] = orig - eps
		down := sum()
		x0[i] = orig
		fd := (up - down) / (2 * eps)
		if math.Abs(fd-float64(grad[i])) > 1e-3*math.Max(1, math.Abs(fd)) {
			t.Fatalf("grad[%d] = %g, finite difference %g", i, grad[i], fd)
		}
	}
}

func TestGoalReachingValueIsZeroAtGoal(t *testing.T) {
	g := testObjective()
	x0 := make([]float32, 1*2*g.FrameStack*g.FrameDim)
	// Every frame exactly at the goal (normalized coordinates of (1, 1)).
	for f := 0; f < 2*g.FrameStack; f++ {
		x0[f*g.FrameDim] = float32((1 - g.Mean[0]) / g.Std[0])
		x0[f*g.FrameDim+1] = float32((1 - g.Mean[1]) / g.Std[1])
	}
	v := g.ValueGrad(x0, 1, 2, 0, [][]float64{{1, 1}}, 1, make([]float32, len(x0)))
	if math.Abs(v[0]) > 1e-5 {
		t.Fatalf("J at goal = %g, want 0", v[0])
	}
}

func TestGoalReachingValidate(t *testing.T) {
	bad := map[string]func(g *GoalReaching){
		"frame stack": func(g *GoalReaching) { g.FrameStack = 0 },
		"pos index":   func(g *GoalReaching) { g.PosIndex = [2]int{0, 9} },
		"std":         func(g *GoalReaching) { g.Std[1] = 0 },
		"discount":    func(g *GoalReaching) { g.Discount = 1.5 },
		"stop radius": func(g *GoalReaching) { g.StopRadius = -1 },
		"vel index":   func(g *GoalReaching) { g.StopRadius, g.VelIndex, g.VelStd = 0.5, [2]int{2, 7}, [2]float64{1, 1} },
		"vel std":     func(g *GoalReaching) { g.StopRadius, g.VelIndex = 0.5, [2]int{2, 3} },
	}
	for name, mutate := range bad {
		g := testObjective()
		mutate(g)
		if g.Validate() == nil {
			t.Errorf("%s: want error", name)
		}
	}
}

// Scoring a plan in two parts, the second with its token offset, must add
// up to scoring it whole: the discount counts frames from the plan's start.
func TestGoalReachingOffsetSplitsThePlan(t *testing.T) {
	g := testObjective()
	const h, split = 5, 2
	fd := g.FrameStack * g.FrameDim
	rng := rand.New(rand.NewPCG(3, 4))
	x0 := make([]float32, h*fd)
	for i := range x0 {
		x0[i] = float32(rng.NormFloat64())
	}
	goals := [][]float64{{2, 2}}
	whole := g.ValueGrad(x0, 1, h, 0, goals, 1, make([]float32, len(x0)))[0]
	head := g.ValueGrad(x0[:split*fd], 1, split, 0, goals, 1, make([]float32, split*fd))[0]
	tail := g.ValueGrad(x0[split*fd:], 1, h-split, split, goals, 1, make([]float32, (h-split)*fd))[0]
	if math.Abs(whole-(head+tail)) > 1e-9*math.Abs(whole) {
		t.Fatalf("whole %g, head + tail %g", whole, head+tail)
	}
}

// The stop penalty's velocity gradient is exact; its position gradient is
// the plain objective's (φ held constant), and a goal without a stop
// weight, or an objective without a radius, scores as before.
func TestGoalReachingStopPenalty(t *testing.T) {
	plain := testObjective()
	g := testObjective()
	g.StopRadius, g.VelIndex, g.VelStd = 0.5, [2]int{2, 3}, [2]float64{2.3, 2.5}
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	const h = 3
	x0 := make([]float32, h*g.FrameStack*g.FrameDim)
	for i := range x0 {
		x0[i] = float32(0.3 * rng.NormFloat64())
	}
	// Positions spread around the goal's normalized point, so φ varies.
	goal := []float64{g.Mean[0] + 0.1, g.Mean[1] - 0.2}
	stopGoal := []float64{goal[0], goal[1], 2}
	grad := make([]float32, len(x0))
	v := g.ValueGrad(x0, 1, h, 0, [][]float64{stopGoal}, 1, grad)[0]
	plainGrad := make([]float32, len(x0))
	pv := plain.ValueGrad(x0, 1, h, 0, [][]float64{goal}, 1, plainGrad)[0]
	if !(v < pv) {
		t.Fatalf("J with stop penalty %g, without %g: want lower", v, pv)
	}
	if nv := g.ValueGrad(x0, 1, h, 0, [][]float64{goal}, 1, make([]float32, len(x0)))[0]; nv != pv {
		t.Fatalf("no stop weight: J %g, plain %g", nv, pv)
	}
	if rv := plain.ValueGrad(x0, 1, h, 0, [][]float64{stopGoal}, 1, make([]float32, len(x0)))[0]; rv != pv {
		t.Fatalf("StopRadius 0: J %g, plain %g", rv, pv)
	}
	const eps = 2e-3 // ‖v‖ curves more than ‖pos − goal‖ does here
	for f := 0; f < h*g.FrameStack; f++ {
		for c := 0; c < g.FrameDim; c++ {
			i := f*g.FrameDim + c
			switch c {
			case 0, 1, 4, 5:
				if grad[i] != plainGrad[i] {
					t.Fatalf("frame %d feature %d: grad %g, plain objective's %g", f, c, grad[i], plainGrad[i])
				}
			case 2, 3:
				orig := x0[i]
				x0[i] = orig + eps
				up := g.ValueGrad(x0, 1, h, 0, [][]float64{stopGoal}, 1, make([]float32, len(x0)))[0]
				x0[i] = orig - eps
				down := g.ValueGrad(x0, 1, h, 0, [][]float64{stopGoal}, 1, make([]float32, len(x0)))[0]
				x0[i] = orig
				fd := (up - down) / (2 * eps)
				if math.Abs(fd-float64(grad[i])) > 1e-3*math.Max(1, math.Abs(fd)) {
					t.Fatalf("frame %d velocity %d: grad %g, finite difference %g", f, c-2, grad[i], fd)
				}
				if grad[i] == 0 {
					t.Fatalf("frame %d velocity %d: zero gradient", f, c-2)
				}
			}
		}
	}
}
