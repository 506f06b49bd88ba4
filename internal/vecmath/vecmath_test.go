package vecmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"testing"
)

// Tolerances. The assembly path computes e^−x exactly as the scalar code
// does except that it fuses multiply-adds (t = −x·log2e + 1.5·2^23,
// r −= n·ln2lo, and each Horner step) into FMAs, each skipping one rounding,
// so its e^−x and the scalar one each lie within about 2 ulps of the true
// value but not always the same 2 ulps. 1/(1+e) keeps e's relative error
// (damped by e/(1+e) ≤ 1) and adds its own roundings; and a relative error
// is worth up to twice as many ulps in σ as in e when e's significand is
// near 1 and σ's near 2 (around x = −16.7, where e ≈ 2^24, the sweep finds
// the largest gap, 4 ulps; 0 ulps for 96% of x, ≤ 2 for all but 29 of the
// 819261). A flip of n at an exact tie of −x·log2e only moves r to the
// other end of [−ln2/2, ln2/2], where the degree-7 polynomial is as
// accurate (5e-9). agreeUlps = 6 is that bound with a small margin; both
// paths are separately held to refRel of the exact σ.
const (
	agreeUlps = 6
	// refRel bounds |σ − σ64|/σ64 for both paths against the float64
	// reference where σ is a normal float32: 2 ulps of exp32 plus the
	// roundings of 1+e and of the division, 5 × 2^−24 (measured: 2.43).
	refRel = 3e-7
)

// ord maps float32 to integers in the order of their values, so that
// ord(a) − ord(b) counts the floats between a and b (±0 both map to 0).
func ord(f float32) int64 {
	b := math.Float32bits(f)
	if b&0x80000000 != 0 {
		return -int64(b & 0x7fffffff)
	}
	return int64(b)
}

func ulpDiff(a, b float32) int64 {
	if math.IsNaN(float64(a)) || math.IsNaN(float64(b)) {
		if math.IsNaN(float64(a)) && math.IsNaN(float64(b)) {
			return 0
		}
		return math.MaxInt64
	}
	d := ord(a) - ord(b)
	if d < 0 {
		d = -d
	}
	return d
}

// withPath runs f with the assembly path (if the CPU has it) or the
// portable one, restoring the environment's choice afterwards.
func withPath(asm bool, f func()) {
	defer setPath(os.Getenv("DFPLAN_GEMM"))
	if asm {
		setPath("")
	} else {
		setPath("gonum")
	}
	f()
}

func needAsm(t testing.TB) {
	if !cpuOK() {
		t.Skip("no AVX2/FMA: only the portable path exists")
	}
}

// sweep is x in [−100, 100] in steps of 2^−12 (819201 values), plus special
// values and values either side of the cut-offs.
func sweep() []float32 {
	var xs []float32
	for i := -100 << 12; i <= 100<<12; i++ {
		xs = append(xs, float32(i)/(1<<12))
	}
	specials := []float32{0, float32(math.Copysign(0, -1)), -88, -88.0001, -87.99999, 15, 15.0001, 14.99999,
		1e-30, -1e-30, 1e-45, -1e-45, math.SmallestNonzeroFloat32, math.MaxFloat32, -math.MaxFloat32,
		-87.33655, -87.3, -1.2784645, 0.5, -0.5}
	for _, s := range specials {
		xs = append(xs, s, math.Nextafter32(s, 1e9), math.Nextafter32(s, -1e9))
	}
	return xs
}

func TestSigmoidAgreement(t *testing.T) {
	needAsm(t)
	xs := sweep()
	got := make([]float32, len(xs))
	want := make([]float32, len(xs))
	withPath(true, func() { Sigmoid(got, xs) })
	sigmoidGo(want, xs)
	var worst int64
	var worstX float32
	hist := map[int64]int{}
	for i, x := range xs {
		d := ulpDiff(got[i], want[i])
		hist[d]++
		if d > worst {
			worst, worstX = d, x
		}
		if d > agreeUlps {
			t.Fatalf("σ(%v): asm %v, Go %v: %d ulps apart", x, got[i], want[i], d)
		}
	}
	t.Logf("asm vs Go over %d values: max %d ulp (at x = %v), ulp histogram %v", len(xs), worst, worstX, hist)
}

// checkRef compares σ from one path with the float64 value wherever σ is
// not cut off (x in [−88, 15]).
func checkRef(t *testing.T, name string, xs, got []float32) {
	t.Helper()
	var worst float64
	var worstX float32
	for i, x := range xs {
		if x < -88 || x > 15 {
			continue
		}
		ref := 1 / (1 + math.Exp(-float64(x)))
		err := math.Abs(float64(got[i]) - ref)
		// Below 2^−126, float32 results are subnormal, with an absolute
		// step of 2^−149: allow the relative bound or 1.5 such steps.
		if tol := math.Max(refRel*ref, 1.5*0x1p-149); err > tol {
			t.Errorf("%s: σ(%v) = %v, float64 %v: relative error %.3g", name, x, got[i], ref, err/ref)
		}
		if ref >= 0x1p-126 && err/ref > worst {
			worst, worstX = err/ref, x
		}
	}
	t.Logf("%s vs float64 (normal results): max relative error %.3g (%.2f × 2^−24) at x = %v", name, worst, worst/0x1p-24, worstX)
}

func TestSigmoidReference(t *testing.T) {
	xs := sweep()
	got := make([]float32, len(xs))
	sigmoidGo(got, xs)
	checkRef(t, "Go", xs, got)
	if cpuOK() {
		withPath(true, func() { Sigmoid(got, xs) })
		checkRef(t, "asm", xs, got)
	}
}

// TestSpecial: NaN gives NaN, +Inf 1 and −Inf 0 (the cut-offs), on both
// paths and in every position of an 8-float block and of the tail.
func TestSpecial(t *testing.T) {
	nan := float32(math.NaN())
	inf := float32(math.Inf(1))
	cases := []struct{ x, want float32 }{
		{nan, nan}, {inf, 1}, {-inf, 0}, {0, 0.5}, {float32(math.Copysign(0, -1)), 0.5},
		{-88, 1 / (1 + exp32(88))}, {-88.0001, 0}, {15.0001, 1}, {-1000, 0}, {1000, 1},
	}
	for _, asm := range []bool{false, true} {
		if asm && !cpuOK() {
			continue
		}
		withPath(asm, func() {
			for _, c := range cases {
				for pos := range 11 {
					xs := make([]float32, 11)
					for i := range xs {
						xs[i] = 0.25
					}
					xs[pos] = c.x
					s := make([]float32, 11)
					y := make([]float32, 11)
					Sigmoid(s, xs)
					if ulpDiff(s[pos], c.want) > agreeUlps {
						t.Errorf("asm=%v: σ(%v) at %d = %v, want %v", asm, c.x, pos, s[pos], c.want)
					}
					for i := range xs {
						if i != pos && ulpDiff(s[i], sigmoid(0.25)) > agreeUlps {
							t.Errorf("asm=%v: σ(%v) at %d disturbed σ(0.25) at %d: %v", asm, c.x, pos, i, s[i])
						}
					}
					SiLU(y, s, xs)
					wantY := c.x * s[pos]
					if ulpDiff(y[pos], wantY) != 0 {
						t.Errorf("asm=%v: SiLU(%v) = %v, want %v", asm, c.x, y[pos], wantY)
					}
				}
			}
		})
	}
	// σ(−88) is subnormal, about 6.05e-39; just below −88 the cut-off
	// gives exactly 0, just above 15 exactly 1.
	if s := sigmoid(-88); s <= 0 || s >= 0x1p-126 {
		t.Errorf("σ(−88) = %v, want a positive subnormal", s)
	}
}

// TestTails: every length 0…33 and every start offset 0…7 (unaligned
// slices), with outputs longer than the input: the result agrees with the
// Go path within agreeUlps (the tail after the last full block goes
// through the assembly too), and nothing past len(x) is written.
func TestTails(t *testing.T) {
	needAsm(t)
	r := rand.New(rand.NewPCG(1, 2))
	const guard = 12345.5
	for n := 0; n <= 33; n++ {
		for off := 0; off < 8; off++ {
			buf := make([]float32, off+n)
			for i := range buf {
				buf[i] = float32(r.NormFloat64() * 20)
			}
			x := buf[off:]
			mk := func() []float32 {
				b := make([]float32, off+n+5)
				for i := range b {
					b[i] = guard
				}
				return b[off:]
			}
			s, y, sig, g := mk(), mk(), mk(), mk()
			ws, wy, wsig := make([]float32, n), make([]float32, n), make([]float32, n)
			grad := make([]float32, n)
			for i := range grad {
				grad[i] = float32(r.NormFloat64())
			}
			copy(g, grad)
			wg := append([]float32(nil), grad...)
			withPath(true, func() {
				Sigmoid(s, x)
				SiLU(y, sig, x)
				SiLUBack(g, x, sig)
			})
			sigmoidGo(ws, x)
			siluGo(wy, wsig, x)
			siluBackGo(wg, x, wsig)
			for i := range n {
				check := func(what string, got, want float32) {
					d := ulpDiff(got, want)
					if d > agreeUlps {
						t.Fatalf("n=%d off=%d: %s[%d] = %v, Go %v (x = %v)", n, off, what, i, got, want, x[i])
					}
				}
				check("Sigmoid", s[i], ws[i])
				check("SiLU y", y[i], wy[i])
				check("SiLU sig", sig[i], wsig[i])
				if sig[i] != s[i] {
					t.Fatalf("n=%d: SiLU's σ %v differs from Sigmoid's %v", n, sig[i], s[i])
				}
				// SiLUBack from the same sig: compare to the Go path fed the
				// asm sig, so that only SiLUBack's own rounding differs.
				w := []float32{grad[i]}
				siluBackGo(w, x[i:i+1], sig[i:i+1])
				s := float64(sig[i])
				scale := math.Abs(float64(grad[i])) * s * (1 + math.Abs(float64(x[i]))*(1-s))
				if d := math.Abs(float64(g[i]) - float64(w[0])); d > 4*0x1p-24*scale+0x1p-149 {
					t.Fatalf("n=%d off=%d: SiLUBack[%d] = %v, Go %v", n, off, i, g[i], w[0])
				}
			}
			for _, b := range [][]float32{s, y, sig, g} {
				for i := n; i < len(b); i++ {
					if b[i] != guard {
						t.Fatalf("n=%d off=%d: element %d past len(x) written", n, off, i)
					}
				}
			}
		}
	}
}

// TestSiLU: over the sweep, SiLU's sig is Sigmoid's bit for bit on each
// path, y = x·sig exactly, and the paths agree within agreeUlps.
func TestSiLU(t *testing.T) {
	xs := sweep()
	n := len(xs)
	for _, asm := range []bool{false, true} {
		if asm && !cpuOK() {
			continue
		}
		withPath(asm, func() {
			y, sig, s := make([]float32, n), make([]float32, n), make([]float32, n)
			SiLU(y, sig, xs)
			Sigmoid(s, xs)
			wy, wsig := make([]float32, n), make([]float32, n)
			siluGo(wy, wsig, xs)
			for i, x := range xs {
				if math.Float32bits(sig[i]) != math.Float32bits(s[i]) {
					t.Fatalf("asm=%v: SiLU σ(%v) = %v, Sigmoid %v", asm, x, sig[i], s[i])
				}
				if math.Float32bits(y[i]) != math.Float32bits(x*sig[i]) {
					t.Fatalf("asm=%v: SiLU y(%v) = %v, x·σ = %v", asm, x, y[i], x*sig[i])
				}
				if d := ulpDiff(sig[i], wsig[i]); d > agreeUlps {
					t.Fatalf("asm=%v: σ(%v) = %v, Go %v", asm, x, sig[i], wsig[i])
				}
			}
		})
	}
}

// TestSiLUBack compares the paths from the same sig. The assembly fuses
// x·(1−s) + 1, which can cancel (the derivative is 0 near x = −1.28), so
// the bound is on the absolute error, relative to the size of the terms:
// |g|·s·(1 + |x|·(1−s)) times a few 2^−24.
func TestSiLUBack(t *testing.T) {
	needAsm(t)
	xs := sweep()
	n := len(xs)
	sig := make([]float32, n)
	sigmoidGo(sig, xs)
	r := rand.New(rand.NewPCG(3, 4))
	g0 := make([]float32, n)
	for i := range g0 {
		g0[i] = float32(r.NormFloat64())
	}
	got := append([]float32(nil), g0...)
	want := append([]float32(nil), g0...)
	withPath(true, func() { SiLUBack(got, xs, sig) })
	siluBackGo(want, xs, sig)
	var worst float64
	for i, x := range xs {
		s := float64(sig[i])
		scale := math.Abs(float64(g0[i])) * s * (1 + math.Abs(float64(x))*(1-s))
		exact := float64(g0[i]) * s * (1 + float64(x)*(1-s))
		for _, v := range []float32{got[i], want[i]} {
			e := math.Abs(float64(v) - exact)
			if e > 4*0x1p-24*scale+0x1p-149 {
				t.Fatalf("SiLUBack at x=%v g=%v s=%v: %v, exact %v", x, g0[i], sig[i], v, exact)
			}
		}
		if scale > 0x1p-100 {
			worst = math.Max(worst, math.Abs(float64(got[i])-float64(want[i]))/scale)
		}
	}
	t.Logf("SiLUBack asm vs Go: max |difference| / term size = %.3g (2^−24 = %.3g)", worst, 0x1p-24)
}

// TestAliasing: an output may be the input array itself.
func TestAliasing(t *testing.T) {
	for _, asm := range []bool{false, true} {
		if asm && !cpuOK() {
			continue
		}
		withPath(asm, func() {
			x := make([]float32, 53)
			for i := range x {
				x[i] = float32(i)/4 - 6
			}
			want, wy, wsig := make([]float32, 53), make([]float32, 53), make([]float32, 53)
			Sigmoid(want, x)
			SiLU(wy, wsig, x)
			a := append([]float32(nil), x...)
			Sigmoid(a, a)
			b := append([]float32(nil), x...)
			sig := make([]float32, 53)
			SiLU(b, sig, b)
			c := append([]float32(nil), x...)
			y := make([]float32, 53)
			SiLU(y, c, c)
			for i := range x {
				if a[i] != want[i] || b[i] != wy[i] || sig[i] != wsig[i] || c[i] != wsig[i] || y[i] != wy[i] {
					t.Fatalf("asm=%v: in-place result differs at %d", asm, i)
				}
			}
		})
	}
}

func TestShortOutputPanics(t *testing.T) {
	x := make([]float32, 9)
	short := make([]float32, 8, 16) // spare capacity must not be used
	for name, f := range map[string]func(){
		"Sigmoid":      func() { Sigmoid(short, x) },
		"SiLU y":       func() { SiLU(short, x, x) },
		"SiLU sig":     func() { SiLU(x, short, x) },
		"SiLUBack g":   func() { SiLUBack(short, x, x) },
		"SiLUBack sig": func() { SiLUBack(x, x, short) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s with a short output did not panic", name)
				}
			}()
			f()
		}()
	}
}

// TestPortablePath: DFPLAN_GEMM=gonum's path is the Go code bit for bit.
func TestPortablePath(t *testing.T) {
	xs := sweep()
	n := len(xs)
	withPath(false, func() {
		if Accelerated() {
			t.Fatal("Accelerated() with the portable path forced")
		}
		s, y, sig := make([]float32, n), make([]float32, n), make([]float32, n)
		Sigmoid(s, xs)
		SiLU(y, sig, xs)
		ws, wy, wsig := make([]float32, n), make([]float32, n), make([]float32, n)
		sigmoidGo(ws, xs)
		siluGo(wy, wsig, xs)
		for i := range xs {
			if ulpDiff(s[i], ws[i]) != 0 || ulpDiff(y[i], wy[i]) != 0 || ulpDiff(sig[i], wsig[i]) != 0 {
				t.Fatalf("portable path differs from the Go code at x = %v", xs[i])
			}
		}
	})
}

// TestEnvOverride runs this test binary again with DFPLAN_GEMM=gonum and
// checks that init read it.
func TestEnvOverride(t *testing.T) {
	if os.Getenv("VECMATH_TEST_CHILD") == "1" {
		if Accelerated() {
			fmt.Println("child: Accelerated() with DFPLAN_GEMM=gonum")
			os.Exit(3)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestEnvOverride$")
	cmd.Env = append(os.Environ(), "VECMATH_TEST_CHILD=1", "DFPLAN_GEMM=gonum")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child with DFPLAN_GEMM=gonum: %v\n%s", err, out)
	}
	if os.Getenv("DFPLAN_GEMM") != "gonum" && Accelerated() != cpuOK() {
		t.Fatalf("Accelerated() = %v, CPU support %v", Accelerated(), cpuOK())
	}
	t.Logf("Accelerated() = %v", Accelerated())
}

// TestExhaustive (VECMATH_EXHAUSTIVE=1, about a minute) runs every float32
// in [−88, 15] through both paths and the float64 reference.
func TestExhaustive(t *testing.T) {
	if os.Getenv("VECMATH_EXHAUSTIVE") != "1" {
		t.Skip("set VECMATH_EXHAUSTIVE=1")
	}
	needAsm(t)
	const chunk = 1 << 20
	xs := make([]float32, 0, chunk)
	got, want := make([]float32, chunk), make([]float32, chunk)
	hist := map[int64]int{}
	var worstAsm, worstGo float64
	var count int
	flush := func() {
		withPath(true, func() { Sigmoid(got, xs) })
		sigmoidGo(want, xs)
		for i, x := range xs {
			d := ulpDiff(got[i], want[i])
			hist[d]++
			if d > agreeUlps {
				t.Errorf("σ(%v): asm %v, Go %v: %d ulps", x, got[i], want[i], d)
			}
			ref := 1 / (1 + math.Exp(-float64(x)))
			if ref >= 0x1p-126 {
				worstAsm = math.Max(worstAsm, math.Abs(float64(got[i])-ref)/ref)
				worstGo = math.Max(worstGo, math.Abs(float64(want[i])-ref)/ref)
			} else if math.Abs(float64(got[i])-ref) > 1.5*0x1p-149 || math.Abs(float64(want[i])-ref) > 1.5*0x1p-149 {
				t.Errorf("σ(%v) subnormal: asm %v, Go %v, float64 %v", x, got[i], want[i], ref)
			}
		}
		count += len(xs)
		xs = xs[:0]
	}
	add := func(x float32) {
		xs = append(xs, x)
		if len(xs) == chunk {
			flush()
		}
	}
	for b := math.Float32bits(-88); b > 0x80000000; b-- { // −88 … −tiny
		add(math.Float32frombits(b))
	}
	for b := uint32(0); b <= math.Float32bits(15); b++ { // 0 … 15
		add(math.Float32frombits(b))
	}
	flush()
	t.Logf("%d floats in [−88, 15]: asm vs Go ulp histogram %v; max relative error vs float64 (normal σ): asm %.3g (%.2f × 2^−24), Go %.3g (%.2f × 2^−24)",
		count, hist, worstAsm, worstAsm/0x1p-24, worstGo, worstGo/0x1p-24)
	if worstAsm > refRel || worstGo > refRel {
		t.Errorf("relative error above %g", refRel)
	}
}
