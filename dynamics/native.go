package dynamics

import (
	"fmt"
	"math"

	"github.com/dfplan/dfplan/internal/nn"
	"github.com/dfplan/dfplan/internal/vecmath"
)

// The network's passes written out by hand: x̂0, the vector–Jacobian product
// that guidance pulls back through the GRU, and the gradient of the
// training loss with respect to every weight. They compute the same
// function as the gorgonia graph in graph.go, which stays the reference
// engine and the tests' oracle. Rows are time-major (t·B + b) as in the
// graph, so that everything after the GRU is one matrix product over all
// tokens, and so are the weight gradients of the layers inside the
// recurrence: their per-token inputs and gradients are recorded and
// multiplied once over all H·B rows.

// dense is a linear layer (internal/nn, shared with the distance
// network).
type dense = nn.Dense

func tanh32(x float32) float32 { return float32(math.Tanh(float64(x))) }

// silu sets y = x·σ(x) and records σ(x) in sig for siluBack
// (internal/vecmath: AVX2 where the CPU has it, with gorgonia's cut-offs so
// that both engines agree to rounding).
func silu(y, x, sig []float32) { vecmath.SiLU(y, sig, x) }

// siluBack multiplies g in place by the derivative of silu at x,
// σ(x)·(1 + x·(1 − σ(x))), with σ(x) as silu recorded it in sig.
func siluBack(g, x, sig []float32) { vecmath.SiLUBack(g, x, sig) }

// layers are the network's weights, looked up once per pass; the same
// structure over gradient buffers holds a pass's gradient.
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
	return m.layersOver(func(i int) []float32 { return m.params[i].data })
}

// layersOver views the arrays buf(i), one per parameter in m.params order
// (weights or their gradients), as layers.
func (m *Model) layersOver(buf func(i int) []float32) *layers {
	index := make(map[string]int, len(m.params))
	for i, p := range m.params {
		index[p.name] = i
	}
	d := func(name string) dense {
		w := m.byName[name+".weight"]
		return dense{W: buf(index[name+".weight"]), B: buf(index[name+".bias"]), In: w.shape[0], Out: w.shape[1]}
	}
	l := &layers{
		enc:    [3]dense{d("encoder.0"), d("encoder.1"), d("encoder.2")},
		preIn:  d("pre.in"),
		preOut: d("pre.out"),
		reset:  d("gru.reset"), upd: d("gru.update"),
		candIn: d("gru.cand_in"), candH: d("gru.cand_hid"),
		postIn: d("post.in"),
		head:   d("head"),
	}
	for i := range m.cfg.Layers {
		l.pre = append(l.pre, [2]dense{d(blockName("pre", i, 1)), d(blockName("pre", i, 2))})
		l.post = append(l.post, [2]dense{d(blockName("post", i, 1)), d(blockName("post", i, 2))})
	}
	return l
}

func blockName(prefix string, i, fc int) string {
	return fmt.Sprintf("%s.%d.fc%d", prefix, i, fc)
}

// tape holds one pass's activations, time-major over N = H·B rows, as far
// as the backward pass needs them.
type tape struct {
	b, h int
	obs0 []float32    // B × ObsDim, the encoder's input (nil when z0 was given)
	encA [2][]float32 // B × EncoderHidden: encoder.0 and .1 before silu
	encS [2][]float32 // their σ
	encH [2][]float32 // their silu, the next layer's input
	z0   []float32    // B × ZDim
	inp  []float32    // N × (TokenDim+EmbedDim+ZDim): [x_t, embed(k_t), z_{t−1}], pre.in's input
	aIn  []float32    // N × Hidden, pre.in before silu
	sIn  []float32    // σ(aIn)
	hPre [][]float32  // Layers+1 arrays N × Hidden: input of pre block j; the last is pre.out's input
	aPre [][]float32  // per pre block: fc1's output before silu
	sPre [][]float32  // σ of aPre
	uz   []float32    // N × 2·ZDim: [u_t, z_{t−1}], the gates' input
	r, s []float32    // N × ZDim gates
	ch   []float32    // N × ZDim, U_n z + c_n
	n    []float32    // N × ZDim candidate
	z    []float32    // N × ZDim, z_t
	aP   []float32    // N × Hidden, post.in before silu
	sP   []float32    // σ(aP)
	hPos [][]float32  // Layers+1 arrays: input of post block j; the last is the head's input
	aPos [][]float32
	sPos [][]float32
	out  []float32 // N × TokenDim, x̂0
}

// residual runs the blocks h_{j+1} = h_j + fc2(silu(fc1(h_j))) over rows
// rows, with h_0 = hs[0] given; it writes h_{j+1} to hs[j+1] and records
// fc1's output in a[j] and its σ in sa[j]; g is rows × Hidden scratch.
func residual(blocks [][2]dense, hs [][]float32, rows int, a, sa [][]float32, g []float32) {
	for j, d := range blocks {
		d[0].Apply(a[j], hs[j], rows)
		silu(g, a[j], sa[j])
		d[1].Apply(hs[j+1], g, rows)
		for i, v := range hs[j] {
			hs[j+1][i] += v
		}
	}
}

// rowArrays returns allocators of arrays of n rows: mk(w) is one n × w
// array, mks(k, w) is k of them.
func rowArrays(n int) (mk func(w int) []float32, mks func(k, w int) [][]float32) {
	mk = func(w int) []float32 { return make([]float32, n*w) }
	mks = func(k, w int) [][]float32 {
		s := make([][]float32, k)
		for i := range s {
			s[i] = mk(w)
		}
		return s
	}
	return mk, mks
}

// forward runs the network on in (already checked) and records the tape.
func (m *Model) forward(l *layers, in *Input) *tape {
	c := m.cfg
	B, H := in.B, in.H
	N := B * H
	td, e, zd, hd := c.TokenDim(), c.EmbedDim, c.ZDim, c.Hidden
	row := td + e + zd
	mk, mks := rowArrays(N)
	L := c.Layers
	tp := &tape{b: B, h: H, inp: mk(row), aIn: mk(hd), sIn: mk(hd),
		hPre: mks(L+1, hd), aPre: mks(L, hd), sPre: mks(L, hd),
		uz: mk(2 * zd), r: mk(zd), s: mk(zd), ch: mk(zd), n: mk(zd), z: mk(zd),
		aP: mk(hd), sP: mk(hd), hPos: mks(L+1, hd), aPos: mks(L, hd), sPos: mks(L, hd), out: mk(td)}
	if in.Z0 != nil {
		tp.z0 = append([]float32(nil), in.Z0...)
	} else {
		eh := c.EncoderHidden
		tp.obs0 = in.Obs0
		x := in.Obs0
		for i := range 2 {
			tp.encA[i], tp.encS[i], tp.encH[i] = make([]float32, B*eh), make([]float32, B*eh), make([]float32, B*eh)
			l.enc[i].Apply(tp.encA[i], x, B)
			silu(tp.encH[i], tp.encA[i], tp.encS[i])
			x = tp.encH[i]
		}
		tp.z0 = make([]float32, B*zd)
		l.enc[2].Apply(tp.z0, x, B)
		for i, v := range tp.z0 {
			tp.z0[i] = tanh32(v)
		}
	}

	// The recurrence, one token (B rows) at a time.
	g, u := make([]float32, B*hd), make([]float32, B*zd)
	hs, a, sa := make([][]float32, L+1), make([][]float32, L), make([][]float32, L)
	zPrev := tp.z0
	for t := range H {
		rows := func(x []float32, w int) []float32 { return x[t*B*w : (t+1)*B*w] }
		inp := rows(tp.inp, row)
		for b := range B {
			i := b*H + t
			dst := inp[b*row : (b+1)*row]
			copy(dst[:td], in.X[i*td:(i+1)*td])
			copy(dst[td:td+e], m.emb[in.K[i]*e:(in.K[i]+1)*e])
			copy(dst[td+e:], zPrev[b*zd:(b+1)*zd])
		}
		aIn := rows(tp.aIn, hd)
		l.preIn.Apply(aIn, inp, B)
		for j := range hs {
			hs[j] = rows(tp.hPre[j], hd)
		}
		for j := range a {
			a[j], sa[j] = rows(tp.aPre[j], hd), rows(tp.sPre[j], hd)
		}
		silu(hs[0], aIn, rows(tp.sIn, hd))
		residual(l.pre, hs, B, a, sa, g)
		l.preOut.Apply(u, hs[L], B)
		uz := rows(tp.uz, 2*zd)
		for b := range B {
			copy(uz[b*2*zd:b*2*zd+zd], u[b*zd:(b+1)*zd])
			copy(uz[b*2*zd+zd:(b+1)*2*zd], zPrev[b*zd:(b+1)*zd])
		}
		// GRU cell, PyTorch's gate convention:
		//   r = σ(W_r [u, z] + b_r), s = σ(W_s [u, z] + b_s)
		//   n = tanh(W_n u + b_n + r ⊙ (U_n z + c_n)),  z' = n + s ⊙ (z − n)
		r, s, ch, n, z := rows(tp.r, zd), rows(tp.s, zd), rows(tp.ch, zd), rows(tp.n, zd), rows(tp.z, zd)
		l.reset.Apply(r, uz, B)
		l.upd.Apply(s, uz, B)
		l.candIn.Apply(n, u, B)
		l.candH.Apply(ch, zPrev, B)
		vecmath.Sigmoid(r, r)
		vecmath.Sigmoid(s, s)
		for i := range n {
			n[i] = tanh32(n[i] + r[i]*ch[i])
			z[i] = n[i] + s[i]*(zPrev[i]-n[i])
		}
		zPrev = z
	}

	// After the GRU every token is independent: one product over N rows.
	l.postIn.Apply(tp.aP, tp.z, N)
	silu(tp.hPos[0], tp.aP, tp.sP)
	residual(l.post, tp.hPos, N, tp.aPos, tp.sPos, make([]float32, N*hd))
	l.head.Apply(tp.out, tp.hPos[L], N)
	return tp
}

// residualBack pulls gh (rows × Hidden, the gradient on the last block's
// output) back to the first block's input, in place. For each block j it
// leaves the gradient on fc1's output (before silu) in gA[j] and, when
// gOut is not nil, a copy of the gradient on the block's output in
// gOut[j]: what residualGrads needs.
func residualBack(blocks [][2]dense, gh []float32, rows int, a, sa, gA, gOut [][]float32) {
	for j := len(blocks) - 1; j >= 0; j-- {
		if gOut != nil {
			copy(gOut[j], gh)
		}
		gf := gA[j]
		clear(gf)
		blocks[j][1].Back(gf, gh, rows)
		siluBack(gf, a[j], sa[j])
		blocks[j][0].Back(gh, gf, rows)
	}
}

// residualGrads adds the blocks' weight gradients to gb from what forward
// (hs, a, sa) and residualBack (gA, gOut) recorded; g is rows × Hidden
// scratch.
func residualGrads(gb [][2]dense, hs, a, sa, gA, gOut [][]float32, rows int, g []float32) {
	for j := range gb {
		for i, v := range a[j] {
			g[i] = v * sa[j][i] // fc2's input, silu(fc1's output)
		}
		gb[j][1].Grad(g, gb[j][1].In, gOut[j], rows)
		gb[j][0].Grad(hs[j], gb[j][0].In, gA[j], rows)
	}
}

// backward pulls gOut = ∂J/∂x̂0 (time-major N × TokenDim) back through the
// pass recorded in tp. It returns ∂J/∂X (time-major) when wantX, and adds
// ∂J/∂θ for every weight θ to gl when gl is not nil.
func (m *Model) backward(l *layers, tp *tape, gOut []float32, wantX bool, gl *layers) []float32 {
	c := m.cfg
	B, H := tp.b, tp.h
	N := B * H
	td, e, zd, hd, L := c.TokenDim(), c.EmbedDim, c.ZDim, c.Hidden, c.Layers
	row := td + e + zd
	mk, mks := rowArrays(N)
	var gOutPre, gOutPos [][]float32 // block output gradients, for weight gradients only
	if gl != nil {
		gOutPre, gOutPos = mks(L, hd), mks(L, hd)
	}

	// After the GRU, all tokens at once: the gradient on every z_t.
	gh := mk(hd)
	l.head.Back(gh, gOut, N)
	gAPos := mks(L, hd)
	residualBack(l.post, gh, N, tp.aPos, tp.sPos, gAPos, gOutPos)
	siluBack(gh, tp.aP, tp.sP)
	gz := mk(zd)
	l.postIn.Back(gz, gh, N)
	if gl != nil {
		gl.head.Grad(tp.hPos[L], hd, gOut, N)
		residualGrads(gl.post, tp.hPos, tp.aPos, tp.sPos, gAPos, gOutPos, N, mk(hd))
		gl.postIn.Grad(tp.z, zd, gh, N)
	}

	// Back through time. gz's rows of token t hold ∂J/∂z_t; token t adds
	// its share of ∂J/∂z_{t−1} to the rows of token t−1.
	var gx []float32
	if wantX {
		gx = mk(td)
	}
	gr, gs, gn, gch, gu, gIn := mk(zd), mk(zd), mk(zd), mk(zd), mk(zd), mk(hd)
	gAPre := mks(L, hd)
	gzPrev, guz, ginp := make([]float32, B*zd), make([]float32, B*2*zd), make([]float32, B*row)
	aT, saT, gAT, gOutT := make([][]float32, L), make([][]float32, L), make([][]float32, L), [][]float32(nil)
	if gl != nil {
		gOutT = make([][]float32, L)
	}
	// pre.in's rows for z_{t−1}, when ∂J/∂X is not needed (with it, the
	// whole of pre.in's transpose serves).
	var wz dense
	if !wantX {
		wz = m.transposes.of(dense{W: l.preIn.W[(td+e)*hd:], In: zd, Out: hd})
	}
	// The recurrence pulls H batches of B rows through the same layers:
	// their transposes are made once, and kept while the weights stay.
	rec := m.transposes.recurrent(l, wantX)
	for t := H - 1; t >= 0; t-- {
		rows := func(x []float32, w int) []float32 { return x[t*B*w : (t+1)*B*w] }
		zPrev := tp.z0
		if t > 0 {
			zPrev = tp.z[(t-1)*B*zd : t*B*zd]
		}
		gzt := rows(gz, zd)
		r, s, ch, n := rows(tp.r, zd), rows(tp.s, zd), rows(tp.ch, zd), rows(tp.n, zd)
		grt, gst, gnt, gcht := rows(gr, zd), rows(gs, zd), rows(gn, zd), rows(gch, zd)
		for i, g := range gzt {
			// z = n + s(z' − n), n = tanh(a), a = W_n u + b + r⊙ch
			gzPrev[i] = g * s[i]
			gst[i] = g * (zPrev[i] - n[i]) * s[i] * (1 - s[i])
			ga := g * (1 - s[i]) * (1 - n[i]*n[i])
			gnt[i] = ga
			grt[i] = ga * ch[i] * r[i] * (1 - r[i])
			gcht[i] = ga * r[i]
		}
		rec.candH.Back(gzPrev, gcht, B)
		gut := rows(gu, zd)
		rec.candIn.Back(gut, gnt, B)
		// [u, z'] feeds both gates.
		clear(guz)
		rec.reset.Back(guz, grt, B)
		rec.upd.Back(guz, gst, B)
		for b := range B {
			for i := range zd {
				gut[b*zd+i] += guz[b*2*zd+i]
				gzPrev[b*zd+i] += guz[b*2*zd+zd+i]
			}
		}
		ght := rows(gIn, hd)
		rec.preOut.Back(ght, gut, B)
		for j := range L {
			aT[j], saT[j], gAT[j] = rows(tp.aPre[j], hd), rows(tp.sPre[j], hd), rows(gAPre[j], hd)
			if gOutT != nil {
				gOutT[j] = rows(gOutPre[j], hd)
			}
		}
		residualBack(rec.pre, ght, B, aT, saT, gAT, gOutT)
		siluBack(ght, rows(tp.aIn, hd), rows(tp.sIn, hd))
		if wantX {
			clear(ginp)
			rec.preIn.Back(ginp, ght, B)
			gxt := rows(gx, td)
			for b := range B {
				copy(gxt[b*td:(b+1)*td], ginp[b*row:b*row+td])
				for i := range zd {
					gzPrev[b*zd+i] += ginp[b*row+td+e+i]
				}
			}
		} else {
			wz.Back(gzPrev, ght, B)
		}
		if t > 0 {
			g := gz[(t-1)*B*zd : t*B*zd]
			for i, v := range gzPrev {
				g[i] += v
			}
		}
	}
	if gl == nil {
		return gx
	}

	// Weight gradients of the layers inside the recurrence, over all rows.
	gl.preIn.Grad(tp.inp, row, gIn, N)
	residualGrads(gl.pre, tp.hPre, tp.aPre, tp.sPre, gAPre, gOutPre, N, mk(hd))
	gl.preOut.Grad(tp.hPre[L], hd, gu, N)
	gl.reset.Grad(tp.uz, 2*zd, gr, N)
	gl.upd.Grad(tp.uz, 2*zd, gs, N)
	gl.candIn.Grad(tp.uz, 2*zd, gn, N)      // u_t: the first half of uz's rows
	gl.candH.Grad(tp.uz[zd:], 2*zd, gch, N) // z_{t−1}: the second half
	if tp.obs0 != nil {
		// z_0 = tanh(enc2(silu(enc1(silu(enc0(o_0)))))); gzPrev is ∂J/∂z_0.
		eh := c.EncoderHidden
		for i, z := range tp.z0 {
			gzPrev[i] *= 1 - z*z
		}
		g := gzPrev
		for i := 2; i >= 0; i-- {
			x, ldx := tp.obs0, c.ObsDim
			if i > 0 {
				x, ldx = tp.encH[i-1], eh
			}
			gl.enc[i].Grad(x, ldx, g, B)
			if i == 0 {
				break
			}
			gPrev := make([]float32, B*eh)
			l.enc[i].Back(gPrev, g, B)
			siluBack(gPrev, tp.encA[i-1], tp.encS[i-1])
			g = gPrev
		}
	}
	return gx
}

// lossGradient runs one training batch natively (in.GradX0 unused; x0 and
// w batch-major like in.X): it returns the loss Σ w ⊙ (x̂0 − x0)² and adds
// its gradient with respect to every weight to gl.
func (m *Model) lossGradient(l, gl *layers, in *Input, x0, w []float32) float64 {
	tp := m.forward(l, in)
	B, H, td := in.B, in.H, m.cfg.TokenDim()
	gOut := make([]float32, len(tp.out))
	loss := 0.0
	for b := range B {
		for t := range H {
			i, j := (b*H+t)*td, (t*B+b)*td // batch-major, time-major
			for f := range td {
				d := tp.out[j+f] - x0[i+f]
				wd := w[i+f] * d
				loss += float64(wd * d)
				gOut[j+f] = 2 * wd
			}
		}
	}
	m.backward(l, tp, gOut, false, gl)
	return loss
}
