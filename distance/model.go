// Package distance learns how far apart two places are for the robot that
// logged the data: a goal-conditioned temporal distance d(p, g) between
// positions p and g, fitted to the time the trajectories took from one to
// the other. It reads no map. The data never crosses a wall, so the fitted
// distance runs around walls where the straight line runs through them;
// guidance.TemporalDistance uses its gradient as a planning objective.
//
// The target of a pair of positions that the data passes k steps apart is
// k·StepLength metres (StepLength is the data's mean step), and the network
// is fitted to a low expectile of those targets: the same two places are
// often connected by a detour, and the low expectile follows the quickest
// connection the data shows.
package distance

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"

	"github.com/dfplan/dfplan/internal/atomicfile"
	"github.com/dfplan/dfplan/internal/nn"
	"github.com/dfplan/dfplan/internal/safetensors"
	"github.com/dfplan/dfplan/internal/vecmath"
)

// FormatVersion names the file layout; Load refuses any other.
const FormatVersion = "dfplan.distance/1"

// baseInputs are the network's first inputs: p and g normalized, and
// g − p scaled by the same Std (the straight line, which the network
// bends). Fourier features of p and g follow (Config.Fourier).
const baseInputs = 6

// Config is the network's shape.
type Config struct {
	// Hidden is the width of each hidden layer.
	Hidden int `json:"hidden" yaml:"hidden"`
	// Layers is the number of hidden layers (SiLU).
	Layers int `json:"layers" yaml:"layers"`
	// Fourier is the number of random frequencies w (2-vectors) whose
	// sin(w·p), cos(w·p), sin(w·g), cos(w·g) are also fed to the network:
	// a plain network of coordinates is too smooth to tell the two sides of
	// a wall apart. 0 is none.
	Fourier int `json:"fourier" yaml:"fourier"`
	// FourierScale is the standard deviation of w's components (rad/m).
	FourierScale float64 `json:"fourier_scale" yaml:"fourier_scale"`
}

// DefaultConfig is the shipped models' network, small enough to run inside
// every guidance step: 3 hidden layers of 256 over the positions and 32
// Fourier features of each (3 rad/m).
func DefaultConfig() Config { return Config{Hidden: 256, Layers: 3, Fourier: 32, FourierScale: 3} }

// inputs is the network's input width.
func (c Config) inputs() int { return baseInputs + 4*c.Fourier }

// Validate reports a field that cannot work.
func (c Config) Validate() error {
	switch {
	case c.Hidden < 1 || c.Hidden > 8192:
		return fmt.Errorf("distance config: hidden %d, want 1 … 8192", c.Hidden)
	case c.Layers < 1 || c.Layers > 16:
		return fmt.Errorf("distance config: layers %d, want 1 … 16", c.Layers)
	case c.Fourier < 0 || c.Fourier > 1024:
		return fmt.Errorf("distance config: fourier %d, want 0 … 1024", c.Fourier)
	case c.Fourier > 0 && !(c.FourierScale > 0 && c.FourierScale < 1e3):
		return fmt.Errorf("distance config: fourier_scale %g, want > 0 (rad/m)", c.FourierScale)
	}
	return nil
}

// Normalization maps positions to the network's inputs and fixes its
// output unit.
type Normalization struct {
	// Mean and Std of the data's x and y.
	Mean [2]float64 `json:"mean"`
	Std  [2]float64 `json:"std"`
	// StepLength is the data's mean distance moved per step (m): d is the
	// time between two places in steps times StepLength.
	StepLength float64 `json:"step_length"`
}

func (n Normalization) validate() error {
	for i := range 2 {
		if !finite(n.Mean[i]) || !(n.Std[i] > 0) || !finite(n.Std[i]) {
			return fmt.Errorf("normalization: mean %v, std %v, want finite with std > 0", n.Mean, n.Std)
		}
	}
	if !(n.StepLength > 0) || !finite(n.StepLength) {
		return fmt.Errorf("normalization: step length %g, want > 0", n.StepLength)
	}
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Model is a trained (or initialized) distance network. Its methods are
// safe for concurrent use; they do not modify the weights.
type Model struct {
	cfg    Config
	norm   Normalization
	layers []nn.Dense
	// freq holds the Fourier frequencies, Fourier × 2 (rad/m).
	freq []float32
	// Summary says how the model was trained (nil until trained or loaded).
	Summary *Summary
}

// New returns a network of shape cfg with weights drawn from seed
// (He-uniform, zero biases).
func New(cfg Config, norm Normalization, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := norm.validate(); err != nil {
		return nil, fmt.Errorf("distance: %w", err)
	}
	m := &Model{cfg: cfg, norm: norm}
	r := rand.New(rand.NewPCG(seed, 0xd157))
	m.freq = make([]float32, 2*cfg.Fourier)
	for i := range m.freq {
		m.freq[i] = float32(r.NormFloat64() * cfg.FourierScale)
	}
	in := cfg.inputs()
	for l := 0; l <= cfg.Layers; l++ {
		out := cfg.Hidden
		if l == cfg.Layers {
			out = 1
		}
		ly := nn.Dense{W: make([]float32, in*out), B: make([]float32, out), In: in, Out: out}
		lim := math.Sqrt(6 / float64(in))
		for i := range ly.W {
			ly.W[i] = float32((2*r.Float64() - 1) * lim)
		}
		m.layers = append(m.layers, ly)
		in = out
	}
	return m, nil
}

// Config returns the network's shape.
func (m *Model) Config() Config { return m.cfg }

// Normalization returns the input and output scaling.
func (m *Model) Normalization() Normalization { return m.norm }

// NumParams counts the weights and biases.
func (m *Model) NumParams() int {
	n := len(m.freq)
	for _, l := range m.layers {
		n += len(l.W) + len(l.B)
	}
	return n
}

// features writes the network inputs of n pairs (px, py, gx, gy per row
// of pg) into x.
func (m *Model) features(x []float32, pg []float64, n int) {
	nm, w, F := m.norm, m.cfg.inputs(), m.cfg.Fourier
	for i := range n {
		px, py, gx, gy := pg[4*i], pg[4*i+1], pg[4*i+2], pg[4*i+3]
		row := x[i*w : (i+1)*w]
		row[0] = float32((px - nm.Mean[0]) / nm.Std[0])
		row[1] = float32((py - nm.Mean[1]) / nm.Std[1])
		row[2] = float32((gx - nm.Mean[0]) / nm.Std[0])
		row[3] = float32((gy - nm.Mean[1]) / nm.Std[1])
		row[4] = float32((gx - px) / nm.Std[0])
		row[5] = float32((gy - py) / nm.Std[1])
		for k := range F {
			wx, wy := float64(m.freq[2*k]), float64(m.freq[2*k+1])
			sp, cp := math.Sincos(wx*px + wy*py)
			sg, cg := math.Sincos(wx*gx + wy*gy)
			row[baseInputs+k], row[baseInputs+F+k] = float32(sp), float32(cp)
			row[baseInputs+2*F+k], row[baseInputs+3*F+k] = float32(sg), float32(cg)
		}
	}
}

// pass is one forward pass's activations, kept for the backward pass.
type pass struct {
	n   int
	x   []float32   // n×Config.inputs()
	pre [][]float32 // per hidden layer: n×Hidden before SiLU
	sig [][]float32 // σ(pre)
	act [][]float32 // SiLU(pre)
	out []float32   // n: the distance (m)
}

// run is the forward pass over the n pairs of pg (px, py, gx, gy each).
func (m *Model) run(pg []float64) *pass {
	n := len(pg) / 4
	x := make([]float32, n*m.cfg.inputs())
	m.features(x, pg, n)
	return m.forward(x, n)
}

func (m *Model) forward(x []float32, n int) *pass {
	p := &pass{n: n, x: x}
	in := x
	for li, l := range m.layers {
		y := make([]float32, n*l.Out)
		l.Apply(y, in, n)
		if li == len(m.layers)-1 {
			p.out = y
			break
		}
		sig, act := make([]float32, len(y)), make([]float32, len(y))
		vecmath.SiLU(act, sig, y)
		p.pre, p.sig, p.act = append(p.pre, y), append(p.sig, sig), append(p.act, act)
		in = act
	}
	return p
}

// backward pulls gOut (n: ∂L/∂d) back through the pass. It returns
// ∂L/∂x (n×Config.inputs()) when wantX, and adds the weight gradients to grads
// (one layer per layer, same shapes) when grads is not nil.
func (m *Model) backward(p *pass, gOut []float32, grads []nn.Dense, wantX bool) []float32 {
	g := gOut
	for li := len(m.layers) - 1; li >= 0; li-- {
		l := m.layers[li]
		in := p.x
		if li > 0 {
			in = p.act[li-1]
		}
		if grads != nil {
			grads[li].Grad(in, l.In, g, p.n)
		}
		if li == 0 && !wantX {
			return nil
		}
		gin := make([]float32, p.n*l.In)
		l.Back(gin, g, p.n)
		if li > 0 {
			vecmath.SiLUBack(gin, p.pre[li-1], p.sig[li-1])
		}
		g = gin
	}
	return g
}

// Distance returns d for n pairs, pg holding px, py, gx, gy per pair.
func (m *Model) Distance(pg []float64) []float64 {
	p := m.run(pg)
	d := make([]float64, p.n)
	for i, v := range p.out {
		d[i] = float64(v)
	}
	return d
}

// DistanceGrad returns d for n pairs (px, py, gx, gy per row of pg) and
// writes ∂d/∂px, ∂d/∂py of pair i into grad[2i], grad[2i+1].
func (m *Model) DistanceGrad(pg []float64, grad []float64) []float64 {
	p := m.run(pg)
	n, x, w, F := p.n, p.x, m.cfg.inputs(), m.cfg.Fourier
	ones := make([]float32, n)
	for i := range ones {
		ones[i] = 1
	}
	gx := m.backward(p, ones, nil, true)
	d := make([]float64, n)
	for i := range n {
		d[i] = float64(p.out[i])
		r := gx[i*w : (i+1)*w]
		gpx := float64(r[0]-r[4]) / m.norm.Std[0]
		gpy := float64(r[1]-r[5]) / m.norm.Std[1]
		// d/dp sin(w·p) = cos(w·p)·w, d/dp cos(w·p) = −sin(w·p)·w.
		xs := x[i*w : (i+1)*w]
		for k := range F {
			c := float64(r[baseInputs+k]*xs[baseInputs+F+k] - r[baseInputs+F+k]*xs[baseInputs+k])
			gpx += c * float64(m.freq[2*k])
			gpy += c * float64(m.freq[2*k+1])
		}
		grad[2*i], grad[2*i+1] = gpx, gpy
	}
	return d
}

// Summary records how a model was trained.
type Summary struct {
	Command    string      `json:"command,omitempty"`
	Data       string      `json:"data,omitempty"`
	DataSHA256 string      `json:"data_sha256,omitempty"`
	Steps      int         `json:"steps"`
	Batch      int         `json:"batch"`
	Pairs      int64       `json:"pairs"`
	Params     int         `json:"params"`
	FirstLoss  float64     `json:"first_loss"`
	TrainLoss  float64     `json:"train_loss"`
	ValLoss    float64     `json:"val_loss"`
	Seconds    float64     `json:"wall_seconds"`
	Seed       uint64      `json:"seed"`
	Train      TrainConfig `json:"train"`
	Date       string      `json:"date,omitempty"`
	LossCurve  []Point     `json:"loss_curve,omitempty"`
}

// Point is one point of the loss curve.
type Point struct {
	Step  int     `json:"step"`
	Train float64 `json:"train"`
	Val   float64 `json:"val"`
}

func (m *Model) names() []string {
	out := make([]string, 0, 2*len(m.layers))
	for i := range m.layers {
		out = append(out, fmt.Sprintf("fc%d.weight", i), fmt.Sprintf("fc%d.bias", i))
	}
	return out
}

// Save writes the model's weights and metadata atomically to path.
func (m *Model) Save(path string) error {
	names := m.names()
	var ts []safetensors.Tensor
	if len(m.freq) > 0 {
		ts = append(ts, safetensors.Tensor{Name: "fourier.weight", Shape: []int{m.cfg.Fourier, 2}, Data: m.freq})
	}
	for i, l := range m.layers {
		ts = append(ts,
			safetensors.Tensor{Name: names[2*i], Shape: []int{l.In, l.Out}, Data: l.W},
			safetensors.Tensor{Name: names[2*i+1], Shape: []int{l.Out}, Data: l.B})
	}
	meta := map[string]string{"format": FormatVersion}
	for key, v := range map[string]any{"config": m.cfg, "normalization": m.norm, "summary": m.Summary} {
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("save %s: %s: %w", path, key, err)
		}
		meta[key] = string(b)
	}
	meta[safetensors.ChecksumKey] = safetensors.Checksum(safetensors.Bytes(ts))
	if err := atomicfile.Write(path, func(w io.Writer) error { return safetensors.Write(w, ts, meta) }); err != nil {
		return fmt.Errorf("save %s: %w", path, err)
	}
	return nil
}

// Load reads a model written by Save.
func Load(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load distance model: %w", err)
	}
	m, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("load distance model %s: %w", path, err)
	}
	return m, nil
}

// Parse reads a model from the bytes of a file written by Save.
func Parse(b []byte) (*Model, error) {
	ts, meta, raw, err := safetensors.Read(b)
	if err != nil {
		return nil, err
	}
	if meta["format"] != FormatVersion {
		return nil, fmt.Errorf("%w: format %q, want %q (not a distance model?)", safetensors.ErrFormat, meta["format"], FormatVersion)
	}
	if err := safetensors.VerifyChecksum(raw, meta); err != nil {
		return nil, err
	}
	var cfg Config
	var norm Normalization
	for key, dst := range map[string]any{"config": &cfg, "normalization": &norm} {
		if err := json.Unmarshal([]byte(meta[key]), dst); err != nil {
			return nil, fmt.Errorf("%w: metadata %q: %v", safetensors.ErrFormat, key, err)
		}
	}
	m, err := New(cfg, norm, 0)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", safetensors.ErrFormat, err)
	}
	if s := meta["summary"]; s != "" && s != "null" {
		m.Summary = new(Summary)
		if err := json.Unmarshal([]byte(s), m.Summary); err != nil {
			return nil, fmt.Errorf("%w: metadata summary: %v", safetensors.ErrFormat, err)
		}
	}
	byName := map[string]safetensors.Tensor{}
	for _, t := range ts {
		byName[t.Name] = t
	}
	names := m.names()
	if len(m.freq) > 0 {
		t, ok := byName["fourier.weight"]
		if !ok || !slices.Equal(t.Shape, []int{m.cfg.Fourier, 2}) {
			return nil, fmt.Errorf("%w: tensor \"fourier.weight\" missing or of shape %v, config needs [%d 2] (config does not match weights)", safetensors.ErrFormat, t.Shape, m.cfg.Fourier)
		}
		copy(m.freq, t.Data)
		names = append(names, "fourier.weight")
	}
	if len(ts) != len(names) {
		return nil, fmt.Errorf("%w: %d tensors, config needs %d (config does not match weights)", safetensors.ErrFormat, len(ts), len(names))
	}
	for i, l := range m.layers {
		for j, dst := range [][]float32{l.W, l.B} {
			name := names[2*i+j]
			t, ok := byName[name]
			want := []int{l.In, l.Out}
			if j == 1 {
				want = []int{l.Out}
			}
			if !ok || !slices.Equal(t.Shape, want) {
				return nil, fmt.Errorf("%w: tensor %q missing or of shape %v, config needs %v (config does not match weights)", safetensors.ErrFormat, name, t.Shape, want)
			}
			copy(dst, t.Data)
		}
	}
	return m, nil
}

// ErrFormat marks a file that is not a well-formed model.
var ErrFormat = safetensors.ErrFormat
