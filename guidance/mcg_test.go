package guidance

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dfplan/dfplan/dynamics"
)

// tinyModel is a randomly initialized network small enough for exhaustive
// finite differences.
func tinyModel(t *testing.T) *dynamics.Model {
	t.Helper()
	c := dynamics.DefaultConfig()
	c.FrameStack, c.ZDim, c.Hidden, c.Layers, c.EncoderHidden, c.EmbedDim, c.DiffusionSteps = 2, 8, 16, 1, 8, 8, 100
	norm := dynamics.Normalization{Mean: []float64{3, 3, 0, 0, 0, 0}, Std: []float64{1.5, 1.5, 2, 2, 0.7, 0.7}}
	m, err := dynamics.New(c, norm, 3)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func tinyStep(m *dynamics.Model, b, h int, seed uint64) *Step {
	c := m.Config()
	r := rand.New(rand.NewPCG(seed, 1))
	s := &Step{
		B: b, H: h, TokenDim: c.TokenDim(), ObsDim: c.ObsDim, ZDim: c.ZDim,
		Obs0: make([]float32, b*c.ObsDim), X: make([]float32, b*h*c.TokenDim()), K: make([]int, b*h),
		Future: make([]bool, h), Scale: 1, Rand: r,
	}
	for i := range s.Obs0 {
		s.Obs0[i] = float32(r.NormFloat64())
	}
	for i := range s.X {
		s.X[i] = float32(r.NormFloat64())
	}
	for i := range s.K {
		s.K[i] = 10 + 20*(i%h) // later tokens noisier, like the pyramid
	}
	for i := 0; i < b; i++ {
		s.Goals = append(s.Goals, Goal{X: 1 + float64(i), Y: 2})
	}
	return s
}

func objectiveFor(m *dynamics.Model) *GoalReaching {
	c, n := m.Config(), m.Normalization()
	return &GoalReaching{FrameStack: c.FrameStack, FrameDim: c.FrameDim(), PosIndex: [2]int{0, 1},
		Mean: [2]float64{n.Mean[0], n.Mean[1]}, Std: [2]float64{n.Std[0], n.Std[1]}}
}

// The guidance gradient through the network must match central finite
// differences of Σ_b J_b.
func TestGuidanceGradientMatchesFiniteDifferences(t *testing.T) {
	m := tinyModel(t)
	mc := &MonteCarlo{Model: m, Objective: objectiveFor(m), Samples: 1}
	s := tinyStep(m, 2, 3, 1)
	res, err := mc.Estimate(s)
	if err != nil {
		t.Fatal(err)
	}
	total := func() float64 {
		r, err := mc.Estimate(&Step{B: s.B, H: s.H, TokenDim: s.TokenDim, ObsDim: s.ObsDim, ZDim: s.ZDim, Obs0: s.Obs0, X: s.X, K: s.K,
			Future: s.Future, Goals: s.Goals, Scale: 1, Rand: s.Rand})
		if err != nil {
			t.Fatal(err)
		}
		return r.Value[0] + r.Value[1]
	}
	fd := finiteDifferences(s.X, total)
	e := dist(res.Grad, fd) / dist(fd, nil)
	if !(e <= fdTolerance) {
		t.Fatalf("‖gradient − finite differences‖ / ‖finite differences‖ = %.3g, want ≤ %g", e, fdTolerance)
	}
	t.Logf("relative error %.2g", e)
}

// fdTolerance bounds ‖g − fd‖/‖fd‖. float32 arithmetic and ε = 1e-2 agree
// to a few 1e-3; a wrong sign, a missing path or a wrong factor on one
// (√ᾱ against ᾱ on the chain) misses by more.
const fdTolerance = 1e-2

// finiteDifferences is the central finite-difference gradient of f at x,
// with ε = 1e-2 on each element in turn.
func finiteDifferences(x []float32, f func() float64) []float32 {
	const eps = 1e-2
	fd := make([]float32, len(x))
	for i := range x {
		orig := x[i]
		x[i] = orig + eps
		up := f()
		x[i] = orig - eps
		down := f()
		x[i] = orig
		fd[i] = float32((up - down) / (2 * eps))
	}
	return fd
}

// With one sample, Monte Carlo Guidance is plain guidance: the objective's
// gradient on the plan's own prediction, pulled back through the network.
func TestMCGOneSampleEqualsPlainGuidance(t *testing.T) {
	m := tinyModel(t)
	obj := objectiveFor(m)
	s := tinyStep(m, 2, 4, 2)
	s.Future[3] = true
	res, err := (&MonteCarlo{Model: m, Objective: obj, Samples: 1}).Estimate(s)
	if err != nil {
		t.Fatal(err)
	}
	in := &dynamics.Input{B: s.B, H: s.H, Obs0: s.Obs0, X: s.X, K: s.K}
	out, err := m.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	in.GradX0 = make([]float32, len(s.X))
	obj.ValueGrad(out.X0, s.B, s.H, 0, s.Goals, 1, in.GradX0)
	plain, err := m.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range plain.GradX {
		if res.Grad[i] != plain.GradX[i] {
			t.Fatalf("grad[%d]: MCG(N=1) %g, plain %g", i, res.Grad[i], plain.GradX[i])
		}
	}
}

// Without uncertain future tokens there is nothing to average: any N gives
// plain guidance. With future tokens, N > 1 averages over redrawn futures,
// which changes the gradient on the shared tokens but leaves x̂0 of the
// plan itself alone.
func TestMCGAveragesOnlyOverFutures(t *testing.T) {
	m := tinyModel(t)
	obj := objectiveFor(m)
	one, err := (&MonteCarlo{Model: m, Objective: obj, Samples: 1}).Estimate(tinyStep(m, 2, 4, 3))
	if err != nil {
		t.Fatal(err)
	}
	noFuture, err := (&MonteCarlo{Model: m, Objective: obj, Samples: 4}).Estimate(tinyStep(m, 2, 4, 3))
	if err != nil {
		t.Fatal(err)
	}
	for i := range one.Grad {
		if one.Grad[i] != noFuture.Grad[i] {
			t.Fatalf("no future tokens: grad[%d] %g with N=4, %g with N=1", i, noFuture.Grad[i], one.Grad[i])
		}
	}
	s := tinyStep(m, 2, 4, 3)
	s.Future[2], s.Future[3] = true, true
	four, err := (&MonteCarlo{Model: m, Objective: obj, Samples: 4}).Estimate(s)
	if err != nil {
		t.Fatal(err)
	}
	for i := range one.X0 {
		if one.X0[i] != four.X0[i] {
			t.Fatalf("x̂0[%d] of the plan changed with N=4: %g vs %g", i, four.X0[i], one.X0[i])
		}
	}
	d := s.TokenDim
	diff := 0.0
	for b := 0; b < s.B; b++ {
		for i := 0; i < 2*d; i++ { // tokens 0 and 1 are shared by all samples
			diff += math.Abs(float64(four.Grad[b*s.H*d+i] - one.Grad[b*s.H*d+i]))
		}
	}
	if diff == 0 {
		t.Fatal("averaging over 4 redrawn futures left the near-token gradient unchanged")
	}
	if one.Shift != nil || noFuture.Shift != nil {
		t.Fatalf("shift reported with nothing averaged: N=1 %v, no future %v", one.Shift, noFuture.Shift)
	}
	// Shift is how far the average moved the shared tokens' gradient from
	// plain guidance's, which is what N = 1 computes.
	for b := 0; b < s.B; b++ {
		lo, hi := b*s.H*d, b*s.H*d+2*d
		want := dist(four.Grad[lo:hi], one.Grad[lo:hi]) / dist(one.Grad[lo:hi], nil)
		if got := four.Shift[b]; !(math.Abs(got-want) <= 1e-4*want) || want == 0 {
			t.Fatalf("plan %d: shift %g, want ‖ḡ − g_plain‖/‖g_plain‖ = %g over the shared tokens", b, got, want)
		}
	}
}

func TestMCGRejectsZeroSamples(t *testing.T) {
	m := tinyModel(t)
	if _, err := (&MonteCarlo{Model: m, Objective: objectiveFor(m)}).Estimate(tinyStep(m, 1, 2, 4)); err == nil {
		t.Fatal("want error for 0 samples")
	}
}

// dist is ‖a − b‖ (‖a‖ for b nil).
func dist(a, b []float32) float64 {
	var sq float64
	for i, v := range a {
		e := float64(v)
		if b != nil {
			e -= float64(b[i])
		}
		sq += e * e
	}
	return math.Sqrt(sq)
}
