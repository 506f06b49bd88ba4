package dynamics

import (
	"github.com/dfplan/dfplan/d4rl"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"time"
)

// validateData checks that the training data (the D4RL arrays; row i
// holds observation o_i and the action a_i taken there, and Terminals[i] or
// Timeouts[i] mark that row i+1 does not follow row i) fit config c and
// hold only finite numbers.
func validateData(d *d4rl.Dataset, c Config) error {
	if d.ObsDim != c.ObsDim || d.ActDim != c.ActDim {
		return fmt.Errorf("data has obs_dim %d and act_dim %d, config wants %d and %d", d.ObsDim, d.ActDim, c.ObsDim, c.ActDim)
	}
	if d.N < 0 || len(d.Observations) != d.N*d.ObsDim || len(d.Actions) != d.N*d.ActDim {
		return fmt.Errorf("data arrays do not match N = %d rows", d.N)
	}
	if (d.Terminals != nil && len(d.Terminals) != d.N) || (d.Timeouts != nil && len(d.Timeouts) != d.N) {
		return fmt.Errorf("terminals/timeouts do not have N = %d entries", d.N)
	}
	for i, v := range d.Observations {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("observations[%d][%d] = %v", i/d.ObsDim, i%d.ObsDim, v)
		}
	}
	for i, v := range d.Actions {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("actions[%d][%d] = %v", i/max(d.ActDim, 1), i%max(d.ActDim, 1), v)
		}
	}
	return nil
}

// TrainConfig sets up Diffusion Forcing training. Zero values are not
// defaults: start from DefaultTrainConfig.
type TrainConfig struct {
	// Steps is the number of optimizer steps to reach (a resumed run
	// continues up to it). Default 10000 (about 40 minutes at the default
	// sizes on a 2-core CPU).
	Steps int `yaml:"steps" json:"steps"`
	// Batch is the number of sequences per step. Default 32.
	Batch int `yaml:"batch" json:"batch"`
	// Horizon is H, the tokens per training window (a window spans
	// H×FrameStack+1 observations). It must fit inside one episode.
	// Default 32 (windows may cross goal switches, so the 300-step umaze
	// episodes do not bound it).
	Horizon int `yaml:"horizon" json:"horizon"`
	// Seed seeds initialization, window sampling and noise. Default 0.
	Seed int64 `yaml:"seed" json:"seed"`
	// LR is the peak AdamW learning rate. Default 3e-4 (1e-3 diverged on
	// maze2d data after ~900 steps at batch 32).
	LR float64 `yaml:"lr" json:"lr"`
	// WarmupSteps ramps the learning rate linearly from LR/WarmupSteps.
	// Default 500.
	WarmupSteps int `yaml:"warmup_steps" json:"warmup_steps"`
	// LRDecay is "cosine" (decay to MinLRFraction·LR at Steps) or "none".
	// Default "cosine".
	LRDecay string `yaml:"lr_decay" json:"lr_decay"`
	// MinLRFraction is the final learning rate over LR for cosine decay.
	// Default 0.1.
	MinLRFraction float64 `yaml:"min_lr_fraction" json:"min_lr_fraction"`
	// WeightDecay is AdamW's decoupled decay on weight matrices (not
	// biases). Default 1e-4 (reference).
	WeightDecay float64 `yaml:"weight_decay" json:"weight_decay"`
	// Beta1, Beta2, Eps are Adam's moment decays and epsilon.
	// Defaults 0.9, 0.999, 1e-8.
	Beta1 float64 `yaml:"beta1" json:"beta1"`
	Beta2 float64 `yaml:"beta2" json:"beta2"`
	Eps   float64 `yaml:"eps" json:"eps"`
	// GradClip is the global gradient norm limit; 0 disables. Default 1.
	GradClip float64 `yaml:"grad_clip" json:"grad_clip"`
	// LossWeight is the per-token weight of the x̂0 squared error:
	// "min_snr" (default) is LossScale·min(SNR_k, SNRClip); "constant"
	// (the reference's maze2d choice) is LossScale at every level. With
	// the same 2,000 umaze steps (32-token windows), min_snr's first-token
	// position error at 2 % noise was 0.061 m against 0.213 m.
	LossWeight string `yaml:"loss_weight" json:"loss_weight"`
	// LossScale multiplies the loss. Default 1. (The reference's ×25 only
	// matters for its fp16 training; Adam is scale-invariant.)
	LossScale float64 `yaml:"loss_scale" json:"loss_scale"`
	// SNRClip is the clip of min_snr weighting. Default 5 (reference).
	SNRClip float64 `yaml:"snr_clip" json:"snr_clip"`
	// FirstTokenCleanProb is the probability that a sequence's first token
	// gets noise level 1 (nearly clean) instead of a uniform draw; the
	// reference's gt_first_frame (0 for planning). Default 0.
	FirstTokenCleanProb float64 `yaml:"first_token_clean_prob" json:"first_token_clean_prob"`
	// TokenDecay weighs token t of a window by TokenDecay^t (normalized to
	// mean 1 over the window), so the near future, which a plan executes,
	// is not drowned by the far future's large and mostly irreducible
	// error. 0 or 1 weighs all tokens alike. Default 0.7: on umaze after
	// 2,000 steps, the distance between where a plan's first 10 actions
	// lead and where the plan says they lead fell from 0.54 m (no decay)
	// to 0.46 m (0.85) and 0.28 m (0.7) (models/shipped/README.md).
	TokenDecay float64 `yaml:"token_decay" json:"token_decay,omitempty"`
	// CutAtTimeouts makes windows stop at timeouts as well as terminals.
	// In D4RL maze2d data (and `dfplan gen`) a timeout marks a goal switch
	// while the ball keeps moving, so windows may cross it, as in the
	// reference; set it for data whose timeouts are resets. Default false.
	CutAtTimeouts bool `yaml:"cut_at_timeouts" json:"cut_at_timeouts"`
	// ValFraction is the share of the data held out for validation, as
	// contiguous segments. Default 0.05; 0 disables validation.
	ValFraction float64 `yaml:"val_fraction" json:"val_fraction"`
	// ValSegments is the number of contiguous segments the data is cut
	// into; every round(1/ValFraction)-th one is held out. Default 20.
	ValSegments int `yaml:"val_segments" json:"val_segments"`
	// ValEvery is the validation interval in steps. Default 1000.
	ValEvery int `yaml:"val_every" json:"val_every"`
	// ValBatches is the number of batches in the (fixed) validation set.
	// Default 4.
	ValBatches int `yaml:"val_batches" json:"val_batches"`
	// Shards splits each batch into this many parts computed in parallel
	// (one per core); the summed gradient is independent of --threads, so
	// runs are reproducible on any machine. Default 2.
	Shards int `yaml:"shards" json:"shards"`
	// Engine computes the gradients: EngineNative (default; the
	// hand-written backward pass) or EngineGraph (gorgonia's graph, the
	// reference). Both compute the same gradients to float32 rounding, so a
	// run may resume on either; before the graph engine split shards of
	// more than 256 token rows it did not (graph.go, graphMaxRows), and the
	// shipped models, trained on it, carry its wrong gradients.
	Engine string `yaml:"engine" json:"engine,omitempty"`
}

// DefaultTrainConfig returns the defaults documented on TrainConfig.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{
		Steps: 10000, Batch: 32, Horizon: 32, LR: 3e-4, WarmupSteps: 500,
		LRDecay: "cosine", MinLRFraction: 0.1, WeightDecay: 1e-4,
		Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, GradClip: 1,
		LossWeight: "min_snr", LossScale: 1, SNRClip: 5, TokenDecay: 0.7,
		ValFraction: 0.05, ValSegments: 20, ValEvery: 1000, ValBatches: 4, Shards: 2,
		Engine: EngineNative,
	}
}

// Validate reports the first field out of range.
func (c TrainConfig) Validate() error {
	bad := func(field string, v any, want string) error {
		return fmt.Errorf("train config: %s = %v, want %s", field, v, want)
	}
	switch {
	case c.Steps < 0:
		return bad("steps", c.Steps, "≥ 0")
	case c.Batch < 1:
		return bad("batch", c.Batch, "≥ 1")
	case c.Horizon < 1:
		return bad("horizon", c.Horizon, "≥ 1")
	case !(c.LR > 0):
		return bad("lr", c.LR, "> 0")
	case c.WarmupSteps < 0:
		return bad("warmup_steps", c.WarmupSteps, "≥ 0")
	case c.LRDecay != "cosine" && c.LRDecay != "none":
		return bad("lr_decay", c.LRDecay, `"cosine" or "none"`)
	case c.MinLRFraction < 0 || c.MinLRFraction > 1:
		return bad("min_lr_fraction", c.MinLRFraction, "0..1")
	case c.WeightDecay < 0:
		return bad("weight_decay", c.WeightDecay, "≥ 0")
	case c.Beta1 < 0 || c.Beta1 >= 1:
		return bad("beta1", c.Beta1, "0 ≤ beta1 < 1")
	case c.Beta2 < 0 || c.Beta2 >= 1:
		return bad("beta2", c.Beta2, "0 ≤ beta2 < 1")
	case !(c.Eps > 0):
		return bad("eps", c.Eps, "> 0")
	case c.GradClip < 0:
		return bad("grad_clip", c.GradClip, "≥ 0")
	case c.LossWeight != "constant" && c.LossWeight != "min_snr":
		return bad("loss_weight", c.LossWeight, `"constant" or "min_snr"`)
	case !(c.LossScale > 0):
		return bad("loss_scale", c.LossScale, "> 0")
	case !(c.SNRClip > 0):
		return bad("snr_clip", c.SNRClip, "> 0")
	case !(c.TokenDecay >= 0 && c.TokenDecay <= 1):
		return bad("token_decay", c.TokenDecay, "0..1")
	case !(c.FirstTokenCleanProb >= 0 && c.FirstTokenCleanProb <= 1):
		return bad("first_token_clean_prob", c.FirstTokenCleanProb, "0..1")
	case c.ValFraction < 0 || c.ValFraction > 0.5:
		return bad("val_fraction", c.ValFraction, "0..0.5")
	case c.ValSegments < 2:
		return bad("val_segments", c.ValSegments, "≥ 2")
	case c.ValEvery < 1:
		return bad("val_every", c.ValEvery, "≥ 1")
	case c.ValBatches < 1:
		return bad("val_batches", c.ValBatches, "≥ 1")
	case c.Shards < 1 || c.Shards > c.Batch:
		return bad("shards", c.Shards, fmt.Sprintf("1..batch (%d)", c.Batch))
	case c.Engine != "" && c.Engine != EngineNative && c.Engine != EngineGraph:
		return bad("engine", fmt.Sprintf("%q", c.Engine), fmt.Sprintf("%q or %q", EngineNative, EngineGraph))
	}
	return nil
}

// ErrTooLittleData means no training window fits in the data.
var ErrTooLittleData = errors.New("too little data")

// windows finds every start row s of a window of L+1 observations
// (o_s..o_{s+L}) and L actions that crosses no terminal (nor timeout, with
// cutAtTimeouts) and stays inside one split segment; it returns the starts
// of training and of validation windows.
func windows(d *d4rl.Dataset, L int, valFrac float64, segments int, cutAtTimeouts bool) (train, val []int) {
	if d.N < L+1 {
		return nil, nil
	}
	split := func(i int) bool { return false }
	if valFrac > 0 {
		every := max(int(math.Round(1/valFrac)), 2)
		seg := (d.N + segments - 1) / segments
		split = func(i int) bool { return (i/seg)%every == every-1 }
	}
	// cut[i]: row i+1 does not continue row i.
	cutsBefore := make([]int, d.N+1) // cutsBefore[i] = number of cuts in rows < i
	for i := range d.N {
		c := (d.Terminals != nil && d.Terminals[i]) || (cutAtTimeouts && d.Timeouts != nil && d.Timeouts[i]) ||
			(i+1 < d.N && split(i) != split(i+1))
		cutsBefore[i+1] = cutsBefore[i]
		if c {
			cutsBefore[i+1]++
		}
	}
	for s := 0; s+L < d.N; s++ {
		if cutsBefore[s+L] != cutsBefore[s] { // a cut at a row in s..s+L−1
			continue
		}
		if split(s) {
			val = append(val, s)
		} else {
			train = append(train, s)
		}
	}
	return train, val
}

// trainStateHeader is the trainer's JSON state kept in a checkpoint.
type trainStateHeader struct {
	Step        int         `json:"step"`
	RNG         []byte      `json:"rng"`
	Recent      []float64   `json:"recent_losses"`
	First       []float64   `json:"first_losses"`
	ValLoss     float64     `json:"val_loss"`
	WallSeconds float64     `json:"wall_seconds"`
	Config      TrainConfig `json:"config"`
}

type trainState struct {
	header       trainStateHeader
	adamM, adamV [][]float32
}

// lossWindow is how many steps FirstLoss and TrainLoss average: a tenth
// of the run, between 1 and 100, so that even a short run's first and last
// losses are different steps.
func (t *Trainer) lossWindow() int { return min(max(t.cfg.Steps/10, 1), 100) }

// Trainer runs Diffusion Forcing training on one model. It is not safe for
// concurrent use.
type Trainer struct {
	model *Model
	cfg   TrainConfig
	data  *d4rl.Dataset

	// Normalized frames: obs (N×ObsDim) and act (N×ActDim).
	obsN, actN []float32
	train, val []int

	rng        *rand.Rand
	pcg        *rand.PCG
	state      trainState
	grads      [][]float32   // the batch's gradient, per parameter
	shardGrads [][][]float32 // each shard's gradient, per parameter

	valSet   []valBatch
	started  time.Time
	wallBase float64
}

type valBatch struct {
	obs0, x, x0, w []float32
	k              []int
}

// NewTrainer starts training a fresh model with the given architecture; the
// normalization comes from the data.
func NewTrainer(cfg Config, tc TrainConfig, data *d4rl.Dataset) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := validateData(data, cfg); err != nil {
		return nil, fmt.Errorf("training data: %w", err)
	}
	norm := NormalizationFromFrames(data.Observations, data.Actions, data.N, data.ObsDim, data.ActDim)
	m, err := New(cfg, norm, tc.Seed)
	if err != nil {
		return nil, err
	}
	return startTrainer(m, tc, data)
}

// FineTuneTrainer starts a new training run from the weights of m (the
// model is trained in place): its architecture and normalization are kept,
// the optimizer state, step count and learning-rate schedule start afresh,
// and tc may differ from the training that made m in any setting. Use it
// to train on with a changed loss (e.g. token_decay); to continue the same
// run after an interruption, use ResumeTrainer.
func FineTuneTrainer(m *Model, tc TrainConfig, data *d4rl.Dataset) (*Trainer, error) {
	if err := validateData(data, m.cfg); err != nil {
		return nil, fmt.Errorf("training data: %w", err)
	}
	return startTrainer(m, tc, data)
}

// startTrainer begins a run on m at step 0: zero optimizer moments and
// the random stream of tc.Seed.
func startTrainer(m *Model, tc TrainConfig, data *d4rl.Dataset) (*Trainer, error) {
	st := trainState{header: trainStateHeader{Config: tc}}
	for _, p := range m.params {
		st.adamM = append(st.adamM, make([]float32, len(p.data)))
		st.adamV = append(st.adamV, make([]float32, len(p.data)))
	}
	return newTrainer(m, tc, data, rand.NewPCG(uint64(tc.Seed), 0xdf), st)
}

// ResumeTrainer continues training from a checkpoint written by
// Trainer.Save: weights, optimizer moments, step count and random-number
// position are restored, so the loss curve continues where it stopped. tc
// may differ from the saved configuration only in Steps (and Shards and the
// validation schedule, which do not change the training trajectory).
func ResumeTrainer(path string, checkpoint []byte, tc TrainConfig, data *d4rl.Dataset) (*Trainer, *Meta, error) {
	m, meta, st, err := loadBytes(checkpoint)
	if err != nil {
		return nil, nil, fmt.Errorf("resume from %s: %w", path, err)
	}
	if st == nil {
		return nil, nil, fmt.Errorf("resume from %s: the file has no optimizer state (it is a final model saved without it)", path)
	}
	old := st.header.Config
	if d := trajectoryDiff(old, tc); d != "" {
		return nil, nil, fmt.Errorf("resume from %s: %s differs from the checkpoint's training config; resume with the same settings", path, d)
	}
	if err := validateData(data, m.cfg); err != nil {
		return nil, nil, fmt.Errorf("training data: %w", err)
	}
	pcg := &rand.PCG{}
	if err := pcg.UnmarshalBinary(st.header.RNG); err != nil {
		return nil, nil, fmt.Errorf("resume from %s: %w: random state: %v", path, ErrFormat, err)
	}
	st.header.Config = tc
	t, err := newTrainer(m, tc, data, pcg, *st)
	if err != nil {
		return nil, nil, err
	}
	t.wallBase = st.header.WallSeconds
	return t, meta, nil
}

// trajectoryDiff names the first field that would change the training
// trajectory between two configs, or "".
func trajectoryDiff(a, b TrainConfig) string {
	a.Steps, b.Steps = 0, 0
	a.Shards, b.Shards = 0, 0
	a.ValEvery, b.ValEvery = 0, 0
	a.ValBatches, b.ValBatches = 0, 0
	a.Engine, b.Engine = "", ""
	if a == b {
		return ""
	}
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	var ma, mb map[string]any
	json.Unmarshal(ja, &ma)
	json.Unmarshal(jb, &mb)
	// Fields left out when zero (omitempty) appear in only one of the two.
	keys := make(map[string]bool, len(ma)+len(mb))
	for k := range ma {
		keys[k] = true
	}
	for k := range mb {
		keys[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		if fmt.Sprint(ma[k]) != fmt.Sprint(mb[k]) {
			return fmt.Sprintf("%s (%v → %v)", k, ma[k], mb[k])
		}
	}
	return "the training config"
}

func newTrainer(m *Model, tc TrainConfig, data *d4rl.Dataset, pcg *rand.PCG, st trainState) (*Trainer, error) {
	if err := tc.Validate(); err != nil {
		return nil, err
	}
	c := m.cfg
	if tc.Engine == EngineGraph {
		if err := graphGradients(c, tc.Horizon); err != nil {
			return nil, err
		}
	}
	L := tc.Horizon * c.FrameStack
	train, val := windows(data, L, tc.ValFraction, tc.ValSegments, tc.CutAtTimeouts)
	if len(train) == 0 {
		cuts := "a terminal"
		if tc.CutAtTimeouts {
			cuts = "a terminal or timeout"
		}
		return nil, fmt.Errorf("%w: %d rows hold no training window of %d frames (horizon %d tokens × frame_stack %d, +1) without %s or a validation boundary; use a smaller horizon or more data",
			ErrTooLittleData, data.N, L+1, tc.Horizon, c.FrameStack, cuts)
	}
	t := &Trainer{model: m, cfg: tc, data: data, train: train, val: val, pcg: pcg, rng: rand.New(pcg), state: st}
	t.obsN = make([]float32, len(data.Observations))
	t.actN = make([]float32, len(data.Actions))
	od, ad := c.ObsDim, c.ActDim
	for i := range data.N {
		for j := range od {
			t.obsN[i*od+j] = float32((float64(data.Observations[i*od+j]) - m.norm.Mean[j]) / m.norm.Std[j])
		}
		for j := range ad {
			t.actN[i*ad+j] = float32((float64(data.Actions[i*ad+j]) - m.norm.Mean[od+j]) / m.norm.Std[od+j])
		}
	}
	for _, p := range m.params {
		t.grads = append(t.grads, make([]float32, len(p.data)))
	}
	t.buildValSet()
	return t, nil
}

// Model is the model being trained.
func (t *Trainer) Model() *Model { return t.model }

// Step is the number of optimizer steps taken so far.
func (t *Trainer) Step() int { return t.state.header.Step }

// Config is the training configuration.
func (t *Trainer) Config() TrainConfig { return t.cfg }

// Windows reports how many training and validation windows the data holds.
func (t *Trainer) Windows() (train, val int) { return len(t.train), len(t.val) }

// TrainLoss is the mean loss over the last steps (a tenth of the run, at
// most 100).
func (t *Trainer) TrainLoss() float64 { return mean(t.state.header.Recent) }

// FirstLoss is the mean loss over the first steps (a tenth of the run, at
// most 100).
func (t *Trainer) FirstLoss() float64 { return mean(t.state.header.First) }

// LastValLoss is the most recent validation loss (0 before any).
func (t *Trainer) LastValLoss() float64 { return t.state.header.ValLoss }

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// lr is the learning rate for step s (0-based): linear warm-up, then
// cosine decay to MinLRFraction·LR at Steps.
func (t *Trainer) lr(s int) float64 {
	c := t.cfg
	if s < c.WarmupSteps {
		return c.LR * float64(s+1) / float64(c.WarmupSteps)
	}
	if c.LRDecay == "none" || c.Steps <= c.WarmupSteps {
		return c.LR
	}
	p := math.Min(float64(s-c.WarmupSteps)/float64(c.Steps-c.WarmupSteps), 1)
	return c.LR * (c.MinLRFraction + (1-c.MinLRFraction)*0.5*(1+math.Cos(math.Pi*p)))
}

// weight is the per-element loss weight of noise level k.
func (t *Trainer) weight(k int) float64 {
	if t.cfg.LossWeight == "min_snr" {
		return t.cfg.LossScale * math.Min(t.model.sched.SNR(k), t.cfg.SNRClip)
	}
	return t.cfg.LossScale
}

// sample draws one training batch (time-major layouts are built later):
// obs0 B×ObsDim, clean tokens x0 and noisy x (B×H×TokenDim), levels k and
// weights w (already divided by the element count, so the loss is a mean).
func (t *Trainer) sample(r *rand.Rand, starts []int, B int) (obs0, x, x0, w []float32, k []int) {
	c := t.model.cfg
	H, fs, od, ad := t.cfg.Horizon, c.FrameStack, c.ObsDim, c.ActDim
	td, fd := c.TokenDim(), c.FrameDim()
	obs0 = make([]float32, B*od)
	x = make([]float32, B*H*td)
	x0 = make([]float32, B*H*td)
	w = make([]float32, B*H*td)
	k = make([]int, B*H)
	T := t.model.sched.T()
	inv := 1 / float64(B*H*td)
	decay := make([]float64, H) // per-token weights, mean 1
	for tt := range H {
		decay[tt] = 1
		if g := t.cfg.TokenDecay; g > 0 && g < 1 {
			decay[tt] = math.Pow(g, float64(tt)) * float64(H) * (1 - g) / (1 - math.Pow(g, float64(H)))
		}
	}
	for b := range B {
		s := starts[r.IntN(len(starts))]
		copy(obs0[b*od:(b+1)*od], t.obsN[s*od:(s+1)*od])
		first := r.Float64() < t.cfg.FirstTokenCleanProb
		for tt := range H {
			kk := r.IntN(T + 1) // k ~ U{0..T}, independently per token
			if tt == 0 && first {
				kk = min(1, T)
			}
			k[b*H+tt] = kk
			ab := t.model.sched.AlphaBar(kk)
			sa, sn := math.Sqrt(ab), math.Sqrt(1-ab)
			wk := float32(t.weight(kk) * decay[tt] * inv)
			for f := range fs {
				n := tt*fs + f // frame n = [o_{s+n+1}, a_{s+n}]
				base := (b*H+tt)*td + f*fd
				copy(x0[base:base+od], t.obsN[(s+n+1)*od:(s+n+2)*od])
				c.ToRelative(x0[base:base+od], obs0[b*od:(b+1)*od])
				copy(x0[base+od:base+fd], t.actN[(s+n)*ad:(s+n+1)*ad])
			}
			for i := (b*H + tt) * td; i < (b*H+tt+1)*td; i++ {
				x[i] = float32(sa*float64(x0[i]) + sn*r.NormFloat64()) // x_k = √ᾱ x0 + √(1−ᾱ) ε
				w[i] = wk
			}
		}
	}
	return obs0, x, x0, w, k
}

// buildValSet fixes the validation batches (windows and noise) once, from a
// generator seeded independently of training, so every evaluation is
// comparable.
func (t *Trainer) buildValSet() {
	t.valSet = nil
	if len(t.val) == 0 {
		return
	}
	r := rand.New(rand.NewPCG(uint64(t.cfg.Seed), 0x7a1))
	for range t.cfg.ValBatches {
		obs0, x, x0, w, k := t.sample(r, t.val, t.cfg.Batch)
		t.valSet = append(t.valSet, valBatch{obs0, x, x0, w, k})
	}
}

// ValLoss evaluates the loss on the fixed validation batches; ok is false
// when the data has no validation windows.
func (t *Trainer) ValLoss() (loss float64, ok bool, err error) {
	if len(t.valSet) == 0 {
		return 0, false, nil
	}
	total := 0.0
	for _, vb := range t.valSet {
		out, err := t.model.Predict(&Input{B: t.cfg.Batch, H: t.cfg.Horizon, Obs0: vb.obs0, X: vb.x, K: vb.k})
		if err != nil {
			return 0, false, err
		}
		for i, v := range out.X0 {
			d := float64(v - vb.x0[i])
			total += float64(vb.w[i]) * d * d
		}
	}
	loss = total / float64(len(t.valSet))
	t.state.header.ValLoss = loss
	return loss, true, nil
}

// TrainStep takes one optimizer step and returns the batch loss.
func (t *Trainer) TrainStep() (float64, error) {
	obs0, x, x0, w, k := t.sample(t.rng, t.train, t.cfg.Batch)
	loss, err := t.gradients(t.cfg.Engine, obs0, x, x0, w, k)
	if err != nil {
		return 0, fmt.Errorf("dynamics: train step %d: %w", t.Step()+1, err)
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) {
		return 0, fmt.Errorf("dynamics: train step %d: loss is %v (diverged; lower lr)", t.Step()+1, loss)
	}
	t.model.mu.Lock()
	t.adamW()
	t.model.mu.Unlock()
	h := &t.state.header
	h.Step++
	if n := t.lossWindow(); len(h.First) < n {
		h.First = append(h.First, loss)
	}
	h.Recent = append(h.Recent, loss)
	if n := t.lossWindow(); len(h.Recent) > n {
		h.Recent = h.Recent[len(h.Recent)-n:]
	}
	return loss, nil
}

// gradients computes the loss of one batch (batch-major arrays from
// sample) and leaves its gradient with respect to every weight in t.grads.
// The batch is cut into Shards parts, computed concurrently on up to
// GOMAXPROCS goroutines and summed in shard order, so the result does not
// depend on the thread count.
func (t *Trainer) gradients(engine string, obs0, x, x0, w []float32, k []int) (float64, error) {
	m := t.model
	c := m.cfg
	H, td, od := t.cfg.Horizon, c.TokenDim(), c.ObsDim
	S, B := t.cfg.Shards, t.cfg.Batch
	m.mu.Lock()
	defer m.mu.Unlock()
	if t.shardGrads == nil {
		t.shardGrads = make([][][]float32, S)
		for s := range S {
			for _, p := range m.params {
				t.shardGrads[s] = append(t.shardGrads[s], make([]float32, len(p.data)))
			}
		}
	}
	losses, errs := make([]float64, S), make([]error, S)
	// On the graph engine a shard that gorgonia would differentiate wrongly
	// in one graph runs as consecutive pieces of seqs[s] sequences (at most
	// graphMaxRows token rows, graphSeqs), one after the other on the
	// shard's graphs (one per piece size), their gradients summed in piece
	// order.
	seqs := make([]int, S)
	var graphs []map[int]*graph
	if engine == EngineGraph {
		if err := graphGradients(c, H); err != nil {
			return 0, err
		}
		graphs = make([]map[int]*graph, S)
		for s := range S {
			graphs[s] = map[int]*graph{}
			lo, hi := s*B/S, (s+1)*B/S
			seqs[s] = graphSeqs(hi-lo, H)
			for a := lo; a < hi; a += seqs[s] {
				n := min(seqs[s], hi-a)
				if graphs[s][n] != nil {
					continue
				}
				g, err := m.graph(n, H, passTrain, s, false)
				if err != nil {
					return 0, err
				}
				graphs[s][n] = g
			}
		}
	}
	l := m.layers()
	shard := func(s int) {
		grads := t.shardGrads[s]
		if engine == EngineGraph {
			lo, hi := s*B/S, (s+1)*B/S
			losses[s] = 0
			for a := lo; a < hi; a += seqs[s] {
				b := min(a+seqs[s], hi)
				g := graphs[s][b-a]
				tok := func(v []float32) []float32 { return v[a*H*td : b*H*td] }
				g.feed(m, obs0[a*od:b*od], nil, tok(x), k[a*H:b*H])
				g.feedTokens(g.target.data, tok(x0))
				g.feedTokens(g.weight.data, tok(w))
				if errs[s] = g.run(); errs[s] != nil {
					return
				}
				losses[s] += scalarValue(g.loss)
				for i, gn := range g.gradParams {
					if a == lo {
						copy(grads[i], valueData(gn))
						continue
					}
					for j, v := range valueData(gn) {
						grads[i][j] += v
					}
				}
			}
			return
		}
		lo, hi := s*B/S, (s+1)*B/S
		for _, g := range grads {
			clear(g)
		}
		in := &Input{B: hi - lo, H: H, Obs0: obs0[lo*od : hi*od], X: x[lo*H*td : hi*H*td], K: k[lo*H : hi*H]}
		gl := m.layersOver(func(i int) []float32 { return grads[i] })
		losses[s] = m.lossGradient(l, gl, in, x0[lo*H*td:hi*H*td], w[lo*H*td:hi*H*td])
	}
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for s := range S {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			shard(s)
		})
	}
	wg.Wait()
	loss := 0.0
	for s := range S {
		if errs[s] != nil {
			return 0, errs[s]
		}
		loss += losses[s]
	}
	// The shards' gradients, summed in shard order.
	forEachParam(len(t.grads), func(i int) {
		dst := t.grads[i]
		copy(dst, t.shardGrads[0][i])
		for s := 1; s < S; s++ {
			for j, v := range t.shardGrads[s][i] {
				dst[j] += v
			}
		}
	})
	return loss, nil
}

// adamW applies one AdamW update (Loshchilov & Hutter) with global-norm
// gradient clipping:
//
//	g ← g · min(1, clip/‖g‖)
//	m ← β1 m + (1−β1) g,   v ← β2 v + (1−β2) g²
//	θ ← θ − lr (m/(1−β1^t) / (√(v/(1−β2^t)) + ε) + λ θ)   (λ on weight matrices only)
func (t *Trainer) adamW() {
	c := t.cfg
	step := t.state.header.Step + 1
	// Per-parameter sums of squares, added in parameter order: the same
	// norm whatever the thread count.
	sq := make([]float64, len(t.grads))
	forEachParam(len(t.grads), func(i int) {
		for _, v := range t.grads[i] {
			sq[i] += float64(v) * float64(v)
		}
	})
	norm2 := 0.0
	for _, v := range sq {
		norm2 += v
	}
	scale := 1.0
	if n := math.Sqrt(norm2); c.GradClip > 0 && n > c.GradClip {
		scale = c.GradClip / n
	}
	lr := t.lr(step - 1)
	bc1 := 1 - math.Pow(c.Beta1, float64(step))
	bc2 := 1 - math.Pow(c.Beta2, float64(step))
	b1, b2 := float32(c.Beta1), float32(c.Beta2)
	ib1, ib2 := 1/bc1, 1/bc2 // multiplications in the loop, not divisions
	forEachParam(len(t.model.params), func(i int) {
		p := t.model.params[i]
		decay := 0.0
		if len(p.shape) == 2 {
			decay = c.WeightDecay
		}
		mm, vv, g := t.state.adamM[i], t.state.adamV[i], t.grads[i]
		for j := range p.data {
			gj := float32(float64(g[j]) * scale)
			m := b1*mm[j] + (1-b1)*gj
			v := b2*vv[j] + (1-b2)*gj*gj
			mm[j], vv[j] = m, v
			pj := float64(p.data[j])
			p.data[j] = float32(pj - lr*(float64(m)*ib1/(math.Sqrt(float64(v)*ib2)+c.Eps)+decay*pj))
		}
	})
}

// forEachParam calls f(i) for i in 0..n-1 on up to GOMAXPROCS goroutines.
// Each parameter's work is independent, so the outcome does not depend on
// the thread count.
func forEachParam(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	next := make(chan int, n)
	for i := range n {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	wg.Wait()
}

// Save writes a resumable checkpoint: the model plus optimizer state and
// random-number position (see the checkpoint format in checkpoint.go).
func (t *Trainer) Save(path string, prov Provenance) error {
	b, err := t.pcg.MarshalBinary()
	if err != nil {
		return err
	}
	t.state.header.RNG = b
	t.state.header.WallSeconds = t.WallSeconds()
	return t.model.save(path, prov, &t.state)
}

// WallSeconds is the training time of this run plus that of earlier runs
// recorded in the resumed checkpoint.
func (t *Trainer) WallSeconds() float64 {
	if t.started.IsZero() {
		return t.wallBase
	}
	return t.wallBase + time.Since(t.started).Seconds()
}

// Progress is reported after every step by Run.
type Progress struct {
	Step, Steps int
	Loss        float64 // this step's loss
	TrainLoss   float64 // mean over recent steps
	ValLoss     float64 // latest validation loss, if HasVal
	HasVal      bool
	StepsPerSec float64 // this run's average
	// TokensPerSec is this run's average throughput in training tokens
	// (windows × tokens per window) per second.
	TokensPerSec float64
	// Remaining is the estimated time to reach Steps at this run's rate.
	Remaining time.Duration
	LR        float64
}

// RunOptions control Run.
type RunOptions struct {
	// CheckpointPath, if set, receives a resumable checkpoint every
	// CheckpointEvery (wall time), when the context is cancelled, and at the
	// end.
	CheckpointPath  string
	CheckpointEvery time.Duration
	// Provenance is stored in checkpoints; Run fills Steps, losses, Seed,
	// Tokens, WallSeconds, TokensPerSecond, Date and Train.
	Provenance Provenance
	// Progress, if set, is called after every step.
	Progress func(Progress)
	// Checkpointed, if set, is called after every checkpoint write with
	// the step it holds and the time the write took.
	Checkpointed func(step int, took time.Duration)
	// Now returns the time (tests); default time.Now.
	Now func() time.Time
}

// Summary describes a finished run.
type Summary struct {
	Steps           int     // optimizer steps taken in total
	StepsThisRun    int     // steps taken by this call
	FirstLoss       float64 // mean loss of the first steps of the whole training
	TrainLoss       float64 // mean loss of the last steps
	ValLoss         float64 // final validation loss
	HasVal          bool
	WallSeconds     float64 // total, over resumes
	TokensPerSecond float64 // this run
	TrainWindows    int
	ValWindows      int
}

// String is the summary printed at the end of `dfplan train`.
func (s Summary) String() string {
	val := "n/a (no validation split)"
	if s.HasVal {
		val = fmt.Sprintf("%.4f", s.ValLoss)
	}
	return fmt.Sprintf("steps %d (%d this run), loss %.4f → %.4f, val loss %s, %.0f tokens/s, %s total; windows: %d train, %d val",
		s.Steps, s.StepsThisRun, s.FirstLoss, s.TrainLoss, val, s.TokensPerSecond,
		(time.Duration(s.WallSeconds) * time.Second).String(), s.TrainWindows, s.ValWindows)
}

// Run trains until Config().Steps steps have been taken or ctx is done,
// checkpointing as configured. On cancellation it writes a checkpoint and
// returns ctx's error with the summary so far.
func (t *Trainer) Run(ctx context.Context, o RunOptions) (Summary, error) {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	t.started = time.Now()
	start := now()
	lastCkpt := start
	startStep := t.Step()
	var runErr error
	save := func() error {
		if o.CheckpointPath == "" {
			return nil
		}
		lastCkpt = now()
		t0 := time.Now()
		if err := t.Save(o.CheckpointPath, t.provenance(o.Provenance, startStep, start, now)); err != nil {
			return err
		}
		if o.Checkpointed != nil {
			o.Checkpointed(t.Step(), time.Since(t0))
		}
		return nil
	}
	for t.Step() < t.cfg.Steps {
		if err := ctx.Err(); err != nil {
			runErr = err
			break
		}
		loss, err := t.TrainStep()
		if err != nil {
			return t.summary(startStep, start, now), err
		}
		s := t.Step()
		if len(t.valSet) > 0 && (s%t.cfg.ValEvery == 0 || s == t.cfg.Steps) {
			if _, _, err := t.ValLoss(); err != nil {
				return t.summary(startStep, start, now), err
			}
		}
		if o.Progress != nil {
			el := math.Max(now().Sub(start).Seconds(), 1e-9)
			sps := float64(s-startStep) / el
			o.Progress(Progress{Step: s, Steps: t.cfg.Steps, Loss: loss, TrainLoss: t.TrainLoss(),
				ValLoss: t.state.header.ValLoss, HasVal: s >= t.cfg.ValEvery && len(t.valSet) > 0,
				StepsPerSec: sps, TokensPerSec: sps * float64(t.cfg.Batch*t.cfg.Horizon),
				Remaining: time.Duration(float64(t.cfg.Steps-s) / sps * float64(time.Second)), LR: t.lr(s - 1)})
		}
		if o.CheckpointEvery > 0 && now().Sub(lastCkpt) >= o.CheckpointEvery && s < t.cfg.Steps {
			if err := save(); err != nil {
				return t.summary(startStep, start, now), err
			}
		}
	}
	if runErr == nil && len(t.valSet) > 0 && t.state.header.ValLoss == 0 {
		if _, _, err := t.ValLoss(); err != nil {
			return t.summary(startStep, start, now), err
		}
	}
	if err := save(); err != nil {
		return t.summary(startStep, start, now), err
	}
	return t.summary(startStep, start, now), runErr
}

func (t *Trainer) summary(startStep int, start time.Time, now func() time.Time) Summary {
	el := now().Sub(start).Seconds()
	tokens := float64((t.Step() - startStep) * t.cfg.Batch * t.cfg.Horizon)
	tps := 0.0
	if el > 0 {
		tps = tokens / el
	}
	return Summary{
		Steps: t.Step(), StepsThisRun: t.Step() - startStep,
		FirstLoss: t.FirstLoss(), TrainLoss: t.TrainLoss(),
		ValLoss: t.state.header.ValLoss, HasVal: len(t.valSet) > 0,
		WallSeconds: t.WallSeconds(), TokensPerSecond: tps,
		TrainWindows: len(t.train), ValWindows: len(t.val),
	}
}

func (t *Trainer) provenance(p Provenance, startStep int, start time.Time, now func() time.Time) Provenance {
	s := t.summary(startStep, start, now)
	p.Steps = s.Steps
	p.Tokens = int64(s.Steps) * int64(t.cfg.Batch*t.cfg.Horizon)
	p.FirstLoss = s.FirstLoss
	p.TrainLoss = s.TrainLoss
	p.ValLoss = s.ValLoss
	p.Seed = t.cfg.Seed
	p.WallSeconds = s.WallSeconds
	p.TokensPerSecond = s.TokensPerSecond
	p.Date = now().UTC().Format(time.RFC3339)
	tc := t.cfg
	p.Train = &tc
	if p.Summary == "" {
		p.Summary = s.String()
	}
	return p
}

// Train trains a fresh model (or resumes, see ResumeTrainer) and returns
// it with the run's summary: NewTrainer followed by Run.
func Train(ctx context.Context, cfg Config, tc TrainConfig, data *d4rl.Dataset, o RunOptions) (*Model, Summary, error) {
	t, err := NewTrainer(cfg, tc, data)
	if err != nil {
		return nil, Summary{}, err
	}
	s, err := t.Run(ctx, o)
	return t.model, s, err
}

// TrainMemory estimates the peak bytes a training run of config c and
// training config tc needs on a dataset of rows transitions with up to
// threads shards computed at once: the dataset and its normalized copy,
// the window index, the weights with their gradients and AdamW moments,
// one batch, and each running shard's activations and gradients (what
// forward and backward allocate per token row), doubled for the garbage
// collector's headroom (GOGC = 100 lets the heap grow to twice what is
// live). It errs high rather than low, and is meant for refusing a run
// that cannot fit before it starts.
func TrainMemory(c Config, tc TrainConfig, rows, threads int) int64 {
	fd := int64(c.FrameDim())
	perRow := rowFloats(c)
	shardRows := int64((tc.Batch + tc.Shards - 1) / tc.Shards * tc.Horizon)
	running := int64(min(max(threads, 1), tc.Shards))
	params := int64(ParamCount(c))
	data := int64(rows) * (2*4*fd + 2 + 8) // raw and normalized frames, flags, window starts
	weights := params * 4 * (4 + int64(tc.Shards))
	batch := int64(tc.Batch*tc.Horizon) * (4*int64(c.TokenDim()) + 1) * 4
	live := data + weights + batch + 4*perRow*shardRows*running
	return 2 * live
}

// rowFloats is the float32s a pass keeps per token row: the activations
// forward records for the backward pass, and the backward pass's gradients.
func rowFloats(c Config) int64 {
	td, e, z, h, L := int64(c.TokenDim()), int64(c.EmbedDim), int64(c.ZDim), int64(c.Hidden), int64(c.Layers)
	return (td + e + z) + 3*td + h*(11+10*L) + 14*z
}

// PredictMemory estimates the peak bytes of one Predict call over rows
// token rows (batch × tokens; the planner's batch counts each Monte Carlo
// sample), with the vector–Jacobian product: what the pass allocates per
// row, doubled for the garbage collector's headroom.
func PredictMemory(c Config, rows int) int64 {
	return 2 * 4 * rowFloats(c) * int64(rows)
}

// ParamCount is the number of trainable scalars of a model of config c.
func ParamCount(c Config) int {
	n := 0
	for _, p := range paramShapes(c) {
		k := 1
		for _, d := range p.shape {
			k *= d
		}
		n += k
	}
	return n
}
