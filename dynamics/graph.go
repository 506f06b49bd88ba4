package dynamics

import (
	"fmt"
	"math"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

type passKind int

const (
	passForward passKind = iota // x̂0 only
	passVJP                     // x̂0 and (∂x̂0/∂X)ᵀ·upstream
	passTrain                   // weighted MSE loss and its gradient w.r.t. every weight
)

func (k passKind) String() string {
	return [...]string{"forward", "vjp", "train"}[k]
}

// gorgonia v0.9.18 differentiates some concatenations wrongly:
// concatOp.SymDiff cuts the gradient of a Concat into slice nodes,
// sliceOp.WriteHash hashes their bounds as byte(start) and byte(end), and
// the graph merges nodes of equal hash, so of two pieces whose bounds agree
// modulo 256 one gets the other's gradient (concatCollides). The Concat of
// the H latents, H pieces of B rows, collides when H > 256/gcd(B, 256),
// which takes more than 256 token rows: in the shipped models' shards of
// 16 sequences × 32 tokens rows 256:272 got the gradient of rows 0:16,
// every weight inside the recurrence a wrong gradient (and in planning
// batches the tokens a wrong vector–Jacobian product). Models trained on
// the graph engine before this was caught, the shipped ones among them,
// carry that error. Now a batch whose Concat would collide runs as
// consecutive graphs of at most graphMaxRows rows (each slice then starts
// at a different row below 256), and one that would not stays one graph,
// as before, so results that were right reproduce bit for bit. What
// cannot be split (a sequence of more than graphMaxRows tokens; z_dim a
// multiple of 256, for the Concats along the features) is refused
// (graphGradients), and buildGraph refuses any Concat that would collide.
const graphMaxRows = 256

// concatCollides reports whether two of the slices that gorgonia v0.9.18
// cuts the gradient of a Concat of pieces of these sizes (along the
// concatenated axis) into hash alike: their starts agree modulo 256, and
// so do their ends. Such slices are merged into one node when their shapes
// agree too; this test is the stricter one.
func concatCollides(sizes []int) bool {
	seen := make(map[[2]byte]bool, len(sizes))
	start := 0
	for _, n := range sizes {
		k := [2]byte{byte(start), byte(start + n)}
		if seen[k] {
			return true
		}
		seen[k] = true
		start += n
	}
	return false
}

// graphGradients reports whether the graph engine can differentiate
// (vector–Jacobian product, training) sequences of h tokens under config
// c. Forward passes have no gradient and run at any size.
func graphGradients(c Config, h int) error {
	if h > graphMaxRows {
		return fmt.Errorf("dynamics: the graph engine differentiates at most %d tokens per sequence (gorgonia v0.9.18 mixes up the gradients of longer concatenations); H = %d: use the native engine (--engine native)", graphMaxRows, h)
	}
	td, e, zd := c.TokenDim(), c.EmbedDim, c.ZDim
	if concatCollides([]int{td + e, zd}) || concatCollides([]int{zd, zd}) {
		return fmt.Errorf("dynamics: the graph engine cannot differentiate a model with z_dim = %d, a multiple of 256 (gorgonia v0.9.18 mixes up the gradients of its concatenations): use the native engine (--engine native)", zd)
	}
	return nil
}

// graphSeqs is how many of b sequences of h ≤ graphMaxRows tokens one
// gradient graph holds: all b if the Concat of their latents (h pieces of
// b rows) differentiates correctly, else graphMaxRows/h.
func graphSeqs(b, h int) int {
	sizes := make([]int, h)
	for t := range sizes {
		sizes[t] = b
	}
	if !concatCollides(sizes) {
		return b
	}
	return graphMaxRows / h
}

type graphKey struct {
	b, h  int
	kind  passKind
	shard int  // training shards of equal size run concurrently, so each has its own graph
	z0    bool // the GRU starts from a given latent instead of the encoder
}

// input is a graph leaf whose value is a Go-owned array refilled before
// every run.
type input struct {
	node  *G.Node
	data  []float32
	dense *tensor.Dense
}

// graph is one compiled network pass for a fixed batch size B and horizon H.
// Token rows inside the graph are time-major (row t*B + b) so that the
// post-GRU layers run as one matrix product over all tokens.
type graph struct {
	b, h int
	kind passKind
	g    *G.ExprGraph
	vm   G.VM

	obs0     *input   // B × ObsDim (encoder graphs)
	z0       *input   // B × ZDim (graphs that start from a given latent)
	zs       G.Nodes  // H latents, B × ZDim each
	tokens   []*input // H inputs of B × (TokenDim + EmbedDim): noisy token, then embed(k)
	upstream *input   // H·B × TokenDim (passVJP)
	target   *input   // H·B × TokenDim (passTrain)
	weight   *input   // H·B × TokenDim (passTrain)

	out        *G.Node   // H·B × TokenDim, x̂0
	loss       *G.Node   // scalar (passTrain)
	gradTokens []*G.Node // d cost / d tokens[t] (passVJP)
	gradParams []*G.Node // d loss / d params[i] (passTrain)

	td, e int
}

// graph returns the cached graph for (B, H, kind, shard, z0), compiling it
// on first use. The caller holds m.mu.
func (m *Model) graph(b, h int, kind passKind, shard int, z0 bool) (*graph, error) {
	key := graphKey{b, h, kind, shard, z0}
	if g, ok := m.graphs[key]; ok {
		return g, nil
	}
	g, err := m.buildGraph(b, h, kind, z0)
	if err != nil {
		return nil, fmt.Errorf("dynamics: build %s graph B=%d H=%d: %w", kind, b, h, err)
	}
	m.graphs[key] = g
	m.builds++
	return g, nil
}

func newInput(g *G.ExprGraph, name string, rows, cols int) *input {
	data := make([]float32, rows*cols)
	d := tensor.New(tensor.WithShape(rows, cols), tensor.WithBacking(data))
	n := G.NewMatrix(g, tensor.Float32, G.WithShape(rows, cols), G.WithName(name), G.WithValue(d))
	return &input{node: n, data: data, dense: d}
}

func (m *Model) buildGraph(B, H int, kind passKind, z0in bool) (gr *graph, err error) {
	// Graph construction only fails on a programming error (shape
	// mismatch); G.Must panics with it and we turn it back into an error.
	defer func() {
		if r := recover(); r != nil {
			gr, err = nil, fmt.Errorf("%v", r)
		}
	}()
	c := m.cfg
	td, e := c.TokenDim(), c.EmbedDim
	// concat is G.Concat that, in a graph that is differentiated, refuses
	// pieces whose gradient slices gorgonia would merge (graphMaxRows).
	// The callers keep within the limits (graphGradients, graphSeqs); this
	// is the last guard.
	concat := func(axis int, xs ...*G.Node) *G.Node {
		if kind != passForward {
			sizes := make([]int, len(xs))
			for i, x := range xs {
				sizes[i] = x.Shape()[axis]
			}
			if concatCollides(sizes) {
				panic(fmt.Errorf("the gradient of a concatenation of %v along axis %d would be wrong (gorgonia v0.9.18 merges its slices): use the native engine (--engine native)", sizes, axis))
			}
		}
		return G.Must(G.Concat(axis, xs...))
	}
	g := G.NewGraph()
	gr = &graph{b: B, h: H, kind: kind, g: g, td: td, e: e}

	w := make(map[string]*G.Node, len(m.params))
	var pnodes G.Nodes
	for _, p := range m.params {
		// Each graph gets its own tensor header over the shared weights:
		// gorgonia transposes operands in place (a view change) during
		// matrix products, which must not race between concurrently running
		// training shards.
		s := p.dense.Shape()
		d := tensor.New(tensor.WithShape(s...), tensor.WithBacking(p.data))
		n := G.NewMatrix(g, tensor.Float32, G.WithShape(s...), G.WithName(p.name), G.WithValue(d))
		w[p.name] = n
		pnodes = append(pnodes, n)
	}
	lin := func(x *G.Node, name string) *G.Node {
		return G.Must(G.BroadcastAdd(G.Must(G.Mul(x, w[name+".weight"])), w[name+".bias"], nil, []byte{0}))
	}
	silu := func(x *G.Node) *G.Node { return G.Must(G.HadamardProd(x, G.Must(G.Sigmoid(x)))) }
	resBlocks := func(h *G.Node, prefix string) *G.Node {
		for i := range c.Layers {
			f := lin(silu(lin(h, fmt.Sprintf("%s.%d.fc1", prefix, i))), fmt.Sprintf("%s.%d.fc2", prefix, i))
			h = G.Must(G.Add(h, f))
		}
		return h
	}

	// z_0 = tanh(Encoder(o_0)): inside the GRU's state range (−1, 1); or a
	// latent carried over from an earlier pass over the preceding tokens.
	var z *G.Node
	if z0in {
		gr.z0 = newInput(g, "z0", B, c.ZDim)
		z = gr.z0.node
	} else {
		gr.obs0 = newInput(g, "obs0", B, c.ObsDim)
		z = G.Must(G.Tanh(lin(silu(lin(silu(lin(gr.obs0.node, "encoder.0")), "encoder.1")), "encoder.2")))
	}

	zs := make(G.Nodes, 0, H)
	for t := range H {
		in := newInput(g, fmt.Sprintf("token%d", t), B, td+e)
		gr.tokens = append(gr.tokens, in)
		h := silu(lin(concat(1, in.node, z), "pre.in"))
		h = resBlocks(h, "pre")
		u := lin(h, "pre.out")
		// GRU cell (Cho et al.), PyTorch's gate convention:
		//   r = σ(W_r [u, z] + b_r), s = σ(W_s [u, z] + b_s)
		//   n = tanh(W_n u + b_n + r ⊙ (U_n z + c_n))
		//   z' = (1 − s) ⊙ n + s ⊙ z = n + s ⊙ (z − n)
		uz := concat(1, u, z)
		r := G.Must(G.Sigmoid(lin(uz, "gru.reset")))
		s := G.Must(G.Sigmoid(lin(uz, "gru.update")))
		n := G.Must(G.Tanh(G.Must(G.Add(lin(u, "gru.cand_in"), G.Must(G.HadamardProd(r, lin(z, "gru.cand_hid")))))))
		z = G.Must(G.Add(n, G.Must(G.HadamardProd(s, G.Must(G.Sub(z, n))))))
		zs = append(zs, z)
	}
	gr.zs = zs
	all := zs[0]
	if H > 1 {
		all = concat(0, zs...)
	}
	p := silu(lin(all, "post.in"))
	p = resBlocks(p, "post")
	gr.out = lin(p, "head")

	switch kind {
	case passVJP:
		gr.upstream = newInput(g, "upstream", H*B, td)
		cost := G.Must(G.Sum(G.Must(G.HadamardProd(gr.out, gr.upstream.node))))
		var toks G.Nodes
		for _, in := range gr.tokens {
			toks = append(toks, in.node)
		}
		gr.gradTokens, err = G.Grad(cost, toks...)
		if err != nil {
			return nil, err
		}
	case passTrain:
		gr.target = newInput(g, "target", H*B, td)
		gr.weight = newInput(g, "weight", H*B, td)
		diff := G.Must(G.Sub(gr.out, gr.target.node))
		gr.loss = G.Must(G.Sum(G.Must(G.HadamardProd(gr.weight.node, G.Must(G.Square(diff))))))
		gr.gradParams, err = G.Grad(gr.loss, pnodes...)
		if err != nil {
			return nil, err
		}
	}
	gr.vm = G.NewTapeMachine(g)
	return gr, nil
}

// feed copies the encoder input (or the starting latent) and the
// batch-major tokens and their noise embeddings into the graph's time-major
// inputs.
func (gr *graph) feed(m *Model, obs0, z0, x []float32, k []int) {
	if gr.z0 != nil {
		copy(gr.z0.data, z0)
	} else {
		copy(gr.obs0.data, obs0)
	}
	td, e, row := gr.td, gr.e, gr.td+gr.e
	for t, in := range gr.tokens {
		for b := range gr.b {
			i := b*gr.h + t
			dst := in.data[b*row : (b+1)*row]
			copy(dst[:td], x[i*td:(i+1)*td])
			copy(dst[td:], m.emb[k[i]*e:(k[i]+1)*e])
		}
	}
}

// feedTokens copies a batch-major B×H×TokenDim array into a time-major
// (H·B)×TokenDim one.
func (gr *graph) feedTokens(dst, src []float32) { toTimeMajor(dst, src, gr.b, gr.h, gr.td) }

func (gr *graph) run() error {
	gr.vm.Reset()
	return gr.vm.RunAll()
}

func valueData(n *G.Node) []float32 {
	return n.Value().Data().([]float32)
}

// scalarValue reads a scalar node.
func scalarValue(n *G.Node) float64 {
	switch v := n.Value().Data().(type) {
	case float32:
		return float64(v)
	case []float32:
		return float64(v[0])
	}
	return math.NaN()
}

// readX0 copies x̂0 into dst, batch-major.
func (gr *graph) readX0(dst []float32) { toBatchMajor(dst, valueData(gr.out), gr.b, gr.h, gr.td) }

// readGradX copies the token part of the input gradient into dst, batch-major.
func (gr *graph) readGradX(dst []float32) {
	td, row := gr.td, gr.td+gr.e
	for t, gn := range gr.gradTokens {
		src := valueData(gn)
		for b := range gr.b {
			i := b*gr.h + t
			copy(dst[i*td:(i+1)*td], src[b*row:b*row+td])
		}
	}
}

// readZ copies the latent after every token into dst, batch-major
// (B×H×ZDim).
func (gr *graph) readZ(dst []float32, zd int) {
	for t, zn := range gr.zs {
		src := valueData(zn)
		for b := range gr.b {
			i := b*gr.h + t
			copy(dst[i*zd:(i+1)*zd], src[b*zd:(b+1)*zd])
		}
	}
}
