package vecmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPositionInvariance: each element's result depends only on its
// inputs, bit for bit: evaluated alone (a slice of length 1) and at every
// position 0…40 of slices of lengths 1…41 (other elements random), each of
// Sigmoid, SiLU (y and sig) and SiLUBack gives the same bits. Callers rely
// on this: a sequence's activations must not change with the number of
// sequences batched with it or its place in the batch.
func TestPositionInvariance(t *testing.T) {
	for _, asm := range []bool{true, false} {
		if asm && !cpuOK() {
			continue
		}
		withPath(asm, func() { testPositionInvariance(t, asm) })
	}
}

func testPositionInvariance(t *testing.T, asm bool) {
	r := rand.New(rand.NewPCG(21, 22))
	rnd := func() float32 { return float32(r.NormFloat64() * 8) }
	xs := []float32{0, -88, -88.0001, 15, 15.0001, -87.5, 1e-8, -1e-8, 30, -100,
		float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN())}
	for len(xs) < 64 {
		xs = append(xs, rnd())
	}
	same := func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }
	type result struct{ s, y, sig, g float32 }
	// eval evaluates all three functions on x (with gradient g and, for
	// SiLUBack, σ(x) as sig) and returns element pos.
	eval := func(x, g []float32, pos int) result {
		n := len(x)
		s, y, sig := make([]float32, n), make([]float32, n), make([]float32, n)
		gg := append([]float32(nil), g...)
		Sigmoid(s, x)
		SiLU(y, sig, x)
		SiLUBack(gg, x, sig)
		return result{s[pos], y[pos], sig[pos], gg[pos]}
	}
	for _, x := range xs {
		g := rnd()
		want := eval([]float32{x}, []float32{g}, 0)
		for n := 1; n <= 41; n++ {
			for pos := range n {
				x2, g2 := make([]float32, n), make([]float32, n)
				for i := range x2 {
					x2[i], g2[i] = rnd(), rnd()
				}
				x2[pos], g2[pos] = x, g
				got := eval(x2, g2, pos)
				if !same(got.s, want.s) || !same(got.y, want.y) || !same(got.sig, want.sig) || !same(got.g, want.g) {
					t.Fatalf("asm=%v: x=%v at %d of %d: (σ, SiLU y, sig, SiLUBack) = %v, alone %v", asm, x, pos, n, got, want)
				}
			}
		}
	}
}
