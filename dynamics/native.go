package dynamics

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// The planner's network passes — x̂0, and x̂0 with the vector–Jacobian
// product that guidance pulls back through the GRU — written out by hand.
// They compute the same function as the gorgonia graph in graph.go (which
// stays the reference, and the only path that trains), without its per-op
// bookkeeping and allocations: at one robot's batch size those cost about
// four times the arithmetic (go test -bench Predict ./dynamics). Matrix
// products go to gonum's BLAS; rows are time-major (t·B + b) as in the graph.

var blas32 = gonum.Implementation{}

// dense is a linear layer's weights viewed as a row-major in×out matrix and
// its bias.
type dense struct {
	w       []float32
	b       []float32
	in, out int
}

func (m *Model) dense(name string) dense {
	w := m.byName[name+".weight"]
	return dense{w: w.data, b: m.byName[name+".bias"].data, in: w.shape[0], out: w.shape[1]}
}

// apply sets y (rows×out) = x (rows×in) · W + b.
func (l dense) apply(y, x []float32, rows int) {
	for r := range rows {
		copy(y[r*l.out:(r+1)*l.out], l.b)
	}
	blas32.Sgemm(blas.NoTrans, blas.NoTrans, rows, l.out, l.in, 1, x, l.in, l.w, l.out, 1, y, l.out)
}

// back adds gy (rows×out) · Wᵀ to gx (rows×in).
func (l dense) back(gx, gy []float32, rows int) {
	blas32.Sgemm(blas.NoTrans, blas.Trans, rows, l.in, l.out, 1, gy, l.out, l.w, l.out, 1, gx, l.in)
}

// sigmoid is gorgonia's float32 logistic function, so that both paths
// agree to rounding.
func sigmoid(x float32) float32 {
	if x < -88 {
		return 0
	}
	if x > 15 {
		return 1
	}
	return float32(1.0 / (1.0 + math.Exp(float64(-x))))
}

func tanh32(x float32) float32 { return float32(math.Tanh(float64(x))) }

// silu sets y = x·σ(x) and, unless sig is nil, records σ(x) in sig for
// siluBack.
func silu(y, x, sig []float32) {
	if sig == nil {
		for i, v := range x {
			y[i] = v * sigmoid(v)
		}
		return
	}
	for i, v := range x {
		s := sigmoid(v)
		sig[i] = s
		y[i] = v * s
	}
}

// siluBack multiplies g in place by the derivative of silu at x,
// σ(x)·(1 + x·(1 − σ(x))), with σ(x) as silu recorded it in sig.
func siluBack(g, x, sig []float32) {
	for i, v := range x {
		s := sig[i]
		g[i] *= s * (1 + v*(1-s))
	}
}

// layers are the network's weights, looked up once per pass.
type layers struct {
	enc           [3]dense
	preIn         dense
	pre           [][2]dense // residual blocks: fc1, fc2
	preOut        dense
	reset, upd    dense
	candIn, candH dense
	postIn        dense
	post          [][2]dense
	head          dense
}

func (m *Model) layers() *layers {
	l := &layers{
		enc:    [3]dense{m.dense("encoder.0"), m.dense("encoder.1"), m.dense("encoder.2")},
		preIn:  m.dense("pre.in"),
		preOut: m.dense("pre.out"),
		reset:  m.dense("gru.reset"), upd: m.dense("gru.update"),
		candIn: m.dense("gru.cand_in"), candH: m.dense("gru.cand_hid"),
		postIn: m.dense("post.in"),
		head:   m.dense("head"),
	}
	for i := range m.cfg.Layers {
		l.pre = append(l.pre, [2]dense{m.dense(blockName("pre", i, 1)), m.dense(blockName("pre", i, 2))})
		l.post = append(l.post, [2]dense{m.dense(blockName("post", i, 1)), m.dense(blockName("post", i, 2))})
	}
	return l
}

func blockName(prefix string, i, fc int) string {
	return fmt.Sprintf("%s.%d.fc%d", prefix, i, fc)
}

// tape holds one pass's activations, every array time-major over N = H·B
// rows, as far as the backward pass needs them.
type tape struct {
	b, h int
	aIn  []float32   // N × Hidden, pre.in before silu
	sIn  []float32   // N × Hidden, σ(aIn)
	aPre [][]float32 // per pre-GRU residual block: N × Hidden, fc1 before silu
	sPre [][]float32 // σ of aPre
	r, s []float32   // N × ZDim gates
	ch   []float32   // N × ZDim, U_n z + c_n
	n    []float32   // N × ZDim candidate
	z    []float32   // N × ZDim, z_t
	z0   []float32   // B × ZDim
	aP   []float32   // N × Hidden, post.in before silu
	sP   []float32   // N × Hidden, σ(aP)
	aPos [][]float32 // per post-GRU residual block: N × Hidden, fc1 before silu
	sPos [][]float32 // σ of aPos
	out  []float32   // N × TokenDim, x̂0
}

// residual runs blocks h ← h + fc2(silu(fc1(h))) in place over rows rows of
// h, recording fc1's output of block j in a[j] and its σ in sa[j] (rows ×
// Hidden each); f and g are rows × Hidden scratch.
func residual(blocks [][2]dense, h []float32, rows int, a, sa [][]float32, f, g []float32) {
	for j, d := range blocks {
		d[0].apply(a[j], h, rows)
		silu(g, a[j], sa[j])
		d[1].apply(f, g, rows)
		for i := range h {
			h[i] += f[i]
		}
	}
}

// forward runs the network on in (already checked) and records the tape.
func (m *Model) forward(l *layers, in *Input) *tape {
	c := m.cfg
	B, H := in.B, in.H
	N := B * H
	td, e, zd, hd := c.TokenDim(), c.EmbedDim, c.ZDim, c.Hidden
	row := td + e + zd
	mk := func(w int) []float32 { return make([]float32, N*w) }
	tp := &tape{b: B, h: H, aIn: mk(hd), sIn: mk(hd), r: mk(zd), s: mk(zd), ch: mk(zd), n: mk(zd), z: mk(zd), aP: mk(hd), sP: mk(hd), out: mk(td)}
	for range l.pre {
		tp.aPre, tp.sPre = append(tp.aPre, mk(hd)), append(tp.sPre, mk(hd))
	}
	for range l.post {
		tp.aPos, tp.sPos = append(tp.aPos, mk(hd)), append(tp.sPos, mk(hd))
	}
	if in.Z0 != nil {
		tp.z0 = append([]float32(nil), in.Z0...)
	} else {
		eh := c.EncoderHidden
		a, s := make([]float32, B*eh), make([]float32, B*eh)
		l.enc[0].apply(a, in.Obs0, B)
		silu(s, a, nil)
		l.enc[1].apply(a, s, B)
		silu(s, a, nil)
		tp.z0 = make([]float32, B*zd)
		l.enc[2].apply(tp.z0, s, B)
		for i, v := range tp.z0 {
			tp.z0[i] = tanh32(v)
		}
	}

	// The recurrence, one token (B rows) at a time.
	inp, h, u, uz := make([]float32, B*row), make([]float32, B*hd), make([]float32, B*zd), make([]float32, B*2*zd)
	f, g := make([]float32, N*hd), make([]float32, N*hd)
	aPre, sPre := make([][]float32, len(l.pre)), make([][]float32, len(l.pre))
	zPrev := tp.z0
	for t := range H {
		rows := func(a []float32, w int) []float32 { return a[t*B*w : (t+1)*B*w] }
		for b := range B {
			i := b*H + t
			dst := inp[b*row : (b+1)*row]
			copy(dst[:td], in.X[i*td:(i+1)*td])
			copy(dst[td:td+e], m.emb[in.K[i]*e:(in.K[i]+1)*e])
			copy(dst[td+e:], zPrev[b*zd:(b+1)*zd])
		}
		aIn := rows(tp.aIn, hd)
		l.preIn.apply(aIn, inp, B)
		silu(h, aIn, rows(tp.sIn, hd))
		for j := range aPre {
			aPre[j], sPre[j] = rows(tp.aPre[j], hd), rows(tp.sPre[j], hd)
		}
		residual(l.pre, h, B, aPre, sPre, f[:B*hd], g[:B*hd])
		l.preOut.apply(u, h, B)
		for b := range B {
			copy(uz[b*2*zd:b*2*zd+zd], u[b*zd:(b+1)*zd])
			copy(uz[b*2*zd+zd:(b+1)*2*zd], zPrev[b*zd:(b+1)*zd])
		}
		r, s, ch, n, z := rows(tp.r, zd), rows(tp.s, zd), rows(tp.ch, zd), rows(tp.n, zd), rows(tp.z, zd)
		l.reset.apply(r, uz, B)
		l.upd.apply(s, uz, B)
		l.candIn.apply(n, u, B)
		l.candH.apply(ch, zPrev, B)
		for i := range n {
			r[i], s[i] = sigmoid(r[i]), sigmoid(s[i])
			n[i] = tanh32(n[i] + r[i]*ch[i])
			z[i] = n[i] + s[i]*(zPrev[i]-n[i])
		}
		zPrev = z
	}

	// After the GRU every token is independent: one product over N rows.
	hP := make([]float32, N*hd)
	l.postIn.apply(tp.aP, tp.z, N)
	silu(hP, tp.aP, tp.sP)
	residual(l.post, hP, N, tp.aPos, tp.sPos, f, g)
	l.head.apply(tp.out, hP, N)
	return tp
}

// residualBack pulls gh (rows × Hidden, the gradient on the blocks' output)
// back to their input in place; a are the blocks' recorded fc1 outputs and
// gf is rows × Hidden scratch. h_out = h_in + fc2(silu(fc1(h_in))), so gh
// flows through unchanged and through the branch.
func residualBack(blocks [][2]dense, gh []float32, rows int, a, sa [][]float32, gf []float32) {
	for j := len(blocks) - 1; j >= 0; j-- {
		clear(gf)
		blocks[j][1].back(gf, gh, rows)
		siluBack(gf, a[j], sa[j])
		blocks[j][0].back(gh, gf, rows)
	}
}

// backward returns (∂x̂0/∂X)ᵀ·gOut for the tokens, both time-major N×TokenDim.
func (m *Model) backward(l *layers, tp *tape, gOut []float32) []float32 {
	c := m.cfg
	B, H := tp.b, tp.h
	N := B * H
	td, e, zd, hd := c.TokenDim(), c.EmbedDim, c.ZDim, c.Hidden
	row := td + e + zd

	// Post-GRU layers, all tokens at once: gradient on every z_t.
	gh := make([]float32, N*hd)
	l.head.back(gh, gOut, N)
	gf := make([]float32, N*hd)
	residualBack(l.post, gh, N, tp.aPos, tp.sPos, gf)
	siluBack(gh, tp.aP, tp.sP)
	gz := make([]float32, N*zd)
	l.postIn.back(gz, gh, N)

	// Back through time. gz rows of token t hold dJ/dz_t; processing token
	// t adds its share of dJ/dz_{t−1} to the rows of token t−1.
	gx := make([]float32, N*td)
	gzPrev := make([]float32, B*zd)
	gn, gu, gr, gs := make([]float32, B*zd), make([]float32, B*zd), make([]float32, B*zd), make([]float32, B*zd)
	guz, gch := make([]float32, B*2*zd), make([]float32, B*zd)
	aPre, sPre := make([][]float32, len(l.pre)), make([][]float32, len(l.pre))
	ghT, gfT := make([]float32, B*hd), make([]float32, B*hd)
	ginp := make([]float32, B*row)
	for t := H - 1; t >= 0; t-- {
		rows := func(a []float32, w int) []float32 { return a[t*B*w : (t+1)*B*w] }
		zPrev := tp.z0
		if t > 0 {
			zPrev = tp.z[(t-1)*B*zd : t*B*zd]
		}
		gzt := rows(gz, zd)
		r, s, ch, n := rows(tp.r, zd), rows(tp.s, zd), rows(tp.ch, zd), rows(tp.n, zd)
		clear(gzPrev)
		for i, g := range gzt {
			// z = n + s(z' − n), n = tanh(a), a = W_n u + b + r⊙ch
			gzPrev[i] = g * s[i]
			gs[i] = g * (zPrev[i] - n[i]) * s[i] * (1 - s[i])
			ga := g * (1 - s[i]) * (1 - n[i]*n[i])
			gn[i] = ga
			gr[i] = ga * ch[i] * r[i] * (1 - r[i])
			gch[i] = ga * r[i]
		}
		l.candH.back(gzPrev, gch, B)
		clear(gu)
		l.candIn.back(gu, gn, B)
		// [u, z'] feeds both gates.
		clear(guz)
		l.reset.back(guz, gr, B)
		l.upd.back(guz, gs, B)
		for b := range B {
			for i := range zd {
				gu[b*zd+i] += guz[b*2*zd+i]
				gzPrev[b*zd+i] += guz[b*2*zd+zd+i]
			}
		}
		clear(ghT)
		l.preOut.back(ghT, gu, B)
		for j := range aPre {
			aPre[j], sPre[j] = rows(tp.aPre[j], hd), rows(tp.sPre[j], hd)
		}
		residualBack(l.pre, ghT, B, aPre, sPre, gfT)
		siluBack(ghT, rows(tp.aIn, hd), rows(tp.sIn, hd))
		clear(ginp)
		l.preIn.back(ginp, ghT, B)
		gxt := rows(gx, td)
		for b := range B {
			copy(gxt[b*td:(b+1)*td], ginp[b*row:b*row+td])
			for i := range zd {
				gzPrev[b*zd+i] += ginp[b*row+td+e+i]
			}
		}
		if t > 0 {
			g := gz[(t-1)*B*zd : t*B*zd]
			for i, v := range gzPrev {
				g[i] += v
			}
		}
	}
	return gx
}
