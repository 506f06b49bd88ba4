//go:build amd64

package gemm

import "golang.org/x/sys/cpu"

//go:generate go run gen_kernels.go

// The micro-kernels kernRx16 (kernel_amd64.s) add alpha times the R×16
// product of R rows of op(A) and 16 columns of op(B), k long, to the R×16
// tile of C at c (rows ldc floats apart). Element (r, p) of the A rows is
// at a[r·rs + p·ks] (packed panels: rs 1, ks 6; row-major A: rs lda, ks 1;
// transposed A: rs 1, ks lda); row p of the B columns is the 16 floats at
// b[p·ldb] (packed panels: ldb 16). They read exactly those elements and
// read and write exactly the tile of C.

//go:noescape
func kern1x16(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func kern2x16(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func kern3x16(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func kern4x16(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func kern5x16(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha float32)

//go:noescape
func kern6x16(k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha float32)

// packBT16 transposes a 16-row, 8·blocks-column block of B (rows lds
// floats apart) into a packed panel: for q < blocks, i < 8, j < 16,
// dst[(8q+i)·16 + j] = src[j·lds + 8q+i].
//
//go:noescape
func packBT16(dst *float32, src *float32, lds int, blocks int)

// kernel runs the micro-kernel for rows (1…mr) rows.
func kernel(rows, k int, a *float32, rs, ks int, b *float32, ldb int, c *float32, ldc int, alpha float32) {
	switch rows {
	case 6:
		kern6x16(k, a, rs, ks, b, ldb, c, ldc, alpha)
	case 5:
		kern5x16(k, a, rs, ks, b, ldb, c, ldc, alpha)
	case 4:
		kern4x16(k, a, rs, ks, b, ldb, c, ldc, alpha)
	case 3:
		kern3x16(k, a, rs, ks, b, ldb, c, ldc, alpha)
	case 2:
		kern2x16(k, a, rs, ks, b, ldb, c, ldc, alpha)
	case 1:
		kern1x16(k, a, rs, ks, b, ldb, c, ldc, alpha)
	}
}

func cpuReason() (ok bool, why string) {
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		return true, ""
	}
	return false, "no AVX2/FMA"
}
