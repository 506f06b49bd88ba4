package vecmath

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var benchSizes = []int{128, 4096, 65536}

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

// benchPaths runs f for each path and size as sub-benchmarks path/n=size,
// reporting ns/elem.
func benchPaths(b *testing.B, f func(b *testing.B, n int)) {
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
					b.SetBytes(int64(4 * n))
					f(b, n)
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
				})
			})
		}
	}
}

func BenchmarkSigmoid(b *testing.B) {
	benchPaths(b, func(b *testing.B, n int) {
		x, dst := benchInput(n), make([]float32, n)
		for b.Loop() {
			Sigmoid(dst, x)
		}
	})
}

func BenchmarkSiLU(b *testing.B) {
	benchPaths(b, func(b *testing.B, n int) {
		x, y, sig := benchInput(n), make([]float32, n), make([]float32, n)
		for b.Loop() {
			SiLU(y, sig, x)
		}
	})
}

func BenchmarkSiLUBack(b *testing.B) {
	benchPaths(b, func(b *testing.B, n int) {
		// With sig = 1 the factor is exactly 1, so g stays 1 over any number
		// of passes (with real σ it would drift to 0, through slow
		// subnormals, or to Inf); the work does not depend on the values.
		x, sig, g := benchInput(n), make([]float32, n), make([]float32, n)
		for i := range g {
			sig[i], g[i] = 1, 1
		}
		for b.Loop() {
			SiLUBack(g, x, sig)
		}
	})
}
