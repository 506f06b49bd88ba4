package planner

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/guidance"
)

// Config configures a Diffusion Forcing planner.
type Config struct {
	// Schedule is the scheduling matrix: pyramid (default), full_sequence
	// or autoregressive.
	Schedule string `json:"schedule" yaml:"schedule"`
	// SamplingSteps is S, the number of DDIM steps a token takes from pure
	// noise to clean. Default 10.
	SamplingSteps int `json:"sampling_steps" yaml:"sampling_steps"`
	// Uncertainty is u, the pyramid's slope: token t starts denoising u·t
	// rows after token 0. Default 1.
	Uncertainty float64 `json:"uncertainty" yaml:"uncertainty"`
	// HorizonTokens is the number of tokens planned. Default 30.
	HorizonTokens int `json:"horizon_tokens" yaml:"horizon_tokens"`
	// OpenLoop is the number of planned frames executed before replanning.
	// Default: the model's frame stack. Must not exceed the horizon.
	OpenLoop int `json:"open_loop" yaml:"open_loop"`
	// Eta is DDIM's η: 0 (default) is deterministic given the initial noise.
	Eta float64 `json:"eta" yaml:"eta"`
	// GuidanceScale multiplies the goal-reaching gradient; 0 samples
	// without guidance. Default 0.
	GuidanceScale float64 `json:"guidance_scale" yaml:"guidance_scale"`
	// MCGSamples is N, the number of sampled futures the guidance gradient
	// is averaged over; 1 (default) is plain guidance.
	MCGSamples int `json:"mcg_samples" yaml:"mcg_samples"`
	// MCGChain draws MCG's samples close to the way the reference
	// planner's ddim_repeats does: each re-noises every token of the
	// previous sample's clean prediction at the token's own level, so the
	// samples vary the tokens being denoised as well as the future, and
	// the gradient flows back through the chain
	// (guidance.MonteCarlo.Chain). The samples are then N network passes
	// one after the other. Off (the default), only the tokens still
	// waiting at the top noise level are redrawn, all in one batched
	// pass. It lost to plain guidance on held-out seeds
	// (results/mcg-chain/README.md).
	MCGChain bool `json:"mcg_chain,omitempty" yaml:"mcg_chain"`
	// Discount weights plan frame f by Discount^f in the goal objective;
	// 0 or 1 weights all frames alike. Default 0.
	Discount float64 `json:"discount" yaml:"discount"`
	// WarmRows, when a previous plan is given (PlanBatchWarm), starts
	// sampling at row WarmRows of the scheduling matrix instead of row 0:
	// the previous plan, shifted by the frames executed since, is noised to
	// that row's levels and denoised from there. Plans then keep the route
	// they chose, and a batch of warm-started plans takes WarmRows fewer
	// network passes (a batch that mixes warm and cold plans takes both
	// passes). Must be below SamplingSteps. 0 (default) samples every plan
	// from pure noise.
	WarmRows int `json:"warm_rows" yaml:"warm_rows"`
	// StopWeight λ, when > 0, makes a robot that is within StopGate of
	// its goal plan to stop there: its goal objective also charges
	// λ·φ·huber(speed) for every planned frame, φ = exp(−d²/(2r²)) at
	// distance d from the goal (guidance.GoalReaching). It acts through
	// guidance, so only with GuidanceScale > 0. Default 0 (off).
	StopWeight float64 `json:"stop_weight" yaml:"stop_weight"`
	// StopRadius is r above. Default 0.5, D4RL maze2d's goal radius.
	StopRadius float64 `json:"stop_radius" yaml:"stop_radius"`
	// StopGate is how close to its goal a robot must be for its plans to
	// pay the stop term. Default 2·StopRadius; at StopRadius the term only
	// acts once the robot has arrived, and never slows its approach.
	StopGate float64 `json:"stop_gate" yaml:"stop_gate"`
	// Unstick, when > 0, frees a robot pinned against something its model
	// does not know, such as a wall its plans run through: when the
	// open loop just executed moved the robot less than PinnedMoved
	// while its plan said more than PinnedPlanned, the next Unstick
	// replans of that robot are sampled without guidance, from the model
	// alone, which moves it the way the logged robots moved from there.
	// It reads only the robot's own observations, never a map. It needs
	// the previous plan (PlanBatchWarm, PlanWarm); unguided plans are
	// sampled from noise even with WarmRows. A robot within StopRadius of
	// its goal is never taken for pinned. With GuidanceScale 0 it does
	// nothing. Default 0 (off).
	Unstick int `json:"unstick" yaml:"unstick"`
	// Stall, when > 0, also treats as pinned a robot that has stopped
	// getting closer to its goal: one whose distance to the goal, judged
	// where each plan was asked for, has not come StallMargin below its
	// distance at its last progress for Stall guided replans in a row.
	// Its next Unstick replans are then sampled without guidance, which
	// takes it along the way the logged robots moved from there, out of a
	// pocket that straight-line guidance keeps it in. It reads only the
	// robot's own distance to its goal, never a map. It needs Unstick > 0
	// and the previous plan (Plan.Best and Plan.Stalled carry the count).
	// Default 0 (off); on large it gained nothing (results/stall/).
	Stall int `json:"stall,omitempty" yaml:"stall"`
	// StepWaiting, when set, also moves every token still waiting at the
	// top noise level (one the schedule has not started) on each row, as
	// the reference planner does: one DDIM step from the top level to the
	// next, with its guidance shift, after which the token counts as at
	// the top level again. Waiting tokens then carry the model's and the
	// goal's pull into their own turn. With MCG their gradient is the
	// average over the samples, which redraw them (as the reference
	// averages over its samples of every token); MCGShift and
	// ThroughFuture leave them out. With one sampling step the step is to
	// clean: a waiting token becomes its prediction, still counted as
	// noise. Off (the default), a token whose level does not change keeps
	// its value, as the design says.
	StepWaiting bool `json:"step_waiting,omitempty" yaml:"step_waiting"`
	// Seed seeds the sampling noise. Default 0.
	Seed uint64 `json:"seed" yaml:"seed"`
	// Decompose, a diagnostic for code (not a plan setting), fills
	// Plan.ThroughFuture at the cost of a second backward pass per row
	// (guidance.MonteCarlo.Decompose).
	Decompose bool `json:"-" yaml:"-"`
}

// A robot is pinned when its last open loop moved it less than
// PinnedMoved (m) while its plan moved it more than PinnedPlanned (m):
// in maze2d traces, 63 % of the plans of the medium robots that never
// reached their goal, against 4 % in the episodes that did
// (results/replans/walls-medium-seed0.md).
const (
	PinnedMoved   = 0.05
	PinnedPlanned = 0.20
)

// StallMargin (m) is how much closer to its goal than ever before a robot
// must come for Config.Stall to count it as making progress.
const StallMargin = 0.1

// Upper bounds that keep a typo from allocating the machine away.
const (
	maxHorizonTokens = 1000
	maxMCGSamples    = 256
	// MaxUnstick bounds Config.Unstick.
	MaxUnstick = 100
	// MaxStall bounds Config.Stall.
	MaxStall = 1000
)

// withDefaults fills zero fields with their defaults for model.
func (c Config) withDefaults(mc dynamics.Config) Config {
	if c.Schedule == "" {
		c.Schedule = Pyramid
	}
	if c.SamplingSteps == 0 {
		c.SamplingSteps = 10
	}
	if c.Uncertainty == 0 && c.Schedule == Pyramid {
		c.Uncertainty = 1
	}
	if c.HorizonTokens == 0 {
		c.HorizonTokens = 30
	}
	if c.OpenLoop == 0 {
		c.OpenLoop = mc.FrameStack
	}
	if c.MCGSamples == 0 {
		c.MCGSamples = 1
	}
	if c.StopRadius == 0 {
		c.StopRadius = 0.5
	}
	if c.StopGate == 0 {
		c.StopGate = 2 * c.StopRadius
	}
	return c
}

// validate names the first field that cannot work with model config mc.
func (c Config) validate(mc dynamics.Config) error {
	switch {
	case c.SamplingSteps < 1:
		return fmt.Errorf("planner config: sampling_steps %d, want ≥ 1", c.SamplingSteps)
	case c.SamplingSteps > mc.DiffusionSteps:
		return fmt.Errorf("planner config: sampling_steps %d exceeds the model's %d diffusion steps", c.SamplingSteps, mc.DiffusionSteps)
	case c.HorizonTokens < 1:
		return fmt.Errorf("planner config: horizon_tokens %d, want ≥ 1", c.HorizonTokens)
	case c.OpenLoop < 1:
		return fmt.Errorf("planner config: open_loop %d, want ≥ 1", c.OpenLoop)
	case c.OpenLoop > c.HorizonTokens*mc.FrameStack:
		return fmt.Errorf("planner config: open_loop %d frames exceeds the horizon of %d frames", c.OpenLoop, c.HorizonTokens*mc.FrameStack)
	case !(c.Eta >= 0 && c.Eta <= 1):
		return fmt.Errorf("planner config: eta %g, want in [0, 1]", c.Eta)
	case !(c.GuidanceScale >= 0) || math.IsInf(c.GuidanceScale, 0):
		return fmt.Errorf("planner config: guidance_scale %g, want ≥ 0", c.GuidanceScale)
	case c.MCGSamples < 1:
		return fmt.Errorf("planner config: mcg_samples %d, want ≥ 1", c.MCGSamples)
	case c.WarmRows < 0 || c.WarmRows >= c.SamplingSteps:
		return fmt.Errorf("planner config: warm_rows %d, want 0 … sampling_steps−1 (%d)", c.WarmRows, c.SamplingSteps-1)
	case !(c.Discount >= 0 && c.Discount <= 1):
		return fmt.Errorf("planner config: discount %g, want in [0, 1]", c.Discount)
	case !(c.StopWeight >= 0) || math.IsInf(c.StopWeight, 0):
		return fmt.Errorf("planner config: stop_weight %g, want ≥ 0", c.StopWeight)
	case !(c.StopRadius > 0) || math.IsInf(c.StopRadius, 0):
		return fmt.Errorf("planner config: stop_radius %g, want > 0", c.StopRadius)
	case !(c.StopGate > 0) || math.IsInf(c.StopGate, 0):
		return fmt.Errorf("planner config: stop_gate %g, want > 0", c.StopGate)
	case c.StopWeight > 0 && c.GuidanceScale == 0:
		return fmt.Errorf("planner config: stop_weight %g acts through guidance, and guidance_scale is 0", c.StopWeight)
	case c.Unstick < 0 || c.Unstick > MaxUnstick:
		return fmt.Errorf("planner config: unstick %d, want 0 … %d", c.Unstick, MaxUnstick)
	case c.Stall < 0 || c.Stall > MaxStall:
		return fmt.Errorf("planner config: stall %d, want 0 … %d", c.Stall, MaxStall)
	case c.Stall > 0 && c.Unstick == 0:
		return fmt.Errorf("planner config: stall %d frees a stalled robot with unguided replans, and unstick is 0", c.Stall)
	case c.StopWeight > 0 && (mc.ObsDim < 4 || mc.RelativeDims > 2):
		return fmt.Errorf("planner config: stop_weight needs observations x, y, vx, vy with absolute velocities; the model has %d features, %d relative", mc.ObsDim, mc.RelativeDims)
	case c.HorizonTokens > maxHorizonTokens:
		return fmt.Errorf("planner config: horizon_tokens %d, want ≤ %d", c.HorizonTokens, maxHorizonTokens)
	case c.MCGSamples > maxMCGSamples:
		return fmt.Errorf("planner config: mcg_samples %d, want ≤ %d", c.MCGSamples, maxMCGSamples)
	case mc.ObsDim < 2:
		return fmt.Errorf("planner: model observations have %d features, need x and y", mc.ObsDim)
	}
	return nil
}

// Model is what the planner needs of a Diffusion Forcing model;
// *dynamics.Model satisfies it.
type Model interface {
	guidance.Denoiser
	Config() dynamics.Config
	Normalization() dynamics.Normalization
}

// Planner samples guided plans from a Diffusion Forcing model. It is safe
// for concurrent use; calls are serialized.
type Planner struct {
	conf   Config
	model  Model
	mconf  dynamics.Config
	norm   dynamics.Normalization
	matrix [][]int
	mcg    *guidance.MonteCarlo

	mu  sync.Mutex
	rng *rand.Rand

	// carryEvery is the granularity of the token offsets passes start at.
	carryEvery int
	// recompute disables carrying latents over unchanged tokens (tests).
	recompute bool
}

// New returns a planner for model. Zero fields of conf take their defaults.
func New(model Model, conf Config) (*Planner, error) {
	mc := model.Config()
	conf = conf.withDefaults(mc)
	if err := conf.validate(mc); err != nil {
		return nil, err
	}
	k, err := SchedulingMatrix(conf.Schedule, conf.SamplingSteps, conf.HorizonTokens, conf.Uncertainty)
	if err != nil {
		return nil, fmt.Errorf("planner config: %w", err)
	}
	norm := model.Normalization()
	obj := &guidance.GoalReaching{
		FrameStack: mc.FrameStack,
		FrameDim:   mc.ObsDim + mc.ActDim,
		PosIndex:   [2]int{0, 1},
		Mean:       [2]float64{norm.Mean[0], norm.Mean[1]},
		Std:        [2]float64{norm.Std[0], norm.Std[1]},
		Discount:   conf.Discount,
	}
	if conf.StopWeight > 0 {
		obj.StopRadius = conf.StopRadius
		obj.VelIndex = [2]int{2, 3}
		obj.VelMean = [2]float64{norm.Mean[2], norm.Mean[3]}
		obj.VelStd = [2]float64{norm.Std[2], norm.Std[3]}
	}
	if err := obj.Validate(); err != nil {
		return nil, fmt.Errorf("planner: %w", err)
	}
	return &Planner{
		conf:   conf,
		model:  model,
		mconf:  mc,
		norm:   norm,
		matrix: k,
		mcg:    &guidance.MonteCarlo{Model: model, Objective: obj, Samples: conf.MCGSamples, Decompose: conf.Decompose, Chain: conf.MCGChain},
		rng:    rand.New(rand.NewPCG(conf.Seed, 0x5eed)),
		// At most 4 distinct start offsets (and so graph shapes) per pass kind.
		carryEvery: max(1, (conf.HorizonTokens+3)/4),
	}, nil
}

// Config returns the planner's configuration with defaults filled in.
func (p *Planner) Config() Config { return p.conf }

// Plan implements Policy for a single observation.
func (p *Planner) Plan(ctx context.Context, obs, goal []float64) (*Plan, error) {
	return p.PlanWarm(ctx, obs, goal, nil)
}

// PlanWarm implements WarmPolicy for a single observation.
func (p *Planner) PlanWarm(ctx context.Context, obs, goal []float64, warm *Warm) (*Plan, error) {
	var w []*Warm
	if warm != nil {
		w = []*Warm{warm}
	}
	plans, err := p.PlanBatchWarm(ctx, [][]float64{obs}, [][]float64{goal}, w)
	if err != nil {
		return nil, err
	}
	return plans[0], nil
}

// PlanBatch plans for several observations (one per robot or episode) in
// one batched pass. It stops between sampling rows when ctx ends.
func (p *Planner) PlanBatch(ctx context.Context, obs, goals [][]float64) ([]*Plan, error) {
	return p.PlanBatchWarm(ctx, obs, goals, nil)
}

// Warm is a previous plan to start sampling from.
type Warm struct {
	// Plan is the plan made earlier for the same robot or episode.
	Plan *Plan
	// Executed is the number of its actions executed since: the new
	// plan's frame f continues the old plan's frame f + Executed.
	Executed int
	// Ahead, when > 0, says the new plan cannot take over before Ahead
	// more steps, during which the robot keeps executing Plan's actions
	// Executed … Executed+Ahead−1 (a plan that arrives late, as on a
	// robot). If Plan predicts those frames, the new plan is made from the
	// state it predicts then (see Predict) instead of the observation
	// given, and says so in its Ahead; otherwise it is made from the
	// observation, with Ahead 0.
	Ahead int
}

// Predict returns where the robot now at obs will be once it has executed
// pl's actions from … from+ahead−1: obs moved by what pl predicts for
// those frames (every observation value, velocity included), so that the
// plan's error so far is kept, not repeated. ok is false when pl does not
// predict them (too short, no observations, other sizes) or ahead < 1.
func Predict(pl *Plan, from, ahead int, obs []float64) (next []float64, ok bool) {
	if pl == nil || ahead < 1 || from < 0 || from+ahead > len(pl.Observations) {
		return nil, false
	}
	base := pl.Start
	if from > 0 {
		base = pl.Observations[from-1]
	}
	end := pl.Observations[from+ahead-1]
	if len(base) != len(obs) || len(end) != len(obs) {
		return nil, false
	}
	next = make([]float64, len(obs))
	for k := range obs {
		next[k] = obs[k] + end[k] - base[k]
	}
	if _, bad := nonFinite(next); bad {
		return nil, false
	}
	return next, true
}

// PlanBatchWarm is PlanBatch with, per observation, an optional previous
// plan (warm[i] nil, or warm nil, plans from pure noise). With
// Config.WarmRows > 0, warm-started plans begin at that row of the
// scheduling matrix from the previous plan noised to its levels.
func (p *Planner) PlanBatchWarm(ctx context.Context, obs, goals [][]float64, warm []*Warm) ([]*Plan, error) {
	if len(obs) != len(goals) {
		return nil, fmt.Errorf("plan: %d observations but %d goals", len(obs), len(goals))
	}
	if warm != nil && len(warm) != len(obs) {
		return nil, fmt.Errorf("plan: %d observations but %d previous plans", len(obs), len(warm))
	}
	if len(obs) == 0 {
		return nil, nil
	}
	for i := range obs {
		if len(obs[i]) != p.mconf.ObsDim {
			return nil, fmt.Errorf("plan: observation %d has %d values, model wants %d", i, len(obs[i]), p.mconf.ObsDim)
		}
		if len(goals[i]) != 2 {
			return nil, fmt.Errorf("plan: goal %d has %d values, want x, y", i, len(goals[i]))
		}
		if v, bad := nonFinite(obs[i], goals[i]); bad {
			return nil, fmt.Errorf("plan: observation or goal %d contains %v", i, v)
		}
	}
	// Whether the robot is pinned is judged where it is; the plan is made
	// from where it will be when the plan takes over (Warm.Ahead).
	unguided := make([]int, len(obs))
	from, ahead := slices.Clone(obs), make([]int, len(obs))
	prog := make([]progress, len(obs))
	for i := range obs {
		var w *Warm
		if warm != nil {
			w = warm[i]
		}
		prog[i] = p.progress(w, obs[i], goals[i])
		if w == nil {
			continue
		}
		var pinned bool
		unguided[i], pinned = p.unguided(w, obs[i], goals[i], &prog[i])
		// A robot just found pinned does not move as its plan says: plan
		// from where it is.
		if w := warm[i]; w.Ahead > 0 && !pinned {
			if next, ok := Predict(w.Plan, w.Executed, w.Ahead, obs[i]); ok {
				from[i], ahead[i] = next, w.Ahead
			}
		}
	}
	// Warm and cold plans start at different rows: plan them apart.
	var cold, hot []int
	for i := range obs {
		use, err := p.usable(warm, i)
		if err != nil {
			return nil, err
		}
		// Nothing of the previous plan left after the frames executed
		// before the new one takes over: plan from noise.
		use = use && warm[i].Executed+ahead[i] < len(warm[i].Plan.Actions)
		// An unguided plan frees a pinned robot from noise, not from the
		// plan that pinned it.
		if use && unguided[i] == 0 {
			hot = append(hot, i)
		} else {
			cold = append(cold, i)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	plans := make([]*Plan, len(obs))
	for _, part := range []struct {
		idx  []int
		warm bool
	}{{cold, false}, {hot, true}} {
		idx := part.idx
		if len(idx) == 0 {
			continue
		}
		od := p.mconf.ObsDim
		obs0 := make([]float32, len(idx)*od)
		g := make([][]float64, len(idx))
		var prev []*Warm
		free := make([]bool, len(idx))
		for j, i := range idx {
			p.norm.NormalizeObs(obs0[j*od:(j+1)*od], from[i])
			g[j] = p.objectiveGoal(from[i], goals[i])
			if part.warm {
				// The new plan's frame f continues the old one's frame f +
				// Executed + Ahead.
				prev = append(prev, &Warm{Plan: warm[i].Plan, Executed: warm[i].Executed + ahead[i]})
			}
			free[j] = unguided[i] > 0
		}
		x, diag, err := p.sample(ctx, obs0, p.modelGoals(obs0, g), p.warmStart(prev, obs0), free)
		if err != nil {
			return nil, err
		}
		for j, pl := range p.decode(x, obs0) {
			pl.MCGShift, pl.ThroughFuture = diag.shift[j], diag.through[j]
			pl.Asked = slices.Clone(obs[idx[j]])
			pl.Start = slices.Clone(from[idx[j]])
			pl.Unguided = unguided[idx[j]]
			pl.Goal = slices.Clone(goals[idx[j]])
			pl.Best, pl.Stalled = prog[idx[j]].best, prog[idx[j]].stalled
			pl.Ahead = ahead[idx[j]]
			plans[idx[j]] = pl
		}
	}
	return plans, nil
}

// usable reports whether warm[i] can start plan i: WarmRows is set and a
// previous plan with frames left after the executed ones is given. A
// malformed previous plan is an error.
func (p *Planner) usable(warm []*Warm, i int) (bool, error) {
	if p.conf.WarmRows == 0 || warm == nil || warm[i] == nil {
		return false, nil
	}
	w := warm[i]
	if w.Plan == nil {
		return false, fmt.Errorf("plan: previous plan %d: nil", i)
	}
	n := len(w.Plan.Actions)
	if w.Executed < 0 || w.Executed > n {
		return false, fmt.Errorf("plan: previous plan %d: %d frames executed of %d", i, w.Executed, n)
	}
	if len(w.Plan.Observations) != n {
		return false, fmt.Errorf("plan: previous plan %d: %d observations for %d actions", i, len(w.Plan.Observations), n)
	}
	for f := w.Executed; f < n; f++ {
		o, a := w.Plan.Observations[f], w.Plan.Actions[f]
		if len(o) != p.mconf.ObsDim || len(a) != p.mconf.ActDim {
			return false, fmt.Errorf("plan: previous plan %d, frame %d: %d observation and %d action values, model wants %d and %d",
				i, f, len(o), len(a), p.mconf.ObsDim, p.mconf.ActDim)
		}
		if v, bad := nonFinite(o, a); bad {
			return false, fmt.Errorf("plan: previous plan %d, frame %d contains %v", i, f, v)
		}
	}
	// Nothing left to continue: plan from noise.
	return w.Executed < n, nil
}

// progress is a robot's record toward its goal for Config.Stall: its
// distance to the goal when it last made progress (came StallMargin
// closer than the record before), and the guided replans since.
type progress struct {
	best    float64
	stalled int
}

// progress returns the record of the robot now at obs after the plan w:
// a new one for a robot without a previous plan, or with one for another
// goal, or within StopRadius of its goal, where it should stay put.
func (p *Planner) progress(w *Warm, obs, goal []float64) progress {
	d := math.Hypot(obs[0]-goal[0], obs[1]-goal[1])
	switch {
	case w == nil || w.Plan == nil || !slices.Equal(w.Plan.Goal, goal) || d < p.conf.StopRadius:
		return progress{best: d}
	case d < w.Plan.Best-StallMargin:
		return progress{best: d}
	case w.Plan.Unguided > 0:
		return progress{best: w.Plan.Best}
	}
	return progress{best: w.Plan.Best, stalled: w.Plan.Stalled + 1}
}

// unguided returns how many unguided replans the robot now at obs owes,
// this one included, after the plan w (0: plan with guidance), and whether
// it was found pinned just now by its last open loop. With Config.Stall a
// robot whose record pr has stalled owes them too (it moves as planned,
// so pinned is false), and its record starts afresh; so does a pinned
// robot's. A robot within StopRadius of its goal is where it should be:
// it is never pinned.
func (p *Planner) unguided(w *Warm, obs, goal []float64, pr *progress) (n int, pinned bool) {
	switch {
	case p.conf.Unstick == 0 || w == nil || w.Plan == nil:
		return 0, false
	case math.Hypot(obs[0]-goal[0], obs[1]-goal[1]) < p.conf.StopRadius:
		return 0, false
	case w.Plan.Unguided > 1:
		return w.Plan.Unguided - 1, false
	case Pinned(w, obs):
		pr.stalled = 0
		return p.conf.Unstick, true
	case p.conf.Stall > 0 && pr.stalled >= p.conf.Stall:
		pr.stalled = 0
		return p.conf.Unstick, false
	}
	return 0, false
}

// Pinned reports whether the robot, now at obs, moved less than
// PinnedMoved since w's plan was asked for while the plan said more than
// PinnedPlanned: the plan's executed frames and, for a plan made ahead
// (Plan.Ahead), the previous plan's frames it was predicted from. It is
// false when w cannot tell (no start, nothing executed, no predicted
// position).
func Pinned(w *Warm, obs []float64) bool {
	if w == nil || w.Plan == nil {
		return false
	}
	pl := w.Plan
	from := pl.Asked
	if from == nil {
		from = pl.Start
	}
	if len(from) < 2 || len(obs) < 2 || w.Executed+pl.Ahead < 1 || w.Executed > len(pl.Observations) {
		return false
	}
	to := pl.Start // made ahead, nothing of it executed yet
	if w.Executed > 0 {
		to = pl.Observations[w.Executed-1]
	}
	if len(to) < 2 {
		return false
	}
	moved := math.Hypot(obs[0]-from[0], obs[1]-from[1])
	planned := math.Hypot(to[0]-from[0], to[1]-from[1])
	return moved < PinnedMoved && planned > PinnedPlanned
}

// nonFinite returns the first NaN or infinite value in vs, if any.
func nonFinite(vs ...[]float64) (float64, bool) {
	for _, v := range vs {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return x, true
			}
		}
	}
	return 0, false
}

// warmStart encodes the previous plans, shifted by the frames executed
// since, as the clean estimate of the new plans (B × H × TokenDim,
// normalized and relative to obs0). Frames past a previous plan's end
// repeat its last frame. It returns nil when prev is empty.
func (p *Planner) warmStart(prev []*Warm, obs0 []float32) []float32 {
	if len(prev) == 0 {
		return nil
	}
	od, fd := p.mconf.ObsDim, p.mconf.ObsDim+p.mconf.ActDim
	frames := p.conf.HorizonTokens * p.mconf.FrameStack
	est := make([]float32, len(prev)*frames*fd)
	for i, w := range prev {
		n := len(w.Plan.Actions)
		for f := 0; f < frames; f++ {
			src := min(f+w.Executed, n-1)
			dst := est[(i*frames+f)*fd : (i*frames+f+1)*fd]
			p.norm.NormalizeFrame(dst, w.Plan.Observations[src], w.Plan.Actions[src])
			p.mconf.ToRelative(dst[:od], obs0[i*od:(i+1)*od])
		}
	}
	return est
}

// sample runs the guided Diffusion Forcing sampler and returns the clean
// normalized plans, B × H × TokenDim.
//
// For each row transition m → m+1 of the scheduling matrix K:
//  1. predict x̂0 for every token from the current noisy tokens (one
//     network pass), and with guidance the Monte Carlo gradient ∇_x J;
//  2. move each token whose level drops, K[m][t] → K[m+1][t], by one DDIM
//     step, shifted by the guidance gradient; other tokens keep their value.
//
// The network is causal, so tokens before the first one that changed since
// the previous pass would give the same outputs again: each pass starts
// from the latent carried after them (token t0 − 1) instead.
//
// With a warm estimate (B × H × TokenDim clean tokens), sampling starts at
// row WarmRows with every token noised from the estimate to its level there.
//
// Plans i with free[i] set take no guidance.
//
// It also returns the plans' guidance diagnostics.
func (p *Planner) sample(ctx context.Context, obs0 []float32, goals [][]float64, warm []float32, free []bool) ([]float32, *diagnostics, error) {
	b, h := len(goals), p.conf.HorizonTokens
	d, zd := p.mconf.TokenDim(), p.mconf.ZDim
	sched := p.model.Schedule()
	S := p.conf.SamplingSteps
	level := func(l int) int { return l * sched.T() / S } // sampling step → diffusion step
	// Row 0: every token is pure noise.
	x := make([]float32, b*h*d)
	for i := range x {
		x[i] = float32(p.rng.NormFloat64())
	}
	x0 := make([]float32, b*h*d) // latest x̂0 of every token
	first := 0
	if warm != nil {
		first = p.conf.WarmRows // < SamplingSteps < len(p.matrix)
		for i := 0; i < b; i++ {
			for t := 0; t < h; t++ {
				k := level(p.matrix[first][t])
				for j := (i*h + t) * d; j < (i*h+t+1)*d; j++ {
					x[j] = float32(sched.QSample(float64(warm[j]), float64(x[j]), k))
				}
			}
		}
		copy(x0, warm)
	}
	grad := make([]float32, b*h*d) // latest guidance gradient
	z := make([]float32, b*h*zd)   // latest latent after every token
	dirty := make([]bool, h)       // token changed since its last pass
	diag := newDiagnostics(b)
	for t := range dirty {
		dirty[t] = true
	}
	for m := first; m+1 < len(p.matrix); m++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("plan: sampling row %d of %d: %w", m, len(p.matrix)-1, err)
		}
		cur, next := p.matrix[m], p.matrix[m+1]
		t0 := slices.Index(dirty, true)
		if t0 < 0 { // nothing changed: nothing to predict (never with a valid K)
			t0 = h
		}
		// Start passes only at a few token offsets: every offset is a
		// separately compiled graph, and memory grows with their number.
		// Restarting earlier than needed is exact, just less saving.
		t0 = t0 / p.carryEvery * p.carryEvery
		if p.recompute {
			t0 = 0
		}
		if t0 < h {
			// 1. Predict x̂0 and the guidance gradient averaged over futures,
			//    for tokens t0…H−1.
			hh := h - t0
			step := &guidance.Step{
				B: b, H: hh, TokenDim: d, ObsDim: p.mconf.ObsDim, ZDim: zd, Offset: t0,
				Obs0: obs0, X: sliceTokens(x, b, h, t0, d), K: make([]int, b*hh), Future: make([]bool, hh),
				X0Prev: sliceTokens(x0, b, h, t0, d), Goals: goals, Scale: p.conf.GuidanceScale, Rand: p.rng,
			}
			if m == 0 {
				// No estimate yet (only cold plans start at row 0):
				// futures are drawn as pure noise.
				step.X0Prev = nil
			}
			if t0 > 0 {
				step.Z0 = make([]float32, b*zd)
				for i := 0; i < b; i++ {
					copy(step.Z0[i*zd:(i+1)*zd], z[(i*h+t0-1)*zd:(i*h+t0)*zd])
				}
			}
			for t := t0; t < h; t++ {
				step.Future[t-t0] = cur[t] > 0 && next[t] == cur[t]
				for i := 0; i < b; i++ {
					step.K[i*hh+t-t0] = level(cur[t])
				}
			}
			est, err := p.mcg.Estimate(step)
			if err != nil {
				return nil, nil, fmt.Errorf("plan: sampling row %d: %w", m, err)
			}
			putTokens(x0, est.X0, b, h, t0, d)
			diag.add(est, free)
			putTokens(z, est.Z, b, h, t0, zd)
			if est.Grad != nil {
				putTokens(grad, est.Grad, b, h, t0, d)
				for i, f := range free {
					if f {
						clear(grad[i*h*d : (i+1)*h*d])
					}
				}
			}
			for t := t0; t < h; t++ {
				dirty[t] = false
			}
		}
		// 2. Per-token DDIM step with the guidance shift
		//      x_{k'} = DDIM(x_k, x̂0) + s·√(1−ᾱ_k)·(√(1−ᾱ_k) − √(1−ᾱ_{k'}−σ²))·∇_x J
		//    (the reference planner's guidance constant, 0 on the final step
		//    to clean as there; s is folded into ∇J).
		guided := p.conf.GuidanceScale != 0
		for t := 0; t < h; t++ {
			to := next[t]
			if to == cur[t] {
				if !p.conf.StepWaiting || cur[t] != S {
					continue
				}
				to = S - 1 // a waiting token: one step, then back at the top
			}
			dirty[t] = true
			kc, kn := level(cur[t]), level(to)
			ab, abn := sched.AlphaBar(kc), sched.AlphaBar(kn)
			sigma := p.conf.Eta * math.Sqrt((1-ab/abn)*(1-abn)/(1-ab))
			gconst := math.Sqrt(1-ab) * (math.Sqrt(1-ab) - math.Sqrt(math.Max(1-abn-sigma*sigma, 0)))
			if kn == 0 {
				gconst = 0
			}
			for i := 0; i < b; i++ {
				for j := (i*h + t) * d; j < (i*h+t+1)*d; j++ {
					noise := 0.0
					if sigma > 0 {
						noise = p.rng.NormFloat64()
					}
					v := sched.DDIMStep(float64(x[j]), float64(x0[j]), noise, kc, kn, p.conf.Eta)
					if guided {
						v += gconst * float64(grad[j])
					}
					x[j] = float32(v)
				}
			}
		}
	}
	return x, diag.means(), nil
}

// diagnostics are per-plan means over sampling rows of what guidance
// reports (Plan.MCGShift, Plan.ThroughFuture); 0 where it reported none.
type diagnostics struct {
	shift, through []float64
	nShift, nThru  []int
}

func newDiagnostics(b int) *diagnostics {
	return &diagnostics{shift: make([]float64, b), through: make([]float64, b), nShift: make([]int, b), nThru: make([]int, b)}
}

// add takes one row's estimate; plans taking no guidance are skipped.
func (d *diagnostics) add(est *guidance.Result, free []bool) {
	acc := func(sum []float64, n []int, vs []float64) {
		for i, v := range vs {
			if !free[i] && !math.IsNaN(v) {
				sum[i] += v
				n[i]++
			}
		}
	}
	acc(d.shift, d.nShift, est.Shift)
	acc(d.through, d.nThru, est.Through)
}

func (d *diagnostics) means() *diagnostics {
	for i := range d.shift {
		if d.nShift[i] > 0 {
			d.shift[i] /= float64(d.nShift[i])
		}
		if d.nThru[i] > 0 {
			d.through[i] /= float64(d.nThru[i])
		}
	}
	return d
}

// sliceTokens copies tokens t0…H−1 of each of b sequences (H tokens of
// width w each) into a new b × (H−t0) × w array.
func sliceTokens(all []float32, b, h, t0, w int) []float32 {
	hh := h - t0
	out := make([]float32, b*hh*w)
	for i := 0; i < b; i++ {
		copy(out[i*hh*w:(i+1)*hh*w], all[(i*h+t0)*w:(i+1)*h*w])
	}
	return out
}

// putTokens writes a b × (H−t0) × w array back over tokens t0…H−1.
func putTokens(all, part []float32, b, h, t0, w int) {
	hh := h - t0
	for i := 0; i < b; i++ {
		copy(all[(i*h+t0)*w:(i+1)*h*w], part[i*hh*w:(i+1)*hh*w])
	}
}

// objectiveGoal is the goal the objective sees for a robot at obs: x, y
// and, within StopGate of the goal when StopWeight is set, the stop
// weight.
func (p *Planner) objectiveGoal(obs, goal []float64) []float64 {
	if p.conf.StopWeight > 0 && math.Hypot(obs[0]-goal[0], obs[1]-goal[1]) < p.conf.StopGate {
		return []float64{goal[0], goal[1], p.conf.StopWeight}
	}
	return goal
}

// modelGoals expresses each goal in the frame the model's positions are
// in: the guidance objective unnormalizes a position as x·Std + Mean, and a
// position held relative to o_0 (dynamics.Config.RelativeDims) is off by
// o_0's normalized position times Std, so the goal moves by that instead.
func (p *Planner) modelGoals(obs0 []float32, goals [][]float64) [][]float64 {
	out := make([][]float64, len(goals))
	for i, g := range goals {
		out[i] = slices.Clone(g)
		for j := range min(p.mconf.RelativeDims, 2) {
			out[i][j] -= float64(obs0[i*p.mconf.ObsDim+j]) * p.norm.Std[j]
		}
	}
	return out
}

// decode unnormalizes clean tokens into per-frame plans, clipping actions
// to [-1, 1]. obs0 holds the normalized observations planned from.
func (p *Planner) decode(x, obs0 []float32) []*Plan {
	fs, od, ad := p.mconf.FrameStack, p.mconf.ObsDim, p.mconf.ActDim
	fd := od + ad
	frames := p.conf.HorizonTokens * fs
	plans := make([]*Plan, len(obs0)/od)
	for i := range plans {
		pl := &Plan{Observations: make([][]float64, frames), Actions: make([][]float64, frames)}
		for f := 0; f < frames; f++ {
			frame := slices.Clone(x[(i*frames+f)*fd : (i*frames+f+1)*fd])
			p.mconf.FromRelative(frame[:od], obs0[i*od:(i+1)*od])
			o, a := make([]float64, od), make([]float64, ad)
			p.norm.UnnormalizeFrame(o, a, frame)
			for j := range a {
				a[j] = min(max(a[j], -1), 1)
			}
			pl.Observations[f], pl.Actions[f] = o, a
		}
		plans[i] = pl
	}
	return plans
}
