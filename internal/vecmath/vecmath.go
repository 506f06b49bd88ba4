// Package vecmath evaluates the logistic function and SiLU over float32
// slices, 8 floats at a time with AVX2+FMA assembly on amd64, and in pure Go
// elsewhere.
//
// Both paths compute e^x the same way (see exp32): n = round(x·log2 e),
// r = x − n·ln 2 with ln 2 split in two parts, a degree-7 Taylor polynomial
// of e^r by Horner, times 2^n built from exponent bits; σ(x) = 1/(1+e^−x)
// with an exact division. They differ only in where the assembly fuses a
// multiply and an add into one FMA. Over every float32 x in [−88, 15]
// (TestExhaustive) they agree bit for bit on 99.66% of x and within 4 ulps
// everywhere, and both are within 2.6·2^−24 (1.6e-7) relative of the exact
// σ where σ is a normal float32 (below 2^−126, i.e. x < −87.3, within 1.5
// subnormal steps).
//
// The cut-offs are gorgonia's, so that results agree with the reference
// engine: σ(x) = 0 for x < −88 and σ(x) = 1 for x > 15. Hence σ(+Inf) = 1,
// σ(−Inf) = 0, and σ(NaN) = NaN (so SiLU(NaN) = NaN).
//
// On the assembly path every element goes through the vector code, the
// 1–7 left after the last 8-float block in a zero-padded block of their
// own, so an element's result depends only on its inputs, bit for bit, not
// on the slice's length or its position in it (TestPositionInvariance);
// callers rely on that (a sequence's activations must not change with the
// batch they are computed in). The paths differ from each other as above.
//
// The assembly path is used on amd64 CPUs with AVX2 and FMA. Setting the
// environment variable DFPLAN_GEMM=gonum, which selects the portable matrix
// product in internal/gemm, also selects the pure-Go path here, so one
// variable turns off all of the project's SIMD code.
package vecmath

import (
	"os"
	"sync/atomic"
)

// useAsm reports whether the assembly path is in use. It is atomic only so
// that the tests, which switch paths, stay race-free.
var useAsm atomic.Bool

func init() { setPath(os.Getenv("DFPLAN_GEMM")) }

// setPath chooses the path as init does for the environment value env; the
// tests and benchmarks call it to force the portable path.
func setPath(env string) {
	useAsm.Store(env != "gonum" && cpuOK())
}

// Accelerated reports whether the assembly (AVX2+FMA) path is in use.
func Accelerated() bool { return useAsm.Load() }

// Sigmoid sets dst[i] = σ(x[i]) = 1/(1+e^−x[i]) for i < len(x)
// (len(dst) ≥ len(x)), with the cut-offs σ = 0 for x < −88 and σ = 1 for
// x > 15 (gorgonia's, so that results agree with the reference engine).
// dst may be x itself.
func Sigmoid(dst, x []float32) {
	n := len(x)
	if len(dst) < n {
		panic("vecmath: Sigmoid: len(dst) < len(x)")
	}
	if !useAsm.Load() {
		sigmoidGo(dst, x)
		return
	}
	m := n &^ 7
	if m > 0 {
		sigmoidAsm(&dst[0], &x[0], m)
	}
	if m < n {
		// The tail goes through the same vector code, zero-padded to a
		// block, so that an element's result does not depend on its
		// position (see the package doc).
		var xb, db [8]float32
		copy(xb[:], x[m:n])
		sigmoidAsm(&db[0], &xb[0], 8)
		copy(dst[m:n], db[:])
	}
}

// SiLU sets sig[i] = σ(x[i]) (as Sigmoid computes it) and
// y[i] = x[i]·sig[i] for i < len(x); len(y) and len(sig) must be at least
// len(x). y or sig (not both) may be x itself.
func SiLU(y, sig, x []float32) {
	n := len(x)
	if len(y) < n || len(sig) < n {
		panic("vecmath: SiLU: len(y) or len(sig) < len(x)")
	}
	if !useAsm.Load() {
		siluGo(y, sig, x)
		return
	}
	m := n &^ 7
	if m > 0 {
		siluAsm(&y[0], &sig[0], &x[0], m)
	}
	if m < n {
		var xb, yb, sb [8]float32
		copy(xb[:], x[m:n])
		siluAsm(&yb[0], &sb[0], &xb[0], 8)
		copy(y[m:n], yb[:])
		copy(sig[m:n], sb[:])
	}
}

// SiLUBack multiplies g[i] by the derivative of SiLU at x[i],
// sig[i]·(1 + x[i]·(1 − sig[i])), given sig[i] = σ(x[i]), for i < len(x);
// len(g) and len(sig) must be at least len(x).
func SiLUBack(g, x, sig []float32) {
	n := len(x)
	if len(g) < n || len(sig) < n {
		panic("vecmath: SiLUBack: len(g) or len(sig) < len(x)")
	}
	if !useAsm.Load() {
		siluBackGo(g, x, sig)
		return
	}
	m := n &^ 7
	if m > 0 {
		siluBackAsm(&g[0], &x[0], &sig[0], m)
	}
	if m < n {
		var gb, xb, sb [8]float32
		copy(gb[:], g[m:n])
		copy(xb[:], x[m:n])
		copy(sb[:], sig[m:n])
		siluBackAsm(&gb[0], &xb[0], &sb[0], 8)
		copy(g[m:n], gb[:])
	}
}
