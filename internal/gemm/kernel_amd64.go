//go:build amd64

package gemm

import "golang.org/x/sys/cpu"

// kern6x16 adds the 6×16 product of a packed A panel (k steps of 6 floats)
// and a B panel (k rows of 16 floats, ldb floats apart: 16 when packed) to
// the 6×16 tile of C at c, whose rows are ldc floats apart. It reads
// exactly 6·k floats of a, 16 floats from each of the k rows of b, and
// reads and writes the 6×16 tile of c.
//
//go:noescape
func kern6x16(k int, a *float32, b *float32, ldb int, c *float32, ldc int)

func cpuReason() (ok bool, why string) {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		return true, ""
	}
	return false, "no AVX2/FMA"
}
