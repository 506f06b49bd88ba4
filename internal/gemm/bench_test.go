package gemm

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/dfplan/dfplan/internal/cputime"
)

// benchShapes are the network's products (op(A) m×k · op(B) k×n) and a few
// wider ones; name gives the transposes.
var benchShapes = []struct {
	tr      string
	m, k, n int
}{
	{"NN", 4, 4, 4}, // tiny: call and packing overhead
	{"NN", 1, 8, 8},
	{"NN", 8, 8, 8},
	{"NN", 1, 128, 128}, // 1–3 rows: one sequence, or a row remainder
	{"NN", 2, 128, 128},
	{"NN", 3, 128, 128},
	{"NN", 1, 156, 128},
	{"NT", 1, 128, 64},
	{"TN", 3, 512, 512},
	{"NN", 16, 32, 32},
	{"NN", 32, 156, 128},
	{"NN", 32, 128, 128},
	{"NT", 32, 128, 64},
	{"NN", 768, 64, 128},
	{"NN", 768, 128, 60},
	{"NN", 1024, 192, 128},
	{"TN", 128, 768, 128},
	{"NN", 32, 512, 512},
	{"NT", 32, 512, 512},
	{"TN", 512, 2048, 512},
	{"NN", 2048, 512, 512},
}

// BenchmarkSgemm: C += op(A)·op(B) per shape, on the assembly path and on
// gonum, in GFLOP/s (2·m·n·k per product). Run on one thread:
//
//	GOMAXPROCS=1 go test -run xxx -bench Sgemm -cpu 1 ./internal/gemm
func BenchmarkSgemm(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, s := range benchShapes {
		tA, tB := s.tr[0] == 'T', s.tr[1] == 'T'
		p := newProblem(r, tA, tB, shape{s.m, s.n, s.k}, 1, 1, 0)
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		name := fmt.Sprintf("%s_%dx%dx%d", s.tr, s.m, s.k, s.n)
		for _, path := range []string{"asm", "gonum"} {
			b.Run(name+"/"+path, func(b *testing.B) {
				b.ReportAllocs()
				if path == "asm" && !Accelerated() {
					b.Skipf("no assembly path: %s", Kernel())
				}
				t0 := cputime.Process()
				for b.Loop() {
					if path == "asm" {
						Sgemm(tA, tB, s.m, s.n, s.k, 1, p.a, p.lda, p.b, p.ldb, 1, p.c, p.ldc)
					} else {
						portable.Sgemm(trans(tA), trans(tB), s.m, s.n, s.k, 1, p.a, p.lda, p.b, p.ldb, 1, p.c, p.ldc)
					}
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				if cpu := cputime.Process() - t0; cpu > 0 {
					b.ReportMetric(flops*float64(b.N)/cpu.Seconds()/1e9, "cpuGFLOP/s")
				}
			})
		}
	}
}
