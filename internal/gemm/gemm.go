package gemm

import (
	"os"
	"sync"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// Micro-tile and cache blocking. The micro-kernel computes an mr×nr tile of
// C from mr rows of op(A) (read in place) and a panel of nr columns of
// op(B), both kc long; the kernel sweeps an mc×kc block of A (which stays
// in L2) against one kc×nr panel of B (16 KiB at kc = 256, in L1); a kc×nc
// block of B is packed once per (column block, k block) and reused by
// every row block.
const (
	mr      = 6
	nr      = 16
	kcBlock = 256
	mcBlock = 144 // a multiple of mr
	ncBlock = 1024
)

var (
	useAsm     bool   // the assembly path is in use
	kernelName string // what Kernel reports
)

func init() { setPath(os.Getenv("DFPLAN_GEMM")) }

// setPath chooses the path as init does for the environment value env; the
// tests call it to force the portable path.
func setPath(env string) {
	ok, why := cpuReason()
	switch {
	case env == "gonum":
		useAsm, kernelName = false, "gonum (pure Go): DFPLAN_GEMM=gonum"
	case !ok:
		useAsm, kernelName = false, "gonum (pure Go): "+why
	default:
		useAsm, kernelName = true, "avx2-fma 6x16"
	}
}

// Accelerated reports whether Sgemm uses the assembly kernel.
func Accelerated() bool { return useAsm }

// Kernel names the path Sgemm uses and, for the portable one, why: e.g.
// "avx2-fma 6x16" or "gonum (pure Go): no AVX2/FMA".
func Kernel() string { return kernelName }

var portable = gonum.Implementation{}

// Sgemm computes C = alpha·op(A)·op(B) + beta·C, row-major, like BLAS sgemm
// (op(X) = X or Xᵀ per transA/transB), m×n result, inner dimension k.
//
// The arguments mean what they mean to gonum's blas32 Sgemm with row-major
// storage: op(A) is m×k, stored as A (m×k, lda ≥ k) or Aᵀ (k×m, lda ≥ m);
// op(B) is k×n, stored as B (k×n, ldb ≥ n) or Bᵀ (n×k, ldb ≥ k); C is m×n
// with ldc ≥ n. Elements of C outside the m×n window are not touched. Bad
// dimensions, leading dimensions or slice lengths panic.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if !useAsm {
		portable.Sgemm(trans(transA), trans(transB), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	check(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if beta != 1 {
		scale(beta, m, n, c, ldc)
	}
	if alpha == 0 || k == 0 {
		return
	}
	blocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, c, ldc)
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// check panics, with gonum's messages, on what gonum would panic on.
func check(tA, tB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	switch {
	case m < 0:
		panic("blas: m < 0")
	case n < 0:
		panic("blas: n < 0")
	case k < 0:
		panic("blas: k < 0")
	case tA && lda < max(1, m), !tA && lda < max(1, k):
		panic("blas: bad leading dimension of A")
	case tB && ldb < max(1, k), !tB && ldb < max(1, n):
		panic("blas: bad leading dimension of B")
	case ldc < max(1, n):
		panic("blas: bad leading dimension of C")
	}
	if m == 0 || n == 0 {
		return
	}
	switch {
	case tA && len(a) < (k-1)*lda+m, !tA && len(a) < (m-1)*lda+k:
		panic("blas: insufficient length of a")
	case tB && len(b) < (n-1)*ldb+k, !tB && len(b) < (k-1)*ldb+n:
		panic("blas: insufficient length of b")
	case len(c) < (m-1)*ldc+n:
		panic("blas: insufficient length of c")
	}
}

// scale sets the m×n window of C to beta·C, or to zero when beta is zero
// (so that NaNs in C do not survive, as in BLAS).
func scale(beta float32, m, n int, c []float32, ldc int) {
	for i := range m {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

type buffers struct {
	a []float32 // packed panels of op(A) = Aᵀ
	b []float32 // packed panels of op(B)
}

var pool = sync.Pool{New: func() any {
	return &buffers{a: make([]float32, mcBlock*kcBlock), b: make([]float32, kcBlock*ncBlock)}
}}

// directBRows: when op(B) is B (not transposed) and m is at most this, the
// kernel reads B in place instead of from packed panels: with few rows each
// panel would be used too few times to pay for packing it. (A variable so
// that benchmarks can compare.)
var directBRows = 48

// blocks splits n into as few blocks of at most size as it can, of equal
// length up to rounding to a multiple of unit, and returns that length.
func blocks(n, size, unit int) int {
	nb := (n + size - 1) / size
	l := (n + nb - 1) / nb
	return (l + unit - 1) / unit * unit
}

// blocked adds alpha·op(A)·op(B) to C with the kernels; the arguments have
// been checked and k, m, n are positive.
func blocked(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	buf := pool.Get().(*buffers)
	defer pool.Put(buf)
	kcLen := blocks(k, kcBlock, 1)
	mcLen := blocks(m, mcBlock, mr)
	ncLen := blocks(n, ncBlock, nr)
	directB := !tB && m <= directBRows
	for j0 := 0; j0 < n; j0 += ncLen {
		nc := min(ncLen, n-j0)
		for p0 := 0; p0 < k; p0 += kcLen {
			kc := min(kcLen, k-p0)
			var bs bsrc
			if directB {
				bs = bsrc{b: b[p0*ldb+j0:], ld: ldb, packed: buf.b}
				if full := nc / nr * nr; full < nc {
					// The last, partial panel is packed (zero-padded):
					// reading 16 columns in place could run off B.
					packB(buf.b[full*kc:], tB, b, ldb, p0, kc, j0+full, nc-full)
				}
			} else {
				packB(buf.b, tB, b, ldb, p0, kc, j0, nc)
				bs = bsrc{packed: buf.b}
			}
			for i0 := 0; i0 < m; i0 += mcLen {
				mc := min(mcLen, m-i0)
				var as asrc
				switch {
				case tA && n >= packTransAMinN:
					packAT(buf.a, a, lda, i0, mc, p0, kc)
					as = asrc{a: buf.a, packed: true}
				case tA:
					as = asrc{a: a[p0*lda+i0:], rs: 1, ks: lda}
				default:
					as = asrc{a: a[i0*lda+p0:], rs: lda, ks: 1}
				}
				macro(mc, nc, kc, alpha, as, bs, c[i0*ldc+j0:], ldc)
			}
		}
	}
}

// asrc says where the kernel finds an mc×kc block of op(A). Read in place,
// row i, step p is at a[i·rs + p·ks] (row-major A: rs lda, ks 1;
// transposed: rs 1, ks lda). Packed (by packAT), the panel of h rows
// starting at row i is at a[i·kc:], row r, step p at p·h + r.
//
// Row-major A is read in place: the kernel's broadcasts do not need it
// contiguous, six rows are six sequential streams, and packing it into
// panels as BLIS does measured 10–25% slower on the shapes above.
// Transposed A is read in place too (each k step reads mr adjacent floats
// of one row of A) unless n ≥ packTransAMinN: packing it cost 10–25% with
// n ≤ 128 (the kernel sweeps each panel against few B panels) and gained
// 15% at 33×500·500×257 (cpuGFLOP/s, BenchmarkSgemm's method).
type asrc struct {
	a      []float32
	rs, ks int
	packed bool
}

// packTransAMinN: pack transposed A when n is at least this (a variable so
// that benchmarks can compare).
var packTransAMinN = 256

// panelRows is the height of the next panel of op(A) with left rows left:
// mr, except that 7 or 8 rows go as 4+3 or 4+4 rather than 6+1 or 6+2, which
// would leave most of the small kernel's FMA pipes idle.
func panelRows(left int) int {
	if left > mr && left < mr+3 {
		return 4
	}
	return min(mr, left)
}

// packAT copies rows i0…i0+mc, columns p0…p0+kc of op(A) = Aᵀ into dst as
// panels of panelRows rows: the panel of h rows starting at row i at
// dst[i·kc:], row r, step p at p·h + r. Each step p reads one contiguous
// run of A.
func packAT(dst []float32, a []float32, lda, i0, mc, p0, kc int) {
	for p := range kc {
		row := a[(p0+p)*lda+i0:][:mc]
		for ir, h := 0, 0; ir < mc; ir += h {
			h = panelRows(mc - ir)
			d := dst[ir*kc+p*h:][:h]
			src := row[ir : ir+h]
			if h == mr {
				d = d[:mr:mr]
				src = src[:mr:mr]
				d[0], d[1], d[2], d[3], d[4], d[5] = src[0], src[1], src[2], src[3], src[4], src[5]
				continue
			}
			for r, v := range src {
				d[r] = v
			}
		}
	}
}

// bsrc says where the kernel finds a kc×nc block of op(B): packed panels of
// nr columns (panel q at packed[q·nr·kc], rows nr apart), or, when b is set,
// in place (panel q at b[q·nr], rows ld apart) except a partial last panel,
// which is packed.
type bsrc struct {
	b, packed []float32
	ld        int
}

// macro adds alpha times the product of an mc×kc block of op(A) and a
// kc×nc block of op(B) to the mc×nc window of C at c.
func macro(mc, nc, kc int, alpha float32, as asrc, bs bsrc, c []float32, ldc int) {
	for jr := 0; jr < nc; jr += nr {
		nw := min(nr, nc-jr)
		var bp *float32
		ldb := nr
		if bs.b != nil && nw == nr {
			bp, ldb = &bs.b[jr], bs.ld
		} else {
			bp = &bs.packed[jr*kc]
		}
		for ir, mh := 0, 0; ir < mc; ir += mh {
			mh = panelRows(mc - ir)
			ap, rs, ks := &as.a[ir*as.rs], as.rs, as.ks
			if as.packed {
				ap, rs, ks = &as.a[ir*kc], 1, mh
			}
			if nw == nr {
				kernel(mh, kc, ap, rs, ks, bp, ldb, &c[ir*ldc+jr], ldc, alpha)
				continue
			}
			// A partial tile: the kernel updates a copy of it, so that
			// each element of C gets the same fused C + alpha·acc as in a
			// full tile (adding alpha·acc rounded would round twice).
			var t [mr * nr]float32
			for i := range mh {
				copy(t[i*nr:i*nr+nw], c[(ir+i)*ldc+jr:][:nw])
			}
			kernel(mh, kc, ap, rs, ks, bp, ldb, &t[0], nr, alpha)
			for i := range mh {
				copy(c[(ir+i)*ldc+jr:][:nw], t[i*nr:i*nr+nw])
			}
		}
	}
}

// packB copies rows p0…p0+kc, columns j0…j0+nc of op(B) into dst as panels
// of nr columns, each stored row by row (nr floats per k step), the last
// panel zero-padded to nr columns.
func packB(dst []float32, tB bool, b []float32, ldb, p0, kc, j0, nc int) {
	for jr := 0; jr < nc; jr += nr {
		d := dst[jr*kc : jr*kc+nr*kc]
		nw := min(nr, nc-jr)
		if !tB {
			for p := range kc {
				dd := d[p*nr : p*nr+nr]
				copy(dd, b[(p0+p)*ldb+j0+jr:][:nw])
				clear(dd[nw:])
			}
			continue
		}
		// op(B)[p][j] = B[j][p]: each column of the panel is a contiguous
		// run of B. Full panels are transposed 8×8 at a time in assembly,
		// the rest of them and partial panels element by element.
		p8 := 0
		if nw == nr {
			src := b[(j0+jr)*ldb+p0:]
			_ = src[(nr-1)*ldb+kc-1] // what packBT16 reads is in b
			p8 = kc / 8 * 8
			if p8 > 0 {
				packBT16(&d[0], &src[0], ldb, kc/8)
			}
		} else {
			clear(d)
		}
		for j := range nw {
			row := b[(j0+jr+j)*ldb+p0:][:kc]
			for p := p8; p < kc; p++ {
				d[p*nr+j] = row[p]
			}
		}
	}
}
