// Package nn holds the dense layer that dfplan's hand-written network
// passes are built from (dynamics' sequence model, distance's network):
// its forward product, the pull-back of an output gradient, and the
// accumulation of its weight gradient, on internal/gemm.
package nn

import "github.com/dfplan/dfplan/internal/gemm"

// Dense is a linear layer's weights viewed as a row-major In×Out matrix
// W and its bias B; the same view over gradient buffers holds the
// layer's gradient.
type Dense struct {
	W, B    []float32
	In, Out int
	// WT, when set, is Wᵀ (Out×In): Back multiplies by it as it is
	// instead of transposing W on every call (WithTranspose).
	WT []float32
}

// sgemm adds op(A)·op(B) to C (row-major; m×n result, inner size k).
func sgemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	gemm.Sgemm(transA, transB, m, n, k, 1, a, lda, b, ldb, 1, c, ldc)
}

// WithTranspose returns l with Wᵀ kept beside W, for a layer that Back
// will pull many small batches through.
func (l Dense) WithTranspose() Dense {
	l.WT = make([]float32, len(l.W))
	for i := range l.In {
		for j := range l.Out {
			l.WT[j*l.In+i] = l.W[i*l.Out+j]
		}
	}
	return l
}

// Apply sets y (rows×Out) = x (rows×In) · W + B.
func (l Dense) Apply(y, x []float32, rows int) {
	for r := range rows {
		copy(y[r*l.Out:(r+1)*l.Out], l.B)
	}
	sgemm(false, false, rows, l.Out, l.In, x, l.In, l.W, l.Out, y, l.Out)
}

// Back adds gy (rows×Out) · Wᵀ to gx (rows×In).
func (l Dense) Back(gx, gy []float32, rows int) {
	if l.WT != nil {
		sgemm(false, false, rows, l.In, l.Out, gy, l.Out, l.WT, l.In, gx, l.In)
		return
	}
	sgemm(false, true, rows, l.In, l.Out, gy, l.Out, l.W, l.Out, gx, l.In)
}

// Grad adds the layer's weight gradient for input x (rows×In, row stride
// ldx) and output gradient gy (rows×Out) to l, a gradient view:
// ∂W += xᵀ·gy, ∂B += Σ_rows gy.
func (l Dense) Grad(x []float32, ldx int, gy []float32, rows int) {
	sgemm(true, false, l.In, l.Out, rows, x, ldx, gy, l.Out, l.W, l.Out)
	for r := range rows {
		for j, v := range gy[r*l.Out : (r+1)*l.Out] {
			l.B[j] += v
		}
	}
}
