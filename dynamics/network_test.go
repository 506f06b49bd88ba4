package dynamics

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// tinyConfig is small enough that tests run in milliseconds.
func tinyConfig() Config {
	c := DefaultConfig()
	c.FrameStack = 2
	c.ZDim = 8
	c.Hidden = 16
	c.Layers = 1
	c.EncoderHidden = 8
	c.EmbedDim = 8
	c.DiffusionSteps = 100
	return c
}

func randomInput(c Config, b, h int, r *rand.Rand) *Input {
	in := &Input{B: b, H: h,
		Obs0: make([]float32, b*c.ObsDim),
		X:    make([]float32, b*h*c.TokenDim()),
		K:    make([]int, b*h),
	}
	for i := range in.Obs0 {
		in.Obs0[i] = float32(r.NormFloat64())
	}
	for i := range in.X {
		in.X[i] = float32(r.NormFloat64())
	}
	for i := range in.K {
		in.K[i] = r.IntN(c.DiffusionSteps + 1)
	}
	return in
}

func newTestModel(t testing.TB, c Config) *Model {
	t.Helper()
	m, err := New(c, IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		t.Fatal(err)
	}
	// Non-zero residual branches so that every path carries signal.
	r := rand.New(rand.NewPCG(7, 7))
	for _, p := range m.params {
		for i := range p.data {
			p.data[i] += float32(0.1 * r.NormFloat64())
		}
	}
	return m
}

// variants are the network shapes a checkpoint can have: the first
// shipped models (DDPM embedding, absolute positions) and the current one.
func variants() map[string]Config {
	old := tinyConfig()
	old.NoiseEmbedding, old.RelativeDims = "", 0
	return map[string]Config{"legacy": old, "current": tinyConfig()}
}

// engines runs f on a fresh test model under each engine Predict has.
func engines(t *testing.T, c Config, f func(t *testing.T, m *Model)) {
	for _, e := range []string{EngineNative, EngineGraph} {
		t.Run(e, func(t *testing.T) {
			m := newTestModel(t, c)
			if err := m.SetEngine(e); err != nil {
				t.Fatal(err)
			}
			f(t, m)
		})
	}
}

func TestPredictCausal(t *testing.T) {
	for name, c := range variants() {
		t.Run(name, func(t *testing.T) {
			engines(t, c, func(t *testing.T, m *Model) { testPredictCausal(t, c, m) })
		})
	}
}

func testPredictCausal(t *testing.T, c Config, m *Model) {
	const B, H = 3, 6
	r := rand.New(rand.NewPCG(1, 2))
	in := randomInput(c, B, H, r)
	base, err := m.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	td := c.TokenDim()
	for cut := range H {
		// Change every token after cut (values and noise levels).
		in2 := *in
		in2.X = append([]float32(nil), in.X...)
		in2.K = append([]int(nil), in.K...)
		for b := range B {
			for tt := cut + 1; tt < H; tt++ {
				in2.K[b*H+tt] = r.IntN(c.DiffusionSteps + 1)
				for f := range td {
					in2.X[(b*H+tt)*td+f] += float32(r.NormFloat64())
				}
			}
		}
		got, err := m.Predict(&in2)
		if err != nil {
			t.Fatal(err)
		}
		for b := range B {
			for tt := range H {
				changed := false
				for f := range td {
					i := (b*H+tt)*td + f
					if got.X0[i] != base.X0[i] {
						changed = true
					}
				}
				if tt <= cut && changed {
					t.Fatalf("cut %d: output of token %d (batch %d) changed; must depend only on tokens ≤ %d", cut, tt, b, tt)
				}
				if tt > cut && !changed {
					t.Fatalf("cut %d: output of token %d (batch %d) did not change", cut, tt, b)
				}
			}
		}
	}
}

func TestPredictVJPMatchesFiniteDifferences(t *testing.T) {
	for name, c := range variants() {
		c.Layers = 2 // two residual blocks on each side of the GRU
		t.Run(name, func(t *testing.T) {
			engines(t, c, func(t *testing.T, m *Model) { testPredictVJP(t, c, m) })
		})
	}
}

func testPredictVJP(t *testing.T, c Config, m *Model) {
	const B, H = 2, 4
	r := rand.New(rand.NewPCG(3, 4))
	in := randomInput(c, B, H, r)
	in.GradX0 = make([]float32, len(in.X))
	for i := range in.GradX0 {
		in.GradX0[i] = float32(r.NormFloat64())
	}
	out, err := m.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	// J(X) = Σ GradX0 · x̂0(X), evaluated in float64 from float32 outputs.
	J := func(x []float32) float64 {
		o, err := m.Predict(&Input{B: B, H: H, Obs0: in.Obs0, X: x, K: in.K})
		if err != nil {
			t.Fatal(err)
		}
		s := 0.0
		for i, v := range o.X0 {
			s += float64(in.GradX0[i]) * float64(v)
		}
		return s
	}
	// Central differences with step 1e-2: the network is smooth (SiLU,
	// sigmoid, tanh) and truncation error is O(h²); with float32 outputs
	// the two agree to 4–6e-4 of ‖fd‖. The gradients are about 1e-2 per
	// component, so the comparison is relative to the whole gradient's
	// norm: 5e-3 of it catches a path that is wrong by a percent.
	const h = 1e-2
	x := append([]float32(nil), in.X...)
	var diff, norm float64
	for i := range x {
		orig := x[i]
		x[i] = orig + h
		jp := J(x)
		x[i] = orig - h
		jm := J(x)
		x[i] = orig
		fd := (jp - jm) / (2 * h)
		d := fd - float64(out.GradX[i])
		diff += d * d
		norm += fd * fd
	}
	rel := math.Sqrt(diff / norm)
	if !(rel <= 5e-3) {
		t.Errorf("‖GradX − finite differences‖ / ‖finite differences‖ = %.3g over %d components, want ≤ 5e-3", rel, len(x))
	}
	t.Logf("relative error %.2g over %d components", rel, len(x))
}

func TestPredictReusesGraphs(t *testing.T) {
	c := tinyConfig()
	m := newTestModel(t, c)
	if err := m.SetEngine(EngineGraph); err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	in := randomInput(c, 2, 3, r)
	first, err := m.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	if m.Builds() != 1 {
		t.Fatalf("builds = %d after first call, want 1", m.Builds())
	}
	second, err := m.Predict(in)
	if err != nil {
		t.Fatal(err)
	}
	if m.Builds() != 1 {
		t.Fatalf("builds = %d after second call, want 1 (graph reused)", m.Builds())
	}
	for i := range first.X0 {
		if first.X0[i] != second.X0[i] {
			t.Fatalf("X0[%d] differs between identical calls: %g vs %g", i, first.X0[i], second.X0[i])
		}
	}
	in.GradX0 = make([]float32, len(in.X))
	if _, err := m.Predict(in); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Predict(randomInput(c, 1, 3, r)); err != nil {
		t.Fatal(err)
	}
	if m.Builds() != 3 {
		t.Fatalf("builds = %d, want 3 (forward 2×3, vjp 2×3, forward 1×3)", m.Builds())
	}
}

func TestPredictRejectsBadInput(t *testing.T) {
	c := tinyConfig()
	m := newTestModel(t, c)
	r := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name string
		edit func(*Input)
	}{
		{"zero batch", func(in *Input) { in.B = 0 }},
		{"short X", func(in *Input) { in.X = in.X[1:] }},
		{"short Obs0", func(in *Input) { in.Obs0 = in.Obs0[1:] }},
		{"noise level above T", func(in *Input) { in.K[0] = c.DiffusionSteps + 1 }},
		{"negative noise level", func(in *Input) { in.K[0] = -1 }},
		{"short GradX0", func(in *Input) { in.GradX0 = make([]float32, 3) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := randomInput(c, 2, 2, r)
			tc.edit(in)
			if _, err := m.Predict(in); err == nil {
				t.Fatal("Predict accepted a malformed input")
			}
		})
	}
}

// Starting from the latent a previous pass reached after token t0−1 must
// reproduce that pass for tokens t0.. exactly: x̂0, latents and the
// vector–Jacobian product with respect to those tokens.
func TestPredictFromCarriedLatent(t *testing.T) {
	c := tinyConfig()
	engines(t, c, func(t *testing.T, m *Model) { testPredictFromCarriedLatent(t, c, m) })
}

func testPredictFromCarriedLatent(t *testing.T, c Config, m *Model) {
	const B, H, t0 = 2, 5, 2
	r := rand.New(rand.NewPCG(3, 4))
	full := randomInput(c, B, H, r)
	full.GradX0 = make([]float32, len(full.X))
	for i := range full.GradX0 {
		full.GradX0[i] = float32(r.NormFloat64())
	}
	want, err := m.Predict(full)
	if err != nil {
		t.Fatal(err)
	}
	td, zd, h := c.TokenDim(), c.ZDim, H-t0
	tail := &Input{B: B, H: h, Z0: make([]float32, B*zd), X: make([]float32, B*h*td), K: make([]int, B*h), GradX0: make([]float32, B*h*td)}
	for b := range B {
		copy(tail.Z0[b*zd:(b+1)*zd], want.Z[(b*H+t0-1)*zd:(b*H+t0)*zd])
		copy(tail.X[b*h*td:(b+1)*h*td], full.X[(b*H+t0)*td:(b+1)*H*td])
		copy(tail.GradX0[b*h*td:(b+1)*h*td], full.GradX0[(b*H+t0)*td:(b+1)*H*td])
		copy(tail.K[b*h:(b+1)*h], full.K[b*H+t0:(b+1)*H])
	}
	got, err := m.Predict(tail)
	if err != nil {
		t.Fatal(err)
	}
	// Same arithmetic on the same rows: agreement to float32 rounding.
	const tol = 1e-5
	for b := range B {
		for i := range h * td {
			w, g := want.X0[(b*H+t0)*td+i], got.X0[b*h*td+i]
			if math.Abs(float64(w-g)) > tol {
				t.Fatalf("x̂0 seq %d elem %d: carried %g, full %g", b, i, g, w)
			}
			w, g = want.GradX[(b*H+t0)*td+i], got.GradX[b*h*td+i]
			if math.Abs(float64(w-g)) > tol {
				t.Fatalf("grad seq %d elem %d: carried %g, full %g", b, i, g, w)
			}
		}
		for i := range h * zd {
			w, g := want.Z[(b*H+t0)*zd+i], got.Z[b*h*zd+i]
			if math.Abs(float64(w-g)) > tol {
				t.Fatalf("z seq %d elem %d: carried %g, full %g", b, i, g, w)
			}
		}
	}
	if _, err := m.Predict(&Input{B: 1, H: 1, Z0: make([]float32, 3), X: make([]float32, td), K: []int{0}}); err == nil {
		t.Error("short Z0: want error")
	}
}

// The hand-written pass and the gorgonia graph compute the same x̂0,
// latents and vector–Jacobian product, from the encoder or from a carried
// latent, at batch sizes and horizons the planner uses.
func TestNativeMatchesGraph(t *testing.T) {
	c := tinyConfig()
	c.Layers = 2
	native, graph := newTestModel(t, c), newTestModel(t, c)
	if err := graph.SetEngine(EngineGraph); err != nil {
		t.Fatal(err)
	}
	// One goroutine, and the batch split over three (predictNative).
	for _, procs := range []int{1, 3} {
		prev := runtime.GOMAXPROCS(procs)
		defer runtime.GOMAXPROCS(prev)
		r := rand.New(rand.NewPCG(11, 12))
		for _, tc := range []struct {
			b, h    int
			z0, vjp bool
		}{{1, 1, false, false}, {1, 15, false, true}, {3, 7, false, true}, {4, 5, true, true}, {2, 6, true, false},
			// Above 256 token rows (graph.go, graphMaxRows): 512 rows,
			// 320 that split unevenly, and 280 that gorgonia gets right
			// in one graph.
			{16, 32, false, true}, {16, 20, true, true}, {7, 40, false, true}, {16, 32, false, false}} {
			in := randomInput(c, tc.b, tc.h, r)
			if tc.z0 {
				in.Z0 = make([]float32, tc.b*c.ZDim)
				for i := range in.Z0 {
					in.Z0[i] = float32(r.Float64()*2 - 1)
				}
			}
			if tc.vjp {
				in.GradX0 = make([]float32, len(in.X))
				for i := range in.GradX0 {
					in.GradX0[i] = float32(r.NormFloat64())
				}
			}
			want, err := graph.Predict(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := native.Predict(in)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range []struct {
				name      string
				got, want []float32
			}{{"x̂0", got.X0, want.X0}, {"z", got.Z, want.Z}, {"grad", got.GradX, want.GradX}} {
				if len(a.got) != len(a.want) {
					t.Fatalf("B=%d H=%d %s: %d values, graph %d", tc.b, tc.h, a.name, len(a.got), len(a.want))
				}
				for i := range a.want {
					// Same operations in a different summation order: float32
					// rounding, relative to the value's size.
					if d := math.Abs(float64(a.got[i] - a.want[i])); d > 1e-5*math.Max(1, math.Abs(float64(a.want[i]))) {
						t.Fatalf("procs %d, B=%d H=%d Z0=%v: %s[%d] = %g, graph %g", procs, tc.b, tc.h, tc.z0, a.name, i, a.got[i], a.want[i])
					}
				}
			}
		}
	}
	if err := native.SetEngine("gpu"); err == nil {
		t.Error(`SetEngine("gpu"): want error`)
	}
}

// PredictPullback gives Predict's x̂0 and, from its pullback, Predict's
// GradX for the same upstream gradient, on both engines; the pullback can
// be called again (the tape survives it) and refuses a gradient of the
// wrong size.
func TestPredictPullback(t *testing.T) {
	c := tinyConfig()
	engines(t, c, func(t *testing.T, m *Model) {
		r := rand.New(rand.NewPCG(13, 14))
		in := randomInput(c, 3, 4, r)
		in.GradX0 = make([]float32, len(in.X))
		for i := range in.GradX0 {
			in.GradX0[i] = float32(r.NormFloat64())
		}
		want, err := m.Predict(in)
		if err != nil {
			t.Fatal(err)
		}
		out, pull, err := m.PredictPullback(in)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want.X0 {
			if out.X0[i] != want.X0[i] {
				t.Fatalf("x̂0[%d] = %g, Predict %g", i, out.X0[i], want.X0[i])
			}
		}
		for range 2 {
			grad, err := pull(in.GradX0)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want.GradX {
				if grad[i] != want.GradX[i] {
					t.Fatalf("grad[%d] = %g, Predict %g", i, grad[i], want.GradX[i])
				}
			}
		}
		if _, err := pull(in.GradX0[1:]); !errors.Is(err, ErrInput) {
			t.Errorf("short gradient: err %v, want ErrInput", err)
		}
	})
}

// The "level" embedding changes smoothly with k and carries the schedule's
// scales; the DDPM one jumps between neighbouring levels.
func TestNoiseEmbeddingIsSmoothInTheLevel(t *testing.T) {
	c := DefaultConfig()
	s, err := NewSchedule(c.BetaSchedule, c.DiffusionSteps)
	if err != nil {
		t.Fatal(err)
	}
	step := func(tab []float32, k int) float64 {
		d := 0.0
		for i := range c.EmbedDim {
			v := float64(tab[(k+1)*c.EmbedDim+i] - tab[k*c.EmbedDim+i])
			d += v * v
		}
		return math.Sqrt(d)
	}
	maxStep := func(tab []float32) float64 {
		m := 0.0
		for k := range c.DiffusionSteps {
			m = math.Max(m, step(tab, k))
		}
		return m
	}
	level := noiseEmbedding(c, s)
	if m := maxStep(level); m > 0.6 {
		t.Errorf("level embedding: largest change between neighbouring levels %.2f, want ≤ 0.6", m)
	}
	half := c.EmbedDim / 2
	for _, k := range []int{0, 100, 500, c.DiffusionSteps} {
		ab := s.AlphaBar(k)
		if math.Abs(float64(level[k*c.EmbedDim])-math.Sqrt(ab)) > 1e-6 || math.Abs(float64(level[k*c.EmbedDim+half])-math.Sqrt(1-ab)) > 1e-6 {
			t.Errorf("level %d: first pair %v, %v; want √ᾱ = %v, √(1−ᾱ) = %v", k, level[k*c.EmbedDim], level[k*c.EmbedDim+half], math.Sqrt(ab), math.Sqrt(1-ab))
		}
	}
	c.NoiseEmbedding = ""
	if m := maxStep(noiseEmbedding(c, s)); m < 1 {
		t.Errorf("DDPM embedding: largest neighbour change %.2f; the test no longer tells the two apart", m)
	}
}

func TestConfigRejectsBadNewFields(t *testing.T) {
	for _, f := range []func(*Config){
		func(c *Config) { c.NoiseEmbedding = "fourier" },
		func(c *Config) { c.RelativeDims = -1 },
		func(c *Config) { c.RelativeDims = c.ObsDim + 1 },
	} {
		c := DefaultConfig()
		f(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("config %+v: want an error", c)
		}
	}
}
