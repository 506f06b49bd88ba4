package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// sentinel fills C outside the m×n window; it must survive every call.
const sentinel = float32(-12345.5)

type shape struct{ m, n, k int }

type problem struct {
	tA, tB          bool
	m, n, k         int
	alpha, beta     float32
	lda, ldb, ldc   int
	a, b, c, cGonum []float32
}

// newProblem makes random operands for op(A) m×k, op(B) k×n and C m×n with
// leading dimensions pad wider than the rows, and C's padding (and the
// rows' tails) set to the sentinel.
func newProblem(r *rand.Rand, tA, tB bool, s shape, alpha, beta float32, pad int) *problem {
	p := &problem{tA: tA, tB: tB, m: s.m, n: s.n, k: s.k, alpha: alpha, beta: beta}
	aRows, aCols := s.m, s.k
	if tA {
		aRows, aCols = s.k, s.m
	}
	bRows, bCols := s.k, s.n
	if tB {
		bRows, bCols = s.n, s.k
	}
	p.lda, p.ldb, p.ldc = max(1, aCols+pad), max(1, bCols+pad), max(1, s.n+pad)
	fill := func(rows, ld int) []float32 {
		x := make([]float32, rows*ld)
		for i := range x {
			x[i] = 2*r.Float32() - 1
		}
		return x
	}
	p.a = fill(aRows, p.lda)
	p.b = fill(bRows, p.ldb)
	p.c = make([]float32, s.m*p.ldc)
	for i := range p.c {
		if i%p.ldc >= s.n {
			p.c[i] = sentinel
		} else if beta == 0 {
			// BLAS ignores C when beta is zero: NaNs must not survive.
			p.c[i] = float32(math.NaN())
		} else {
			p.c[i] = 2*r.Float32() - 1
		}
	}
	p.cGonum = append([]float32(nil), p.c...)
	return p
}

func (p *problem) at(x []float32, ld int, trans bool, i, j int) float32 {
	if trans {
		return x[j*ld+i]
	}
	return x[i*ld+j]
}

// check compares C from the path under test with gonum's. Both sum k
// products in float32 in different orders (the kernel in 8-wide FMA lanes
// over k blocks, gonum row by row), so each is within γ_k·S of the exact
// value, where S = |alpha|·Σ_p |op(A)_ip|·|op(B)_pj| + |beta|·|C_ij| and
// γ_k ≈ k·eps (eps = 2⁻²⁴, float32's unit roundoff; +2 for the scaling by
// alpha and beta and the final add); they may then differ by twice that.
func (p *problem) check(t *testing.T, c0 []float32) {
	t.Helper()
	const eps = 1.0 / (1 << 24)
	bad := 0
	for i := range p.m {
		for j := range p.ldc {
			idx := i*p.ldc + j
			got, want := p.c[idx], p.cGonum[idx]
			if j >= p.n {
				if math.Float32bits(got) != math.Float32bits(sentinel) {
					t.Errorf("C[%d][%d] outside the %d×%d window changed to %v", i, j, p.m, p.n, got)
					bad++
				}
				continue
			}
			var s float64
			for q := range p.k {
				s += math.Abs(float64(p.at(p.a, p.lda, p.tA, i, q)) * float64(p.at(p.b, p.ldb, p.tB, q, j)))
			}
			s *= math.Abs(float64(p.alpha))
			if p.beta != 0 {
				s += math.Abs(float64(p.beta) * float64(c0[idx]))
			}
			tol := 2*float64(p.k+2)*eps*s + 1e-30
			if d := math.Abs(float64(got) - float64(want)); !(d <= tol) {
				t.Errorf("C[%d][%d] = %v, gonum %v (|diff| %.3g > tol %.3g)", i, j, got, want, d, tol)
				bad++
			}
			if bad > 10 {
				t.FailNow()
			}
		}
	}
}

func (p *problem) run(t *testing.T) {
	t.Helper()
	c0 := append([]float32(nil), p.c...)
	portable.Sgemm(trans(p.tA), trans(p.tB), p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.cGonum, p.ldc)
	Sgemm(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.c, p.ldc)
	p.check(t, c0)
}

var transposes = []struct {
	name   string
	tA, tB bool
}{{"NN", false, false}, {"NT", false, true}, {"TN", true, false}, {"TT", true, true}}

var (
	alphas = []float32{1, 0.5, 0, 2}
	betas  = []float32{0, 1, -0.5}
)

// withAsm runs f with the assembly path (whatever DFPLAN_GEMM says), and
// skips when this machine has no kernel.
func withAsm(t *testing.T, f func()) {
	t.Helper()
	if ok, why := cpuReason(); !ok {
		t.Skipf("no assembly kernel: %s", why)
	}
	setPath("")
	defer setPath(os.Getenv("DFPLAN_GEMM"))
	f()
}

// TestSgemmEdges: every transpose pair, alpha and beta on sizes that are
// and are not multiples of the 6×16 tile, with and without padded leading
// dimensions.
func TestSgemmEdges(t *testing.T) {
	withAsm(t, func() {
		r := rand.New(rand.NewPCG(1, 2))
		dims := []int{1, 5, 7, 8, 13, 14, 17, 31, 33}
		n := 0
		for _, tr := range transposes {
			for _, m := range dims {
				for _, nn := range dims {
					for _, k := range dims {
						// Rotate through the alpha/beta pairs and paddings
						// so every combination meets many shapes.
						alpha := alphas[n%len(alphas)]
						beta := betas[(n/len(alphas))%len(betas)]
						pad := []int{0, 3}[n%2]
						n++
						s := shape{m, nn, k}
						t.Run(fmt.Sprintf("%s/%dx%dx%d/a%g/b%g/pad%d", tr.name, m, nn, k, alpha, beta, pad), func(t *testing.T) {
							newProblem(r, tr.tA, tr.tB, s, alpha, beta, pad).run(t)
						})
					}
				}
			}
		}
	})
}

// TestSgemmShapes: larger shapes, including the ones the network uses and
// ones that cross the k, m and n cache blocks, with every alpha and beta.
func TestSgemmShapes(t *testing.T) {
	withAsm(t, func() {
		r := rand.New(rand.NewPCG(3, 4))
		shapes := []shape{
			{1, 1, 1}, {65, 65, 65}, {257, 33, 65}, {33, 257, 257}, {65, 17, 257},
			{300, 70, 500}, {32, 128, 156}, {768, 60, 128}, {128, 128, 768},
			{150, 1100, 40}, {145, 31, 600}, {6, 16, 1}, {12, 32, 513},
			{14, 300, 40}, {7, 260, 20}, // n ≥ packTransAMinN: transposed A is packed
		}
		for _, s := range shapes {
			for _, tr := range transposes {
				for _, alpha := range alphas {
					for _, beta := range betas {
						for _, pad := range []int{0, 5} {
							if s.m*s.n*s.k > 1e6 && (pad != 0 || alpha != 1) {
								continue // keep the big ones to the common case
							}
							t.Run(fmt.Sprintf("%s/%dx%dx%d/a%g/b%g/pad%d", tr.name, s.m, s.n, s.k, alpha, beta, pad), func(t *testing.T) {
								newProblem(r, tr.tA, tr.tB, s, alpha, beta, pad).run(t)
							})
						}
					}
				}
			}
		}
	})
}

// TestSgemmRouting: on the default path (whatever DFPLAN_GEMM says), tiny
// and small products agree with gonum.
func TestSgemmRouting(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, s := range []shape{{0, 3, 2}, {3, 0, 2}, {3, 2, 0}, {0, 0, 0}, {1, 1, 1}, {4, 4, 4}, {16, 32, 32}, {32, 128, 128}} {
		for _, tr := range transposes {
			newProblem(r, tr.tA, tr.tB, s, 1, 1, 2).run(t)
		}
	}
}

// TestPortablePath: the path DFPLAN_GEMM=gonum selects reports itself and
// computes exactly what gonum computes.
func TestPortablePath(t *testing.T) {
	setPath("gonum")
	defer setPath(os.Getenv("DFPLAN_GEMM"))
	if Accelerated() {
		t.Fatal("Accelerated() with the portable path forced")
	}
	if got := Kernel(); !strings.HasPrefix(got, "gonum (pure Go)") || !strings.Contains(got, "DFPLAN_GEMM=gonum") {
		t.Fatalf("Kernel() = %q", got)
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, tr := range transposes {
		p := newProblem(r, tr.tA, tr.tB, shape{37, 41, 300}, 0.5, -0.5, 3)
		portable.Sgemm(trans(p.tA), trans(p.tB), p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.cGonum, p.ldc)
		Sgemm(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.c, p.ldc)
		for i := range p.c {
			if math.Float32bits(p.c[i]) != math.Float32bits(p.cGonum[i]) {
				t.Fatalf("%s: C[%d] = %v, gonum %v: the forced path is not gonum", tr.name, i, p.c[i], p.cGonum[i])
			}
		}
	}
}

// TestEnvOverride runs this test binary again with DFPLAN_GEMM=gonum and
// checks that init read it.
func TestEnvOverride(t *testing.T) {
	if os.Getenv("GEMM_TEST_CHILD") == "1" {
		if Accelerated() || !strings.Contains(Kernel(), "DFPLAN_GEMM=gonum") {
			fmt.Printf("child: Accelerated()=%v Kernel()=%q\n", Accelerated(), Kernel())
			os.Exit(3)
		}
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestEnvOverride$")
	cmd.Env = append(os.Environ(), "GEMM_TEST_CHILD=1", "DFPLAN_GEMM=gonum")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child with DFPLAN_GEMM=gonum: %v\n%s", err, out)
	}
}

func TestKernelName(t *testing.T) {
	ok, why := cpuReason()
	t.Logf("Kernel() = %q, Accelerated() = %v", Kernel(), Accelerated())
	if os.Getenv("DFPLAN_GEMM") == "gonum" {
		return
	}
	if Accelerated() != ok {
		t.Fatalf("Accelerated() = %v, CPU support %v", Accelerated(), ok)
	}
	if !ok && !strings.Contains(Kernel(), why) {
		t.Fatalf("Kernel() = %q does not say why (%s)", Kernel(), why)
	}
}

func TestPanics(t *testing.T) {
	withAsm(t, func() {
		a := make([]float32, 100)
		for _, tc := range []struct {
			name string
			f    func()
		}{
			{"negative m", func() { Sgemm(false, false, -1, 2, 2, 1, a, 2, a, 2, 1, a, 2) }},
			{"lda", func() { Sgemm(false, false, 2, 2, 3, 1, a, 2, a, 2, 1, a, 2) }},
			{"ldc", func() { Sgemm(false, false, 2, 3, 2, 1, a, 2, a, 3, 1, a, 2) }},
			{"short c", func() { Sgemm(false, false, 20, 20, 2, 1, a, 2, a, 20, 1, a[:50], 20) }},
		} {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%s: no panic", tc.name)
					}
				}()
				tc.f()
			}()
		}
	})
}

// TestConcurrent: calls from several goroutines at once (the callers split
// work across cores) each get their own packing buffers.
func TestConcurrent(t *testing.T) {
	withAsm(t, func() {
		r := rand.New(rand.NewPCG(11, 12))
		var ps []*problem
		for i := range 8 {
			ps = append(ps, newProblem(r, i%2 == 1, i%4 >= 2, shape{100 + i, 70 + i, 300 + i}, 1, 1, 1))
		}
		c0 := make([][]float32, len(ps))
		for i, p := range ps {
			c0[i] = append([]float32(nil), p.c...)
			portable.Sgemm(trans(p.tA), trans(p.tB), p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.cGonum, p.ldc)
		}
		done := make(chan struct{})
		for _, p := range ps {
			go func() {
				defer func() { done <- struct{}{} }()
				Sgemm(p.tA, p.tB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.beta, p.c, p.ldc)
			}()
		}
		for range ps {
			<-done
		}
		for i, p := range ps {
			p.check(t, c0[i])
		}
	})
}
