package dynamics

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// What the graph engine cannot differentiate correctly it refuses, naming
// the native engine: a sequence longer than one gradient graph's rows,
// and a latent whose concatenations gorgonia cannot split (z_dim a
// multiple of 256). Forward passes, which differentiate nothing, still run.
func TestGraphRefusesWhatItCannotDifferentiate(t *testing.T) {
	refused := func(t *testing.T, what string, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), "native") {
			t.Errorf("%s: err %v, want a refusal naming the native engine", what, err)
			return
		}
		t.Logf("%s: %v", what, err)
	}
	r := rand.New(rand.NewPCG(21, 22))

	c := tinyConfig()
	m := newTestModel(t, c)
	if err := m.SetEngine(EngineGraph); err != nil {
		t.Fatal(err)
	}
	in := randomInput(c, 1, 257, r)
	in.GradX0 = make([]float32, len(in.X))
	_, err := m.Predict(in)
	refused(t, "vector–Jacobian product over 257 tokens", err)
	_, pull, err := m.PredictPullback(&Input{B: 1, H: 1, Obs0: in.Obs0, X: in.X[:c.TokenDim()], K: in.K[:1]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = pull(make([]float32, c.TokenDim())); err != nil {
		t.Errorf("pullback over one token: %v", err)
	}

	// The last guard, in buildGraph: 128 sequences of 3 tokens, whose
	// slice for rows 256:384 would hash as the one for rows 0:128.
	m.mu.Lock()
	_, err = m.graph(128, 3, passVJP, 0, false)
	m.mu.Unlock()
	refused(t, "a vector–Jacobian product graph of 384 rows", err)

	tc := tinyTrainConfig()
	tc.Horizon, tc.Engine = 257, EngineGraph
	_, err = NewTrainer(c, tc, pointMassData(3000, 600, 1))
	refused(t, "training over 257 tokens", err)

	wide := tinyConfig()
	wide.ZDim = 256
	m = newTestModel(t, wide)
	if err := m.SetEngine(EngineGraph); err != nil {
		t.Fatal(err)
	}
	in = randomInput(wide, 2, 3, r)
	if _, err := m.Predict(in); err != nil {
		t.Errorf("z_dim 256, forward pass: %v", err)
	}
	in.GradX0 = make([]float32, len(in.X))
	_, err = m.Predict(in)
	refused(t, "z_dim 256, vector–Jacobian product", err)
	tc = tinyTrainConfig()
	tc.Engine = EngineGraph
	_, err = NewTrainer(wide, tc, pointMassData(3000, 100, 1))
	refused(t, "z_dim 256, training", err)
}

// concatCollides predicts which concatenations gorgonia v0.9.18
// differentiates wrongly: the gradient of Sum(Concat(pieces) ⊙ U) with
// respect to each piece must be its rows of U. Up to 256 rows (the limit
// graphMaxRows, exactly 256 included) it is; beyond, it is for the pieces
// concatCollides lets through and not for those it refuses. (Should a
// gorgonia upgrade hash slices in full, the refused ones come out right,
// this test fails, and the limit can go.)
func TestConcatCollidesPredictsGorgonia(t *testing.T) {
	for _, tc := range []struct {
		axis    int
		sizes   []int
		collide bool
	}{
		{0, repeat(16, 16), false},  // 256 rows
		{0, repeat(1, 256), false},  // 256 rows
		{0, []int{100, 156}, false}, // 256 rows
		{0, repeat(16, 17), true},   // rows 256:272 hash as 0:16
		{0, repeat(1, 257), true},   // 256:257 as 0:1
		{0, repeat(8, 40), true},    // 320 rows
		{0, repeat(32, 16), true},   // 512 rows, the shipped shard
		{0, repeat(7, 40), false},   // 280 rows, but no two bounds agree modulo 256
		{1, []int{256, 256}, true},  // z_dim 256: [u, z]
		{1, []int{64, 64}, false},   // z_dim 64
	} {
		if got := concatCollides(tc.sizes); got != tc.collide {
			t.Errorf("axis %d, pieces %v: concatCollides %v, want %v", tc.axis, tc.sizes, got, tc.collide)
		}
		wrong, err := gorgoniaConcatGradWrong(tc.axis, tc.sizes)
		if err != nil {
			t.Fatal(err)
		}
		if wrong != tc.collide {
			t.Errorf("axis %d, pieces %v: gorgonia's gradient wrong: %v, want %v", tc.axis, tc.sizes, wrong, tc.collide)
		}
	}
	// A batch stays one graph unless it collides, and then splits into
	// graphs of at most 256 rows.
	for _, tc := range [][3]int{ // B, H, sequences per graph
		{8, 32, 8}, {16, 32, 8}, {32, 32, 8}, {16, 20, 12}, {1, 256, 1},
		{7, 40, 7}, {50, 30, 50}, {100, 30, 100}, {128, 3, 85},
	} {
		if got := graphSeqs(tc[0], tc[1]); got != tc[2] {
			t.Errorf("graphSeqs(%d, %d) = %d, want %d", tc[0], tc[1], got, tc[2])
		}
	}
}

func repeat(n, times int) []int {
	s := make([]int, times)
	for i := range s {
		s[i] = n
	}
	return s
}

// gorgoniaConcatGradWrong builds Sum(Concat(axis, pieces) ⊙ U), pieces of
// sizes[i] along axis (and 2 along the other), and reports whether the
// gradient gorgonia computes for any piece differs from its part of U.
func gorgoniaConcatGradWrong(axis int, sizes []int) (bool, error) {
	const other = 2
	shape := func(n int) []int {
		if axis == 0 {
			return []int{n, other}
		}
		return []int{other, n}
	}
	g := G.NewGraph()
	var xs G.Nodes
	total := 0
	for i, n := range sizes {
		s := shape(n)
		xs = append(xs, G.NewMatrix(g, tensor.Float32, G.WithShape(s...), G.WithName(fmt.Sprintf("x%d", i)),
			G.WithValue(tensor.New(tensor.WithShape(s...), tensor.WithBacking(make([]float32, n*other))))))
		total += n
	}
	s := shape(total)
	u := make([]float32, total*other)
	for i := range u {
		u[i] = float32(i)
	}
	U := G.NewMatrix(g, tensor.Float32, G.WithShape(s...), G.WithName("U"), G.WithValue(tensor.New(tensor.WithShape(s...), tensor.WithBacking(u))))
	cost := G.Must(G.Sum(G.Must(G.HadamardProd(G.Must(G.Concat(axis, xs...)), U))))
	grads, err := G.Grad(cost, xs...)
	if err != nil {
		return false, err
	}
	if err := G.NewTapeMachine(g).RunAll(); err != nil {
		return false, err
	}
	start := 0
	for i, n := range sizes {
		got := grads[i].Value().Data().([]float32)
		for r := range shape(n)[0] {
			for c := range shape(n)[1] {
				// element (r, c) of piece i is element (start+r, c) or
				// (r, start+c) of the concatenation
				want := u[(start+r)*other+c]
				if axis == 1 {
					want = u[r*total+start+c]
				}
				if got[r*shape(n)[1]+c] != want {
					return true, nil
				}
			}
		}
		start += n
	}
	return false, nil
}
