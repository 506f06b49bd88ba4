package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// rowsProduct computes rows of C = alpha·op(A)·op(B) + beta·C with Sgemm,
// where op(A)'s rows are aRows (each k long) and C's initial rows cRows
// (each n long), storing A transposed or not per tA with leading
// dimensions pad wider than needed; op(B) is b (ldb) as given. It returns
// the rows of the result.
func rowsProduct(tA, tB bool, n, k int, alpha, beta float32, aRows [][]float32, b []float32, ldb int, cRows [][]float32, pad int) [][]float32 {
	m := len(aRows)
	var a []float32
	var lda int
	if tA {
		lda = m + pad
		a = make([]float32, k*lda)
		for i, row := range aRows {
			for p, v := range row {
				a[p*lda+i] = v
			}
		}
	} else {
		lda = k + pad
		a = make([]float32, m*lda)
		for i, row := range aRows {
			copy(a[i*lda:], row)
		}
	}
	ldc := n + pad
	c := make([]float32, m*ldc)
	for i, row := range cRows {
		copy(c[i*ldc:], row)
	}
	Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	out := make([][]float32, m)
	for i := range out {
		out[i] = c[i*ldc : i*ldc+n]
	}
	return out
}

// TestRowInvariance: a row of C depends only on its own row of op(A) and
// of C, bit for bit, whatever number of rows it is multiplied with and
// whatever its position among them. Callers rely on this: dynamics splits
// a batch of sequences across goroutines and batches different numbers of
// sequences, and a sequence's prediction must not change with the batch.
// 17 rows are multiplied at once, then in groups of 1…8 rows, in order and
// shuffled, and embedded at random positions among 200 rows (m > 48, so B
// is packed rather than read in place, and more than one row block); for
// each transpose pair and shapes with k over one k block and n not a
// multiple of 16, and with n ≥ 256 (transposed A packed).
//
// The portable path (gonum) is not held to this: gonum splits k into
// blocks when it goes parallel, which depends on m.
func TestRowInvariance(t *testing.T) {
	withAsm(t, func() { testRowInvariance(t) })
}

func testRowInvariance(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	const m = 17
	shapes := []struct{ n, k int }{
		{3, 5}, {16, 8}, {37, 300}, {60, 600}, {128, 156}, {31, 257}, {260, 20}, {300, 520},
	}
	params := []struct{ alpha, beta float32 }{{1, 1}, {0.5, -0.5}, {1, 0}}
	randRows := func(rows, cols int) [][]float32 {
		x := make([][]float32, rows)
		for i := range x {
			x[i] = make([]float32, cols)
			for j := range x[i] {
				x[i][j] = float32(r.NormFloat64())
			}
		}
		return x
	}
	for _, tr := range transposes {
		for _, s := range shapes {
			for pi, prm := range params {
				name := fmt.Sprintf("%s/n%d/k%d/a%g/b%g", tr.name, s.n, s.k, prm.alpha, prm.beta)
				pad := pi % 2 * 3
				ldb := s.n + pad
				if tr.tB {
					ldb = s.k + pad
				}
				bRows := s.k
				if tr.tB {
					bRows = s.n
				}
				b := make([]float32, bRows*ldb)
				for i := range b {
					b[i] = float32(r.NormFloat64())
				}
				aRows, cRows := randRows(m, s.k), randRows(m, s.n)
				want := rowsProduct(tr.tA, tr.tB, s.n, s.k, prm.alpha, prm.beta, aRows, b, ldb, cRows, pad)
				compare := func(how string, got [][]float32, idx []int) {
					t.Helper()
					for gi, i := range idx {
						for j := range s.n {
							if g, w := got[gi][j], want[i][j]; math.Float32bits(g) != math.Float32bits(w) {
								t.Fatalf("%s: %s: row %d, C[%d] = %v (%#08x), with all %d rows %v (%#08x)",
									name, how, i, j, g, math.Float32bits(g), m, w, math.Float32bits(w))
							}
						}
					}
				}
				orders := [][]int{make([]int, m), r.Perm(m)}
				for i := range orders[0] {
					orders[0][i] = i
				}
				for oi, order := range orders {
					for g := 1; g <= 8; g++ {
						for i0 := 0; i0 < m; i0 += g {
							idx := order[i0:min(i0+g, m)]
							var as, cs [][]float32
							for _, i := range idx {
								as, cs = append(as, aRows[i]), append(cs, cRows[i])
							}
							got := rowsProduct(tr.tA, tr.tB, s.n, s.k, prm.alpha, prm.beta, as, b, ldb, cs, 1-pi%2)
							compare(fmt.Sprintf("order %d, groups of %d", oi, g), got, idx)
						}
					}
				}
				// The 17 rows at random positions among 200.
				const big = 200
				as, cs := randRows(big, s.k), randRows(big, s.n)
				pos := r.Perm(big)[:m]
				for i, p := range pos {
					as[p], cs[p] = aRows[i], cRows[i]
				}
				got := rowsProduct(tr.tA, tr.tB, s.n, s.k, prm.alpha, prm.beta, as, b, ldb, cs, pad)
				sel := make([][]float32, m)
				idx := make([]int, m)
				for i, p := range pos {
					sel[i], idx[i] = got[p], i
				}
				compare(fmt.Sprintf("among %d rows", big), sel, idx)
			}
		}
	}
}
