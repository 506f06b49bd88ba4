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
	const b, h = 2, 4
	x0 := randomPlans(1, b*h*g.FrameStack*g.FrameDim)
	goals := []Goal{{X: 1, Y: 1}, {X: 5, Y: 2}}
	grad := make([]float32, len(x0))
	g.ValueGrad(x0, b, h, 0, goals, 1, grad)
	checkAgainstFiniteDifferences(t, g, x0, b, h, goals, grad)
}

// checkAgainstFiniteDifferences fails t unless grad matches central finite
// differences of the summed value of g on the b plans of x0.
func checkAgainstFiniteDifferences(t *testing.T, g *GoalReaching, x0 []float32, b, h int, goals []Goal, grad []float32) {
	t.Helper()
	sum := func() float64 {
		total := 0.0
		for _, v := range g.ValueGrad(x0, b, h, 0, goals, 1, make([]float32, len(x0))) {
			total += v
		}
		return total
	}
	for i, fd := range finiteDifferences(x0, sum) {
		if math.Abs(float64(fd-grad[i])) > 1e-3*math.Max(1, math.Abs(float64(fd))) {
			t.Fatalf("grad[%d] = %g, finite difference %g", i, grad[i], fd)
		}
	}
}

// tiltField is a distance that depends on where the pair is, not only on
// p − g: d = ‖(2·(px − gx), py − gy)‖ + 0.1·px. It records the pairs it
// was asked about.
type tiltField struct{ pairs [][4]float64 }

func (f *tiltField) DistanceGrad(pg, grad []float64) []float64 {
	d := make([]float64, len(pg)/4)
	for i := range d {
		f.pairs = append(f.pairs, [4]float64(pg[4*i:4*i+4]))
		dx, dy := 2*(pg[4*i]-pg[4*i+2]), pg[4*i+1]-pg[4*i+3]
		n := math.Hypot(dx, dy)
		d[i] = n + 0.1*pg[4*i]
		grad[2*i], grad[2*i+1] = 2*dx/n+0.1, dy/n
	}
	return d
}

// With a Field, the value is the field's distance on every FrameStride-th
// frame, in the map's frame (position + Origin), weighted by the stride,
// and the gradient is its derivative.
func TestGoalReachingFieldValueAndGradient(t *testing.T) {
	g := testObjective()
	g.FrameStack, g.FrameStride, g.Discount = 4, 2, 1
	f := &tiltField{}
	g.Field = f
	if err := g.Validate(); err != nil {
		t.Fatal(err)
	}
	const b, h = 2, 3
	x0 := randomPlans(3, b*h*g.FrameStack*g.FrameDim)
	goals := []Goal{{X: 1, Y: 1, Origin: [2]float64{0.5, -2}}, {X: 5, Y: 2}}
	grad := make([]float32, len(x0))
	v := g.ValueGrad(x0, b, h, 0, goals, 1, grad)
	frames := h * g.FrameStack
	if len(f.pairs) != b*frames/2 {
		t.Fatalf("field asked about %d pairs, want %d (every other frame)", len(f.pairs), b*frames/2)
	}
	// By hand for plan 0: frames 1, 3, 5, …, positions and goal shifted by Origin.
	want := 0.0
	for k := 1; k < frames; k += 2 {
		off := k * g.FrameDim
		px := float64(x0[off])*g.Std[0] + g.Mean[0] + 0.5
		py := float64(x0[off+1])*g.Std[1] + g.Mean[1] - 2
		want -= 2 * (math.Hypot(2*(px-1.5), py+1) + 0.1*px)
	}
	if math.Abs(v[0]-want) > 1e-4*math.Abs(want) {
		t.Errorf("value of plan 0 = %g, want %g", v[0], want)
	}
	checkAgainstFiniteDifferences(t, g, x0, b, h, goals, grad)
}

func TestGoalReachingValueIsZeroAtGoal(t *testing.T) {
	g := testObjective()
	x0 := make([]float32, 1*2*g.FrameStack*g.FrameDim)
	// Every frame exactly at the goal (normalized coordinates of (1, 1)).
	for f := 0; f < 2*g.FrameStack; f++ {
		x0[f*g.FrameDim] = float32((1 - g.Mean[0]) / g.Std[0])
		x0[f*g.FrameDim+1] = float32((1 - g.Mean[1]) / g.Std[1])
	}
	v := g.ValueGrad(x0, 1, 2, 0, []Goal{{X: 1, Y: 1}}, 1, make([]float32, len(x0)))
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
	goals := []Goal{{X: 2, Y: 2}}
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
	// Speeds alternate below and above huber's knee at 1, so both of the
	// penalty's branches are checked.
	for f := 0; f < h*g.FrameStack; f++ {
		speed := []float64{0.4, 2.5}[f%2]
		a := rng.Float64() * 2 * math.Pi
		x0[f*g.FrameDim+2] = float32(speed * math.Cos(a) / g.VelStd[0])
		x0[f*g.FrameDim+3] = float32(speed * math.Sin(a) / g.VelStd[1])
	}
	// Positions spread within about 0.5 of the goal (near Mean), so φ varies.
	goal := Goal{X: g.Mean[0] + 0.1, Y: g.Mean[1] - 0.2}
	stopGoal := Goal{X: goal.X, Y: goal.Y, Stop: 2}
	grad := make([]float32, len(x0))
	v := g.ValueGrad(x0, 1, h, 0, []Goal{stopGoal}, 1, grad)[0]
	plainGrad := make([]float32, len(x0))
	pv := plain.ValueGrad(x0, 1, h, 0, []Goal{goal}, 1, plainGrad)[0]
	if !(v < pv) {
		t.Fatalf("J with stop penalty %g, without %g: want lower", v, pv)
	}
	if nv := g.ValueGrad(x0, 1, h, 0, []Goal{goal}, 1, make([]float32, len(x0)))[0]; nv != pv {
		t.Fatalf("no stop weight: J %g, plain %g", nv, pv)
	}
	if rv := plain.ValueGrad(x0, 1, h, 0, []Goal{stopGoal}, 1, make([]float32, len(x0)))[0]; rv != pv {
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
				up := g.ValueGrad(x0, 1, h, 0, []Goal{stopGoal}, 1, make([]float32, len(x0)))[0]
				x0[i] = orig - eps
				down := g.ValueGrad(x0, 1, h, 0, []Goal{stopGoal}, 1, make([]float32, len(x0)))[0]
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

// One frame at the goal pays λ·huber(speed); one far from it pays nothing
// more than the plain objective, in value and gradient.
func TestGoalReachingStopPenaltyValue(t *testing.T) {
	g := &GoalReaching{FrameStack: 2, FrameDim: 4, PosIndex: [2]int{0, 1}, Std: [2]float64{1, 1},
		StopRadius: 0.5, VelIndex: [2]int{2, 3}, VelStd: [2]float64{1, 1}}
	plain := *g
	plain.StopRadius = 0
	goal := Goal{X: 1, Y: 1, Stop: 2}
	for _, c := range []struct {
		name       string
		frame      [4]float32
		wantExtra  float64 // J − J_plain
		wantVelGrd [2]float32
	}{
		// At the goal, speed 0.5: huber = (0.25 + 1)/2, gradient −λ·v.
		{"at the goal, slow", [4]float32{1, 1, 0.3, 0.4}, -2 * 0.625, [2]float32{-0.6, -0.8}},
		// At the goal, speed 2.5: huber = 2.5, gradient −λ·v/‖v‖.
		{"at the goal, fast", [4]float32{1, 1, 1.5, 2}, -2 * 2.5, [2]float32{-1.2, -1.6}},
		// 3 from the goal: φ = e^−18, nothing to speak of.
		{"far away", [4]float32{4, 1, 1.5, 2}, 0, [2]float32{0, 0}},
	} {
		x0 := append(c.frame[:], c.frame[:]...) // two identical frames
		grad := make([]float32, len(x0))
		v := g.ValueGrad(x0, 1, 1, 0, []Goal{goal}, 1, grad)[0]
		pgrad := make([]float32, len(x0))
		pv := plain.ValueGrad(x0, 1, 1, 0, []Goal{goal}, 1, pgrad)[0]
		if math.Abs((v-pv)-2*c.wantExtra) > 1e-6 {
			t.Errorf("%s: J − J_plain = %g, want %g", c.name, v-pv, 2*c.wantExtra)
		}
		for f := 0; f < 2; f++ {
			for j := 0; j < 2; j++ {
				if got := grad[f*4+2+j]; math.Abs(float64(got-c.wantVelGrd[j])) > 1e-6 {
					t.Errorf("%s: frame %d velocity gradient %d = %g, want %g", c.name, f, j, got, c.wantVelGrd[j])
				}
				if grad[f*4+j] != pgrad[f*4+j] {
					t.Errorf("%s: frame %d position gradient %d = %g, plain %g", c.name, f, j, grad[f*4+j], pgrad[f*4+j])
				}
			}
		}
	}
}

// scaledLine is k times the straight line, as a Field.
type scaledLine float64

func (k scaledLine) DistanceGrad(pg, grad []float64) []float64 {
	d := make([]float64, len(pg)/4)
	for i := range d {
		dx, dy := pg[4*i]-pg[4*i+2], pg[4*i+1]-pg[4*i+3]
		l := math.Hypot(dx, dy)
		d[i] = float64(k) * l
		grad[2*i], grad[2*i+1] = float64(k)*dx/l, float64(k)*dy/l
	}
	return d
}

// The detour blend keeps the straight line where the field is not much
// longer than it and takes the field where it is, smoothly between.
func TestGoalReachingDetourBlend(t *testing.T) {
	x0 := make([]float32, 2*2*6) // one plan, 2 tokens of 2 frames
	for i := range x0 {
		x0[i] = float32(i%5) * 0.3
	}
	goals := []Goal{{X: 6, Y: 1}}
	value := func(k float64, blend bool) float64 {
		g := testObjective()
		g.FrameStack, g.Discount, g.Field = 2, 1, scaledLine(k)
		if blend {
			g.DetourFrom, g.DetourTo = 1.3, 1.7
		}
		if err := g.Validate(); err != nil {
			t.Fatal(err)
		}
		return g.ValueGrad(x0, 1, 2, 0, goals, 1, make([]float32, len(x0)))[0]
	}
	line := value(1, false)
	for _, c := range []struct {
		k, want float64
	}{
		{1.2, line},                 // short of the detour: the straight line
		{2, 2 * line},               // a detour: the field
		{1.5, 0.5*line + 0.75*line}, // halfway: (1 − ½)·ℓ + ½·1.5ℓ
	} {
		if got := value(c.k, true); math.Abs(got-c.want) > 1e-9*math.Abs(c.want) {
			t.Errorf("field %g × the line: value %g, want %g", c.k, got, c.want)
		}
	}
	g := testObjective()
	g.DetourFrom, g.DetourTo = 1.7, 1.3
	if err := g.Validate(); err == nil {
		t.Error("detour ratios 1.7 … 1.3: want an error")
	}
}

// randomPlans returns n standard normal values drawn from seed.
func randomPlans(seed uint64, n int) []float32 {
	rng := rand.New(rand.NewPCG(seed, 2))
	x0 := make([]float32, n)
	for i := range x0 {
		x0[i] = float32(rng.NormFloat64())
	}
	return x0
}
