package vecmath

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dfplan/dfplan/internal/cputime"
)

var benchSizes = []int{13, 128, 4096, 65536} // 13: an 8-block and a tail of 5

// benchInput is n activations, normal with standard deviation 4, so that a
// few fall beyond the cut-offs as in training.
func benchInput(n int) []float32 {
	r := rand.New(rand.NewPCG(5, 6))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 4)
	}
	return x
}

// benchPaths runs, for each path and size, the operation setup(n) returns,
// as sub-benchmarks path/n=size, reporting ns/elem (wall clock) and
// cpu-ns/elem (process CPU time, which a loaded machine inflates less).
func benchPaths(b *testing.B, setup func(n int) func()) {
	for _, asm := range []bool{true, false} {
		name := "go"
		if asm {
			name = "asm"
			if !cpuOK() {
				continue
			}
		}
		for _, n := range benchSizes {
			b.Run(fmt.Sprintf("%s/n=%d", name, n), func(b *testing.B) {
				withPath(asm, func() {
					op := setup(n)
					b.SetBytes(int64(4 * n))
					t0 := cputime.Process()
					for b.Loop() {
						op()
					}
					elems := float64(b.N) * float64(n)
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/elems, "ns/elem")
					b.ReportMetric(float64((cputime.Process()-t0).Nanoseconds())/elems, "cpu-ns/elem")
				})
			})
		}
	}
}

func BenchmarkSigmoid(b *testing.B) {
	benchPaths(b, func(n int) func() {
		x, dst := benchInput(n), make([]float32, n)
		return func() { Sigmoid(dst, x) }
	})
}

func BenchmarkSiLU(b *testing.B) {
	benchPaths(b, func(n int) func() {
		x, y, sig := benchInput(n), make([]float32, n), make([]float32, n)
		return func() { SiLU(y, sig, x) }
	})
}

func BenchmarkSiLUBack(b *testing.B) {
	benchPaths(b, func(n int) func() {
		// With sig = 1 the factor is exactly 1, so g stays 1 over any number
		// of passes (with real σ it would drift to 0, through slow
		// subnormals, or to Inf); the work does not depend on the values.
		x, sig, g := benchInput(n), make([]float32, n), make([]float32, n)
		for i := range g {
			sig[i], g[i] = 1, 1
		}
		return func() { SiLUBack(g, x, sig) }
	})
}
