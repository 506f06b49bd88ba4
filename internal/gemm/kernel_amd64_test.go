//go:build amd64

package gemm

import (
	"testing"

	"github.com/dfplan/dfplan/internal/cputime"
)

// BenchmarkKernel: the micro-kernel alone on packed panels that stay in L1,
// the ceiling for the whole product.
func BenchmarkKernel(b *testing.B) {
	if !Accelerated() {
		b.Skip(Kernel())
	}
	const kc = 256
	pa := make([]float32, mr*kc)
	pb := make([]float32, nr*kc)
	c := make([]float32, mr*nr)
	for i := range pa {
		pa[i] = 1e-3
	}
	for i := range pb {
		pb[i] = 1e-3
	}
	t0 := cputime.Process()
	for b.Loop() {
		kern6x16(kc, &pa[0], 1, mr, &pb[0], nr, &c[0], nr, 1)
	}
	fl := 2 * float64(mr*nr*kc) * float64(b.N)
	b.ReportMetric(fl/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if cpu := cputime.Process() - t0; cpu > 0 {
		b.ReportMetric(fl/cpu.Seconds()/1e9, "cpuGFLOP/s")
	}
}
