package dynamics

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	// gorgonia v0.9.18 pulls an older version of this package that panics
	// at start-up on Go ≥ 1.22; importing it here keeps the fixed version a
	// direct requirement of the module.
	_ "go4.org/unsafe/assume-no-moving-gc"
	"gorgonia.org/tensor"
)

// param is one weight array. Linear weights are stored (in, out): a layer
// computes y = x·W + b on row vectors.
type param struct {
	name  string
	shape []int     // shape in the checkpoint
	data  []float32 // backing array shared by every graph
	dense *tensor.Dense
}

// Model is the causal Diffusion Forcing network (DESIGN §3): per token t,
//
//	h_t  = MLP_pre([x_t, embed(k_t), z_{t−1}])     input layer + Layers residual blocks
//	z_t  = GRU(W_z h_t, z_{t−1}),  z_0 = Encoder(o_0)
//	x̂0_t = Head(MLP_post(z_t))                     Layers residual blocks + linear head
//
// so x̂0_t depends only on o_0 and tokens ≤ t.
//
// Concurrency: a Model is safe for concurrent use; calls to Predict and
// training steps are serialized by a mutex (each compiled graph owns its
// buffers). For parallel planning, load one Model per goroutine.
type Model struct {
	cfg   Config
	norm  Normalization
	sched *Schedule
	emb   []float32 // (T+1) × EmbedDim sinusoidal table of noise levels

	params []*param
	byName map[string]*param

	mu     sync.Mutex
	engine string // EngineNative ("" too) or EngineGraph
	graphs map[graphKey]*graph
	builds int // graphs compiled so far (tests and diagnostics)

	transposes transposes // the native backward pass's Wᵀ, kept between passes
}

// New returns a model with freshly initialized weights (seeded, so two
// calls with the same seed give identical models).
func New(cfg Config, norm Normalization, seed int64) (*Model, error) {
	m, err := newModel(cfg, norm)
	if err != nil {
		return nil, err
	}
	m.initWeights(rand.New(rand.NewPCG(uint64(seed), 0x9e3779b97f4a7c15)))
	return m, nil
}

// newModel validates and allocates; weights are zero.
func newModel(cfg Config, norm Normalization) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := norm.Validate(cfg); err != nil {
		return nil, err
	}
	s, err := NewSchedule(cfg.BetaSchedule, cfg.DiffusionSteps)
	if err != nil {
		return nil, err
	}
	m := &Model{cfg: cfg, norm: norm.clone(), sched: s, byName: map[string]*param{}, graphs: map[graphKey]*graph{}}
	m.emb = noiseEmbedding(cfg, s)
	for _, ps := range paramShapes(cfg) {
		n := 1
		for _, d := range ps.shape {
			n *= d
		}
		p := &param{name: ps.name, shape: ps.shape, data: make([]float32, n)}
		gs := ps.shape
		if len(gs) == 1 {
			gs = []int{1, gs[0]} // biases are row vectors in the graph
		}
		p.dense = tensor.New(tensor.WithShape(gs...), tensor.WithBacking(p.data))
		m.params = append(m.params, p)
		m.byName[p.name] = p
	}
	return m, nil
}

type paramShape struct {
	name  string
	shape []int
}

// paramShapes lists every weight in checkpoint order.
func paramShapes(c Config) []paramShape {
	td, z, h, e, eh := c.TokenDim(), c.ZDim, c.Hidden, c.EmbedDim, c.EncoderHidden
	var ps []paramShape
	lin := func(name string, in, out int) {
		ps = append(ps, paramShape{name + ".weight", []int{in, out}}, paramShape{name + ".bias", []int{out}})
	}
	lin("encoder.0", c.ObsDim, eh)
	lin("encoder.1", eh, eh)
	lin("encoder.2", eh, z)
	lin("pre.in", td+e+z, h) // rows: x_t, embed(k_t), z_{t−1}
	for i := range c.Layers {
		lin(fmt.Sprintf("pre.%d.fc1", i), h, h)
		lin(fmt.Sprintf("pre.%d.fc2", i), h, h)
	}
	lin("pre.out", h, z)
	lin("gru.reset", 2*z, z)  // rows: GRU input, previous z
	lin("gru.update", 2*z, z) // rows: GRU input, previous z
	lin("gru.cand_in", z, z)
	lin("gru.cand_hid", z, z)
	lin("post.in", z, h)
	for i := range c.Layers {
		lin(fmt.Sprintf("post.%d.fc1", i), h, h)
		lin(fmt.Sprintf("post.%d.fc2", i), h, h)
	}
	lin("head", h, td)
	return ps
}

// initWeights draws every weight and bias from U(−1/√fan_in, 1/√fan_in)
// (PyTorch's nn.Linear default) and zeroes the second layer of each residual
// block, so every block starts as the identity.
func (m *Model) initWeights(r *rand.Rand) {
	for _, p := range m.params {
		fanIn := p.shape[0]
		if len(p.shape) == 1 {
			// the bias of a layer shares its weight's fan-in
			fanIn = m.byName[p.name[:len(p.name)-len(".bias")]+".weight"].shape[0]
		}
		bound := 1 / math.Sqrt(float64(fanIn))
		zero := len(p.name) > 4 && contains(p.name, ".fc2.")
		for i := range p.data {
			if zero {
				p.data[i] = 0
				continue
			}
			p.data[i] = float32((2*r.Float64() - 1) * bound)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// noiseEmbedding is the fixed embedding of every level k = 0..T
// (Config.NoiseEmbedding). The DDPM one is [sin(k·f_i), cos(k·f_i)],
// f_i = 10000^(−i/(E/2−1)).
func noiseEmbedding(c Config, s *Schedule) []float32 {
	T, e := c.DiffusionSteps, c.EmbedDim
	half := e / 2
	tab := make([]float32, (T+1)*e)
	for k := 0; k <= T; k++ {
		row := tab[k*e : (k+1)*e]
		if c.NoiseEmbedding == "level" {
			// Sines and cosines of the level's fraction k/T at frequencies
			// π/2 … 128π (so one feature is monotone over the whole range and
			// the finest tells levels ~4 apart), with the first pair replaced
			// by the signal and noise scales √ᾱ_k and √(1−ᾱ_k) themselves.
			u := float64(k) / float64(T)
			for i := range half {
				f := math.Pi / 2
				if half > 1 {
					f *= math.Pow(256, float64(i)/float64(half-1))
				}
				row[i] = float32(math.Sin(u * f))
				row[half+i] = float32(math.Cos(u * f))
			}
			ab := s.AlphaBar(k)
			row[0], row[half] = float32(math.Sqrt(ab)), float32(math.Sqrt(max(1-ab, 0)))
			continue
		}
		// DDPM's sinusoidal embedding of the integer level k.
		for i := range half {
			f := 1.0
			if half > 1 {
				f = math.Exp(-math.Log(10000) * float64(i) / float64(half-1))
			}
			row[i] = float32(math.Sin(float64(k) * f))
			row[half+i] = float32(math.Cos(float64(k) * f))
		}
	}
	return tab
}

// Config returns the model's configuration.
func (m *Model) Config() Config { return m.cfg }

// Normalization returns a copy of the data normalization.
func (m *Model) Normalization() Normalization { return m.norm.clone() }

// Schedule returns the noise schedule.
func (m *Model) Schedule() *Schedule { return m.sched }

// NumParams is the number of trainable scalars.
func (m *Model) NumParams() int {
	n := 0
	for _, p := range m.params {
		n += len(p.data)
	}
	return n
}

// Builds reports how many graphs the model has compiled (one per distinct
// batch size, horizon and pass kind).
func (m *Model) Builds() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.builds
}

// Input is one batched call of the network. All arrays are normalized.
type Input struct {
	B, H int // batch (sequences) and tokens per sequence
	// Obs0 is B×ObsDim, the normalized current observation of each sequence.
	Obs0 []float32
	// Z0, if not nil, is B×ZDim: the GRU starts from these latents instead
	// of the encoder's (Obs0 is then ignored). Feeding Output.Z of token
	// t0−1 with tokens t0.. of the same sequences reproduces that earlier
	// pass's outputs for them, without recomputing tokens < t0.
	Z0 []float32
	// X is B×H×TokenDim noisy tokens, batch-major (b, then t, then feature).
	X []float32
	// K is B×H noise levels in 0..T.
	K []int
	// GradX0, if not nil, is B×H×TokenDim, the upstream gradient dJ/dx̂0.
	// Predict then also returns GradX = (∂x̂0/∂X)ᵀ GradX0.
	GradX0 []float32
}

// Output holds the network's predictions, laid out like Input.X.
type Output struct {
	X0    []float32 // B×H×TokenDim predicted clean tokens
	GradX []float32 // B×H×TokenDim vector–Jacobian product, when GradX0 was given
	Z     []float32 // B×H×ZDim latent after each token
}

// ErrInput marks a malformed Input.
var ErrInput = errors.New("dynamics: bad input")

func (m *Model) checkInput(in *Input) error {
	c := m.cfg
	if in.B < 1 || in.H < 1 {
		return fmt.Errorf("%w: B = %d, H = %d, want both ≥ 1", ErrInput, in.B, in.H)
	}
	td := c.TokenDim()
	if in.Z0 != nil {
		if len(in.Z0) != in.B*c.ZDim {
			return fmt.Errorf("%w: len(Z0) = %d, want B×ZDim = %d", ErrInput, len(in.Z0), in.B*c.ZDim)
		}
	} else if len(in.Obs0) != in.B*c.ObsDim {
		return fmt.Errorf("%w: len(Obs0) = %d, want B×ObsDim = %d", ErrInput, len(in.Obs0), in.B*c.ObsDim)
	}
	if len(in.X) != in.B*in.H*td {
		return fmt.Errorf("%w: len(X) = %d, want B×H×TokenDim = %d", ErrInput, len(in.X), in.B*in.H*td)
	}
	if len(in.K) != in.B*in.H {
		return fmt.Errorf("%w: len(K) = %d, want B×H = %d", ErrInput, len(in.K), in.B*in.H)
	}
	for i, k := range in.K {
		if k < 0 || k > c.DiffusionSteps {
			return fmt.Errorf("%w: K[%d] = %d, want 0..%d", ErrInput, i, k, c.DiffusionSteps)
		}
	}
	if in.GradX0 != nil && len(in.GradX0) != len(in.X) {
		return fmt.Errorf("%w: len(GradX0) = %d, want %d", ErrInput, len(in.GradX0), len(in.X))
	}
	return nil
}

// Predict runs the network on a batch: x̂0 for every token and, when
// in.GradX0 is set, the vector–Jacobian product through the whole network
// (the GRU chain included). It runs the hand-written pass (native.go)
// unless SetEngine chose the gorgonia graph; both compute the same
// function to float32 rounding.
func (m *Model) Predict(in *Input) (*Output, error) {
	if err := m.checkInput(in); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.engine == EngineGraph {
		return m.predictGraph(in)
	}
	return m.predictNative(in), nil
}

// Engines that Predict and training can run on.
const (
	EngineNative = "native" // hand-written passes (native.go), the default
	EngineGraph  = "graph"  // gorgonia's graph (graph.go), the reference
)

// SetEngine chooses how Predict computes: EngineNative or EngineGraph.
// Training chooses its engine in TrainConfig.Engine.
func (m *Model) SetEngine(engine string) error {
	switch engine {
	case EngineNative, EngineGraph:
	default:
		return fmt.Errorf("dynamics: engine %q, want %q or %q", engine, EngineNative, EngineGraph)
	}
	m.mu.Lock()
	m.engine = engine
	m.mu.Unlock()
	return nil
}

// predictNative runs Predict's native pass: forward, then the
// vector–Jacobian product if in.GradX0 is set.
func (m *Model) predictNative(in *Input) *Output {
	out, pb := m.forwardNative(in)
	if in.GradX0 != nil {
		out.GradX = pb(in.GradX0)
	}
	return out
}

// forwardNative splits the batch into up to GOMAXPROCS runs of consecutive
// sequences and runs them concurrently: sequences are independent, and at
// one robot's batch (its Monte Carlo samples) the products are too small
// for the BLAS to spread over cores itself. It returns the output and the
// pullback of the same pass, which reuses its activations.
func (m *Model) forwardNative(in *Input) (*Output, func(gradX0 []float32) []float32) {
	l := m.layers()
	c := m.cfg
	td, zd, od := c.TokenDim(), c.ZDim, c.ObsDim
	parts := max(1, min(runtime.GOMAXPROCS(0), in.B))
	subs, tapes := make([]*Input, parts), make([]*tape, parts)
	for p := range parts {
		lo, hi := p*in.B/parts, (p+1)*in.B/parts
		sub := &Input{B: hi - lo, H: in.H, X: in.X[lo*in.H*td : hi*in.H*td], K: in.K[lo*in.H : hi*in.H]}
		if in.Z0 != nil {
			sub.Z0 = in.Z0[lo*zd : hi*zd]
		} else {
			sub.Obs0 = in.Obs0[lo*od : hi*od]
		}
		subs[p] = sub
	}
	each := func(f func(p int)) {
		if parts == 1 {
			f(0)
			return
		}
		var wg sync.WaitGroup
		for p := range parts {
			wg.Go(func() { f(p) })
		}
		wg.Wait()
	}
	each(func(p int) { tapes[p] = m.forward(l, subs[p]) })
	// Batch-major outputs of consecutive runs of sequences concatenate.
	out := &Output{X0: make([]float32, len(in.X)), Z: make([]float32, in.B*in.H*zd)}
	x0, z := out.X0, out.Z
	for p, sub := range subs {
		toBatchMajor(x0, tapes[p].out, sub.B, sub.H, td)
		toBatchMajor(z, tapes[p].z, sub.B, sub.H, zd)
		x0, z = x0[sub.B*sub.H*td:], z[sub.B*sub.H*zd:]
	}
	pullback := func(gradX0 []float32) []float32 {
		grad := make([]float32, len(in.X))
		each(func(p int) {
			sub := subs[p]
			lo, n := p*in.B/parts*in.H*td, sub.B*sub.H*td
			up := make([]float32, n)
			toTimeMajor(up, gradX0[lo:lo+n], sub.B, sub.H, td)
			toBatchMajor(grad[lo:lo+n], m.backward(l, tapes[p], up, true, nil), sub.B, sub.H, td)
		})
		return grad
	}
	return out, pullback
}

// PredictPullback runs the forward pass of Predict on in (in.GradX0 is
// ignored) and returns with its output a function that pulls an upstream
// gradient dJ/dx̂0 (laid out like in.X) back to the tokens: the GradX that
// Predict would return with that GradX0. Natively it reuses the forward
// pass's activations instead of recomputing them, which is what guidance
// needs: a forward pass to evaluate the objective, then its gradient. The
// arrays of in must not change before the pullback is called, nor the
// weights (a training step) in between.
func (m *Model) PredictPullback(in *Input) (*Output, func(gradX0 []float32) ([]float32, error), error) {
	fwd := *in
	fwd.GradX0 = nil
	if err := m.checkInput(&fwd); err != nil {
		return nil, nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	check := func(g []float32) error {
		if len(g) != len(in.X) {
			return fmt.Errorf("%w: len(gradX0) = %d, want %d", ErrInput, len(g), len(in.X))
		}
		return nil
	}
	if m.engine == EngineGraph {
		out, err := m.predictGraph(&fwd)
		if err != nil {
			return nil, nil, err
		}
		return out, func(g []float32) ([]float32, error) {
			if err := check(g); err != nil {
				return nil, err
			}
			with := fwd
			with.GradX0 = g
			o, err := m.Predict(&with)
			if err != nil {
				return nil, err
			}
			return o.GradX, nil
		}, nil
	}
	out, pb := m.forwardNative(&fwd)
	return out, func(g []float32) ([]float32, error) {
		if err := check(g); err != nil {
			return nil, err
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		return pb(g), nil
	}, nil
}

// toBatchMajor copies time-major rows (t·B + b) of width w into batch-major
// ones (b·H + t).
func toBatchMajor(dst, src []float32, B, H, w int) {
	for b := range B {
		for t := range H {
			i, j := b*H+t, t*B+b
			copy(dst[i*w:(i+1)*w], src[j*w:(j+1)*w])
		}
	}
}

// toTimeMajor is the inverse of toBatchMajor.
func toTimeMajor(dst, src []float32, B, H, w int) {
	for b := range B {
		for t := range H {
			i, j := b*H+t, t*B+b
			copy(dst[j*w:(j+1)*w], src[i*w:(i+1)*w])
		}
	}
}

// predictGraph runs Predict on the gorgonia graph. A vector–Jacobian
// product that gorgonia would get wrong in one graph runs as consecutive
// runs of sequences of at most graphMaxRows token rows (graphSeqs).
func (m *Model) predictGraph(in *Input) (*Output, error) {
	c := m.cfg
	td, zd, od := c.TokenDim(), c.ZDim, c.ObsDim
	kind, seqs := passForward, in.B
	if in.GradX0 != nil {
		kind = passVJP
		if err := graphGradients(c, in.H); err != nil {
			return nil, err
		}
		seqs = graphSeqs(in.B, in.H)
	}
	H := in.H
	out := &Output{X0: make([]float32, len(in.X)), Z: make([]float32, in.B*H*zd)}
	if kind == passVJP {
		out.GradX = make([]float32, len(in.X))
	}
	for lo := 0; lo < in.B; lo += seqs {
		hi := min(lo+seqs, in.B)
		g, err := m.graph(hi-lo, H, kind, 0, in.Z0 != nil)
		if err != nil {
			return nil, err
		}
		var obs0, z0 []float32
		if in.Z0 != nil {
			z0 = in.Z0[lo*zd : hi*zd]
		} else {
			obs0 = in.Obs0[lo*od : hi*od]
		}
		tok := func(a []float32) []float32 { return a[lo*H*td : hi*H*td] }
		g.feed(m, obs0, z0, tok(in.X), in.K[lo*H:hi*H])
		if kind == passVJP {
			g.feedTokens(g.upstream.data, tok(in.GradX0))
		}
		if err := g.run(); err != nil {
			return nil, fmt.Errorf("dynamics: predict: %w", err)
		}
		g.readX0(tok(out.X0))
		g.readZ(out.Z[lo*H*zd:hi*H*zd], zd)
		if kind == passVJP {
			g.readGradX(tok(out.GradX))
		}
	}
	return out, nil
}
