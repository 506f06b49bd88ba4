package planner

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/internal/toymodel"
)

func toy(t *testing.T) *toymodel.Model {
	t.Helper()
	norm := dynamics.Normalization{Mean: []float64{3, 3, 0, 0, 0, 0}, Std: []float64{1.5, 1.5, 2, 2, 0.7, 0.7}}
	m, err := toymodel.New(4, 2, 2, 100, norm)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// repeated returns n copies of one observation and one goal.
func repeated(n int, obs, goal []float64) (obsN, goalN [][]float64) {
	for range n {
		obsN = append(obsN, obs)
		goalN = append(goalN, goal)
	}
	return obsN, goalN
}

func TestPlanShapesAndActionBounds(t *testing.T) {
	for _, sched := range []string{Pyramid, FullSequence, Autoregressive} {
		t.Run(sched, func(t *testing.T) {
			m := toy(t)
			p, err := New(m, Config{Schedule: sched, HorizonTokens: 5, SamplingSteps: 4, GuidanceScale: 1, MCGSamples: 3})
			if err != nil {
				t.Fatal(err)
			}
			plans, err := p.PlanBatch(context.Background(), [][]float64{{1, 1, 0, 0}, {2, 3, 0.5, 0}}, [][]float64{{3, 3}, {1, 1}})
			if err != nil {
				t.Fatal(err)
			}
			if len(plans) != 2 {
				t.Fatalf("%d plans, want 2", len(plans))
			}
			for _, pl := range plans {
				if len(pl.Actions) != 10 || len(pl.Observations) != 10 {
					t.Fatalf("plan has %d actions, %d observations; want 10 frames", len(pl.Actions), len(pl.Observations))
				}
				for _, a := range pl.Actions {
					if len(a) != 2 || math.Abs(a[0]) > 1 || math.Abs(a[1]) > 1 {
						t.Fatalf("action %v outside [-1, 1]²", a)
					}
				}
			}
			// Network passes = rows of the scheduling matrix − 1, two per
			// row with guidance (prediction, then gradient).
			k, _ := SchedulingMatrix(sched, 4, 5, p.Config().Uncertainty)
			if want := 2 * (len(k) - 1); m.Calls != want {
				t.Errorf("%d network passes, want %d", m.Calls, want)
			}
		})
	}
}

func TestPlanIsDeterministicForASeed(t *testing.T) {
	plan := func() []float64 {
		p, err := New(toy(t), Config{HorizonTokens: 4, GuidanceScale: 2, MCGSamples: 2, Seed: 9})
		if err != nil {
			t.Fatal(err)
		}
		pl, err := p.Plan(context.Background(), []float64{1, 2, 0, 0}, []float64{4, 4})
		if err != nil {
			t.Fatal(err)
		}
		return pl.Observations[7]
	}
	a, b := plan(), plan()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("same seed, different plans: %v vs %v", a, b)
		}
	}
}

// Guidance must pull plans toward the goal. Under the toy model's N(0, 1)
// prior, unguided end points scatter around the data mean; with guidance
// the mean distance of the final frame to the goal must drop clearly. 64
// plans make the comparison statistically safe (the effect is many
// standard errors wide).
func TestGuidanceBringsPlansCloserToGoal(t *testing.T) {
	const n = 64
	// Off the normalization mean, so the relative frame matters.
	obs, goals := repeated(n, []float64{2, 4, 0, 0}, []float64{1, 6})
	meanDist := func(scale float64, chain bool) float64 {
		p, err := New(toy(t), Config{HorizonTokens: 6, SamplingSteps: 10, GuidanceScale: scale, MCGSamples: 2, MCGChain: chain, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		plans, err := p.PlanBatch(context.Background(), obs, goals)
		if err != nil {
			t.Fatal(err)
		}
		sum := 0.0
		for i, pl := range plans {
			o := pl.Observations[len(pl.Observations)-1]
			sum += math.Hypot(o[0]-goals[i][0], o[1]-goals[i][1])
		}
		return sum / n
	}
	free := meanDist(0, false)
	// Our MCG (2 samples): 0.30 here; 0.39 when the goal is not moved
	// into the model's relative frame (planner.modelGoals). Chained: 0.44,
	// a weaker pull at the same scale: the second sample's gradient
	// reaches the plan through √ᾱ_k·∂x̂0/∂x, which is ᾱ_k < 1 for the toy
	// model's x̂0 = √ᾱ_k·x.
	for _, c := range []struct {
		chain bool
		most  float64
	}{{false, 0.35}, {true, 0.5}} {
		guided := meanDist(4, c.chain)
		t.Logf("mean final distance to goal: unguided %.3f, guided %.3f (mcg_chain %v)", free, guided, c.chain)
		if guided > c.most*free {
			t.Fatalf("mcg_chain %v: guided plans end %.3f from the goal, unguided %.3f: want guided ≤ %.0f%%", c.chain, guided, free, 100*c.most)
		}
	}
}

// With positions held relative to the observation (the default), the
// toy model's zero-mean posterior centres plans on the robot; with absolute
// positions, on the normalization mean.
func TestPlansAreCentredOnTheFrameOfTheModel(t *testing.T) {
	const n = 256
	obs, goals := repeated(n, []float64{0, 6, 0, 0}, []float64{0, 0})
	for _, tc := range []struct {
		relative int
		want     [2]float64
	}{{2, [2]float64{0, 6}}, {0, [2]float64{3, 3}}} {
		m := toy(t)
		m.Conf.RelativeDims = tc.relative
		p, err := New(m, Config{HorizonTokens: 3, SamplingSteps: 5, Seed: 4})
		if err != nil {
			t.Fatal(err)
		}
		plans, err := p.PlanBatch(context.Background(), obs, goals)
		if err != nil {
			t.Fatal(err)
		}
		var mx, my float64
		for _, pl := range plans {
			mx += pl.Observations[0][0] / n
			my += pl.Observations[0][1] / n
		}
		// Std 1.5 per plan: the mean of 256 is within 0.5 with overwhelming odds.
		if math.Hypot(mx-tc.want[0], my-tc.want[1]) > 0.5 {
			t.Errorf("relative_dims %d: first planned positions average (%.2f, %.2f), want ≈ %v", tc.relative, mx, my, tc.want)
		}
	}
}

func TestPlanHonoursContext(t *testing.T) {
	p, err := New(toy(t), Config{HorizonTokens: 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = p.Plan(ctx, []float64{1, 1, 0, 0}, []float64{2, 2})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestPlannerRejectsBadInput(t *testing.T) {
	bad := map[string]Config{
		"open loop beyond horizon": {HorizonTokens: 2, OpenLoop: 5},
		"negative mcg samples":     {MCGSamples: -1},
		"negative guidance":        {GuidanceScale: -1},
		"negative horizon":         {HorizonTokens: -2},
		"too many sampling steps":  {SamplingSteps: 1000},
		"unknown schedule":         {Schedule: "zigzag"},
		"eta above one":            {Eta: 2},
		"NaN discount":             {Discount: math.NaN()},
		"huge horizon":             {HorizonTokens: 100000},
		"huge mcg samples":         {MCGSamples: 100000},
		"negative stop weight":     {StopWeight: -1},
		"infinite stop weight":     {StopWeight: math.Inf(1)},
		"negative stop radius":     {StopWeight: 1, StopRadius: -0.5, GuidanceScale: 1},
		"negative stop gate":       {StopWeight: 1, StopGate: -1, GuidanceScale: 1},
		"infinite stop gate":       {StopWeight: 1, StopGate: math.Inf(1), GuidanceScale: 1},
		"stop without guidance":    {StopWeight: 1},
		"negative stall":           {Stall: -1, Unstick: 1, GuidanceScale: 1},
		"stall without unstick":    {Stall: 5, GuidanceScale: 1},
	}
	for name, c := range bad {
		if _, err := New(toy(t), c); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
	relVel := toy(t)
	relVel.Conf.RelativeDims = 4
	if _, err := New(relVel, Config{StopWeight: 1, GuidanceScale: 1}); err == nil {
		t.Error("stop weight with relative velocities: want error")
	}
	// Without velocities the "velocity" features would be the actions.
	noVel, err := toymodel.New(2, 2, 2, 100, dynamics.Normalization{Mean: make([]float64, 4), Std: []float64{1, 1, 1, 1}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(noVel, Config{StopWeight: 1, GuidanceScale: 1}); err == nil {
		t.Error("stop weight with 2-D observations: want error")
	}
	p, err := New(toy(t), Config{HorizonTokens: 2})
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][2][]float64{
		"short observation": {{1, 1}, {2, 2}},
		"NaN observation":   {{1, math.NaN(), 0, 0}, {2, 2}},
		"3-D goal":          {{1, 1, 0, 0}, {2, 2, 2}},
		"Inf goal":          {{1, 1, 0, 0}, {math.Inf(1), 2}},
	} {
		if _, err := p.Plan(context.Background(), in[0], in[1]); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
}

// Carrying latents over unchanged tokens must not change the plan, and must
// save work under the pyramid schedule.
func TestCarriedLatentsGiveTheSamePlan(t *testing.T) {
	c := dynamics.DefaultConfig()
	c.FrameStack, c.ZDim, c.Hidden, c.Layers, c.EncoderHidden, c.EmbedDim, c.DiffusionSteps = 2, 8, 16, 1, 8, 8, 100
	m, err := dynamics.New(c, dynamics.IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		t.Fatal(err)
	}
	plan := func(recompute bool) *Plan {
		p, err := New(m, Config{HorizonTokens: 5, SamplingSteps: 3, GuidanceScale: 1, MCGSamples: 2, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		p.recompute = recompute
		pl, err := p.Plan(context.Background(), []float64{1, 1, 0, 0}, []float64{2, 2})
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	a, b := plan(false), plan(true)
	for f := range a.Observations {
		for i := range a.Observations[f] {
			if d := math.Abs(a.Observations[f][i] - b.Observations[f][i]); d > 1e-4 {
				t.Fatalf("frame %d feature %d: carried %g, recomputed %g", f, i, a.Observations[f][i], b.Observations[f][i])
			}
		}
	}
	toyModel := toy(t)
	p, err := New(toyModel, Config{HorizonTokens: 6, SamplingSteps: 4})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Plan(context.Background(), []float64{1, 1, 0, 0}, []float64{2, 2}); err != nil {
		t.Fatal(err)
	}
	k, _ := SchedulingMatrix(Pyramid, 4, 6, 1)
	if full := (len(k) - 1) * 6; toyModel.Tokens >= full {
		t.Errorf("%d token predictions, no fewer than recomputing every row (%d)", toyModel.Tokens, full)
	}
}

// The planner must run on the real network too, with MCG batching.
func TestPlanWithNetwork(t *testing.T) {
	c := dynamics.DefaultConfig()
	c.FrameStack, c.ZDim, c.Hidden, c.Layers, c.EncoderHidden, c.EmbedDim, c.DiffusionSteps = 2, 8, 16, 1, 8, 8, 100
	m, err := dynamics.New(c, dynamics.IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(m, Config{HorizonTokens: 4, SamplingSteps: 3, GuidanceScale: 1, MCGSamples: 3})
	if err != nil {
		t.Fatal(err)
	}
	pl, err := p.Plan(context.Background(), []float64{1, 1, 0, 0}, []float64{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range pl.Observations {
		for _, v := range o {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("non-finite planned observation %v", o)
			}
		}
	}
	// The network carries the future back to the near tokens, so averaging
	// over 3 futures moves their gradient; plain guidance averages nothing.
	if !(pl.MCGShift > 0) || math.IsInf(pl.MCGShift, 0) {
		t.Errorf("MCG 3: MCGShift %g, want finite > 0", pl.MCGShift)
	}
	plain, err := New(m, Config{HorizonTokens: 4, SamplingSteps: 3, GuidanceScale: 1, MCGSamples: 1})
	if err != nil {
		t.Fatal(err)
	}
	pl, err = plain.Plan(context.Background(), []float64{1, 1, 0, 0}, []float64{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	if pl.MCGShift != 0 || pl.ThroughFuture != 0 {
		t.Errorf("MCG 1: MCGShift %g, ThroughFuture %g; want 0 and 0 (not asked)", pl.MCGShift, pl.ThroughFuture)
	}
	// Asked for, the share of the gradient that arrives through the future
	// is reported, whatever N.
	diag, err := New(m, Config{HorizonTokens: 4, SamplingSteps: 3, GuidanceScale: 1, MCGSamples: 1, Decompose: true})
	if err != nil {
		t.Fatal(err)
	}
	pl, err = diag.Plan(context.Background(), []float64{1, 1, 0, 0}, []float64{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	if !(pl.ThroughFuture > 0) || math.IsInf(pl.ThroughFuture, 0) {
		t.Errorf("Decompose: ThroughFuture %g, want finite > 0", pl.ThroughFuture)
	}
}

// StepWaiting moves only the tokens a schedule has not started yet. Without
// guidance a token's prediction depends on no later token (the toy model's
// on no other token at all), so the first token, which never waits and is
// clean from row S on, must come out the same with and without it, while
// the tokens that waited change. The full-sequence schedule starts every
// token at once, so nothing changes there.
func TestStepWaitingMovesOnlyWaitingTokens(t *testing.T) {
	const fs = 2 // the toy model's frame stack
	plan := func(c Config) [][]float64 {
		t.Helper()
		c.HorizonTokens, c.SamplingSteps, c.Seed = 4, 3, 5
		p, err := New(toy(t), c)
		if err != nil {
			t.Fatal(err)
		}
		pl, err := p.Plan(context.Background(), []float64{1, 2, 0, 0}, []float64{4, 4})
		if err != nil {
			t.Fatal(err)
		}
		return pl.Observations
	}
	for _, sched := range []string{Pyramid, Autoregressive} {
		off := plan(Config{Schedule: sched})
		on := plan(Config{Schedule: sched, StepWaiting: true})
		if !slices.EqualFunc(off[:fs], on[:fs], slices.Equal) {
			t.Errorf("%s: the first token, which never waits, changed", sched)
		}
		if slices.EqualFunc(off[fs:], on[fs:], slices.Equal) {
			t.Errorf("%s: the tokens that waited did not change", sched)
		}
	}
	full := Config{Schedule: FullSequence}
	stepped := full
	stepped.StepWaiting = true
	if !slices.EqualFunc(plan(full), plan(stepped), slices.Equal) {
		t.Error("full sequence: no token waits, yet the plan changed")
	}
}

// A warm-started plan begins WarmRows rows into the scheduling matrix; a
// batch that mixes warm and cold plans pays for both.
func TestWarmStartSkipsRows(t *testing.T) {
	m := toy(t)
	p, err := New(m, Config{HorizonTokens: 5, SamplingSteps: 4, WarmRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := SchedulingMatrix(Pyramid, 4, 5, 1)
	ctx := context.Background()
	obs, goals := repeated(2, []float64{1, 1, 0, 0}, []float64{3, 3})
	prev, err := p.PlanBatch(ctx, obs, goals)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		warm []*Warm
		want int
	}{
		{nil, len(k) - 1},
		{[]*Warm{{Plan: prev[0], Executed: 2}, {Plan: prev[1], Executed: 2}}, len(k) - 1 - 2},
		{[]*Warm{{Plan: prev[0], Executed: 2}, nil}, (len(k) - 1) + (len(k) - 1 - 2)},
	} {
		m.Calls = 0
		plans, err := p.PlanBatchWarm(ctx, obs, goals, tc.warm)
		if err != nil {
			t.Fatal(err)
		}
		if len(plans) != 2 || plans[0] == nil || plans[1] == nil {
			t.Fatalf("warm %v: %d plans", tc.warm, len(plans))
		}
		if m.Calls != tc.want {
			t.Errorf("warm %v: %d network passes, want %d", tc.warm, m.Calls, tc.want)
		}
	}
	if _, err := p.PlanBatchWarm(ctx, obs, goals, []*Warm{nil}); err == nil {
		t.Error("one previous plan for two observations: want error")
	}
	if _, err := New(m, Config{SamplingSteps: 4, WarmRows: 4}); err == nil {
		t.Error("warm_rows = sampling_steps: want error")
	}
}

// With WarmRows 0 a previous plan changes nothing.
func TestWarmRowsZeroIgnoresPreviousPlan(t *testing.T) {
	ctx := context.Background()
	plan := func(warm bool) []float64 {
		p, err := New(toy(t), Config{HorizonTokens: 4, GuidanceScale: 2, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		obs, goals := repeated(1, []float64{1, 2, 0, 0}, []float64{4, 4})
		var w []*Warm
		if warm {
			prev, err := p.PlanBatch(ctx, obs, goals)
			if err != nil {
				t.Fatal(err)
			}
			w = []*Warm{{Plan: prev[0], Executed: 1}}
			p, _ = New(toy(t), Config{HorizonTokens: 4, GuidanceScale: 2, Seed: 3})
		}
		pl, err := p.PlanBatchWarm(ctx, obs, goals, w)
		if err != nil {
			t.Fatal(err)
		}
		return pl[0].Observations[5]
	}
	if a, b := plan(false), plan(true); !slices.Equal(a, b) {
		t.Errorf("warm_rows 0: %v with a previous plan, %v without", b, a)
	}
}

// A plan warm-started late in the schedule continues the previous plan,
// shifted by the executed frames, from the robot's new position; each
// episode of a batch continues its own, with Monte Carlo Guidance too.
func TestWarmStartContinuesPreviousPlan(t *testing.T) {
	ctx := context.Background()
	const executed = 2
	p, err := New(toy(t), Config{HorizonTokens: 10, SamplingSteps: 8, WarmRows: 7, GuidanceScale: 0.05, MCGSamples: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	starts, goals := [][]float64{{1, 1, 0, 0}, {4, 3, 0.5, 0}}, [][]float64{{4, 4}, {1, 1}}
	prev, err := p.PlanBatch(ctx, starts, goals)
	if err != nil {
		t.Fatal(err)
	}
	obs := [][]float64{prev[0].Observations[executed-1], prev[1].Observations[executed-1]}
	warm := []*Warm{{Plan: prev[0], Executed: executed}, {Plan: prev[1], Executed: executed}}
	warmPlans, err := p.PlanBatchWarm(ctx, obs, goals, warm)
	if err != nil {
		t.Fatal(err)
	}
	coldPlans, err := p.PlanBatch(ctx, obs, goals)
	if err != nil {
		t.Fatal(err)
	}
	// Mean squared distance of the near frames (the first token, which
	// starts at level 1 of 8) to the previous plan's.
	dist := func(pl, prev *Plan) float64 {
		s := 0.0
		for f := 0; f < 2; f++ {
			a, b := pl.Observations[f], prev.Observations[f+executed]
			s += (a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1])
		}
		return s / 2
	}
	for e := range prev {
		w, c := dist(warmPlans[e], prev[e]), dist(coldPlans[e], prev[e])
		// The toy's 100-level schedule leaves √(1−ᾱ) ≈ 0.4 of noise at
		// level 1 of 8, so the warm plan is near, not on, the previous one.
		if !(w < c/2) {
			t.Errorf("episode %d: near frames off the previous plan by %g (warm) vs %g (cold): warm start does not continue it", e, w, c)
		}
	}
}

func TestWarmStartRejectsMalformedPlans(t *testing.T) {
	p, err := New(toy(t), Config{HorizonTokens: 3, WarmRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	obs, goals := repeated(1, []float64{1, 1, 0, 0}, []float64{3, 3})
	good, err := p.Plan(ctx, obs[0], goals[0])
	if err != nil {
		t.Fatal(err)
	}
	short := &Plan{Observations: [][]float64{{1, 1}}, Actions: [][]float64{{0, 0}}}
	nan := &Plan{Observations: [][]float64{{1, math.NaN(), 0, 0}}, Actions: [][]float64{{0, 0}}}
	for name, w := range map[string]*Warm{
		"nil plan":           {},
		"negative executed":  {Plan: good, Executed: -1},
		"executed past end":  {Plan: good, Executed: len(good.Actions) + 1},
		"short observations": {Plan: short},
		"NaN":                {Plan: nan},
	} {
		if _, err := p.PlanBatchWarm(ctx, obs, goals, []*Warm{w}); err == nil {
			t.Errorf("%s: want error", name)
		}
	}
	// A plan executed to its end leaves nothing to continue: plan cold.
	if _, err := p.PlanBatchWarm(ctx, obs, goals, []*Warm{{Plan: good, Executed: len(good.Actions)}}); err != nil {
		t.Errorf("fully executed previous plan: %v", err)
	}
}

// A robot near its goal plans slower frames with a stop weight; one
// farther than StopGate (default 2·StopRadius) from its goal plans exactly
// as without.
func TestStopWeightSlowsPlansNearTheGoal(t *testing.T) {
	const n = 64
	gate := 0.0
	speed := func(stop float64, obs, goal []float64) (float64, []*Plan) {
		p, err := New(toy(t), Config{HorizonTokens: 4, SamplingSteps: 10, GuidanceScale: 4, MCGSamples: 2, StopWeight: stop, StopGate: gate, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		o, g := repeated(n, obs, goal)
		plans, err := p.PlanBatch(context.Background(), o, g)
		if err != nil {
			t.Fatal(err)
		}
		sum, k := 0.0, 0
		for _, pl := range plans {
			for _, f := range pl.Observations {
				sum += math.Hypot(f[2], f[3])
				k++
			}
		}
		return sum / float64(k), plans
	}
	near, goal := []float64{2, 4, 0, 0}, []float64{2.2, 4.1}
	free, _ := speed(0, near, goal)
	stopped, _ := speed(1, near, goal)
	// 0.71 vs 2.08 here. Guidance steps are not small in this toy, so a
	// large weight overshoots: weight 2 gives 0.86, weight 5 2.31.
	t.Logf("mean planned speed at the goal: %.3f without, %.3f with stop weight 1", free, stopped)
	if stopped > 0.7*free {
		t.Fatalf("planned speed %.3f with stop weight, %.3f without: want ≤ 70%%", stopped, free)
	}
	far := []float64{4, 4, 0, 0}
	_, a := speed(0, far, goal)
	_, b := speed(5, far, goal)
	for i := range a {
		if !slices.EqualFunc(a[i].Observations, b[i].Observations, slices.Equal) {
			t.Fatalf("plan %d of a robot 1.8 from its goal changed with the stop weight", i)
		}
	}
	// With the gate closer in than the near robot (0.22 from its goal), its
	// plans do not change either.
	gate = 0.2
	_, a = speed(0, near, goal)
	_, b = speed(1, near, goal)
	for i := range a {
		if !slices.EqualFunc(a[i].Observations, b[i].Observations, slices.Equal) {
			t.Fatalf("plan %d of a robot 0.22 from its goal changed with the stop weight and gate 0.2", i)
		}
	}
}

// pinnedPlan is a plan from (1, 2) that says step m per frame along x,
// for 8 frames.
func pinnedPlan(step float64) *Plan {
	pl := &Plan{Start: []float64{1, 2, 0, 0}}
	for f := range 8 {
		pl.Observations = append(pl.Observations, []float64{1 + step*float64(f+1), 2, 1, 0})
		pl.Actions = append(pl.Actions, []float64{1, 0})
	}
	return pl
}

func TestPinned(t *testing.T) {
	prev := pinnedPlan(0.15)
	for _, c := range []struct {
		name string
		w    *Warm
		obs  []float64
		want bool
	}{
		{"moved 1 cm, plan said 60 cm", &Warm{Plan: prev, Executed: 4}, []float64{1.01, 2, 0, 0}, true},
		{"moved 1 cm sideways", &Warm{Plan: prev, Executed: 4}, []float64{1, 1.99, 0, 0}, true},
		{"whole plan executed", &Warm{Plan: prev, Executed: 8}, []float64{1, 2, 0, 0}, true},
		{"moved 10 cm", &Warm{Plan: prev, Executed: 4}, []float64{1.1, 2, 0, 0}, false},
		// Frame 0 is 15 cm out, frame 1 30 cm: the executed frame counts.
		{"plan said 15 cm", &Warm{Plan: prev, Executed: 1}, []float64{1.01, 2, 0, 0}, false},
		{"nothing executed", &Warm{Plan: prev, Executed: 0}, []float64{1, 2, 0, 0}, false},
		{"executed past the end", &Warm{Plan: prev, Executed: 9}, []float64{1, 2, 0, 0}, false},
		{"no start", &Warm{Plan: &Plan{Observations: prev.Observations, Actions: prev.Actions}, Executed: 4}, []float64{1, 2, 0, 0}, false},
		{"no plan", &Warm{Executed: 4}, []float64{1, 2, 0, 0}, false},
		{"no previous plan", nil, []float64{1, 2, 0, 0}, false},
	} {
		if got := Pinned(c.w, c.obs); got != c.want {
			t.Errorf("%s: Pinned = %v, want %v", c.name, got, c.want)
		}
	}
}

// unstickPlanner is a fresh 4-token toy planner of config c, seed 3: the
// same noise for every config.
func unstickPlanner(t *testing.T, c Config) *Planner {
	t.Helper()
	c.HorizonTokens, c.Seed = 4, 3
	p, err := New(toy(t), c)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A pinned robot's next Unstick plans are the model's own, unguided ones
// (the same plans as a planner without guidance draws from the same
// noise); then guidance resumes. Plain guidance (MCG 1) draws no futures,
// so planners with and without guidance consume the same noise.
func TestUnstickPlansPinnedRobotsWithoutGuidance(t *testing.T) {
	ctx := context.Background()
	obs, goal := []float64{1.01, 2, 0, 0}, []float64{4, 4}
	pinned := pinnedPlan(0.1)
	planWith := func(c Config, w *Warm) *Plan {
		t.Helper()
		pl, err := unstickPlanner(t, c).PlanWarm(ctx, obs, goal, w)
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	unstick := Config{GuidanceScale: 4, Unstick: 2}
	free := planWith(Config{}, nil).Observations
	guided := planWith(Config{GuidanceScale: 4}, nil).Observations
	if slices.EqualFunc(free, guided, slices.Equal) {
		t.Fatal("guidance does not change the plan: the test cannot tell")
	}
	same := func(name string, got, want [][]float64) {
		t.Helper()
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("%s: plan differs from the expected one", name)
		}
	}

	// Pinned: unguided, and one more replan owed.
	first := planWith(unstick, &Warm{Plan: pinned, Executed: 4})
	if first.Unguided != 2 {
		t.Errorf("pinned robot: Unguided %d, want 2", first.Unguided)
	}
	same("pinned robot", first.Observations, free)
	if !slices.Equal(first.Start, obs) {
		t.Errorf("plan start %v, want the observation %v", first.Start, obs)
	}
	// Warm starts do not apply to it: it is sampled from noise.
	warmRows := unstick
	warmRows.WarmRows = 2
	same("pinned robot with warm rows", planWith(warmRows, &Warm{Plan: pinned, Executed: 4}).Observations,
		planWith(Config{WarmRows: 2}, nil).Observations)
	// The next replan is unguided too, wherever the robot is.
	obs = []float64{1.5, 2, 0, 0}
	second := planWith(unstick, &Warm{Plan: first, Executed: 4})
	if second.Unguided != 1 {
		t.Errorf("second replan: Unguided %d, want 1", second.Unguided)
	}
	same("second replan", second.Observations, planWith(Config{}, nil).Observations)
	// Then guidance is back, for a robot that moved as planned.
	obs = slices.Clone(second.Observations[3])
	third := planWith(unstick, &Warm{Plan: second, Executed: 4})
	if third.Unguided != 0 {
		t.Errorf("third replan: Unguided %d, want 0", third.Unguided)
	}
	same("third replan", third.Observations, planWith(Config{GuidanceScale: 4}, nil).Observations)
	// Off, or without a previous plan, a pinned robot is guided.
	obs = []float64{1.01, 2, 0, 0}
	same("unstick 0", planWith(Config{GuidanceScale: 4}, &Warm{Plan: pinned, Executed: 4}).Observations, planWith(Config{GuidanceScale: 4}, nil).Observations)
	if pl := planWith(unstick, nil); pl.Unguided != 0 {
		t.Errorf("no previous plan: Unguided %d, want 0", pl.Unguided)
	}
	// A robot at its goal is where it should be, however still.
	goal = []float64{1.3, 2}
	if pl := planWith(unstick, &Warm{Plan: pinned, Executed: 4}); pl.Unguided != 0 {
		t.Errorf("robot 0.29 m from its goal: Unguided %d, want 0", pl.Unguided)
	}
}

// In a batch, only the pinned robot loses its guidance.
func TestUnstickFreesOnlyThePinnedRobot(t *testing.T) {
	ctx := context.Background()
	obs := [][]float64{{1.01, 2, 0, 0}, {2, 4, 0, 0}}
	goals := [][]float64{{4, 4}, {1, 6}}
	plans := func(c Config, warm []*Warm) []*Plan {
		t.Helper()
		pl, err := unstickPlanner(t, c).PlanBatchWarm(ctx, obs, goals, warm)
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	got := plans(Config{GuidanceScale: 4, Unstick: 2}, []*Warm{{Plan: pinnedPlan(0.1), Executed: 4}, nil})
	free, guided := plans(Config{}, nil), plans(Config{GuidanceScale: 4}, nil)
	if got[0].Unguided != 2 || got[1].Unguided != 0 {
		t.Fatalf("Unguided %d and %d, want 2 for the pinned robot and 0 for the other", got[0].Unguided, got[1].Unguided)
	}
	if !slices.EqualFunc(got[0].Observations, free[0].Observations, slices.Equal) {
		t.Error("pinned robot: plan differs from the unguided one")
	}
	if !slices.EqualFunc(got[1].Observations, guided[1].Observations, slices.Equal) {
		t.Error("free robot: plan differs from the guided one")
	}
	if slices.EqualFunc(free[1].Observations, guided[1].Observations, slices.Equal) {
		t.Fatal("guidance does not change the free robot's plan: the test cannot tell")
	}
}

// A robot that moves but comes no closer to its goal for Stall guided
// replans gets the Unstick unguided ones, and its record starts afresh;
// coming 0.1 m closer, a new goal, or arriving resets the count.
func TestStallFreesRobotsThatComeNoCloser(t *testing.T) {
	ctx := context.Background()
	goal := []float64{4, 4}
	free, err := unstickPlanner(t, Config{}).Plan(ctx, []float64{1.01, 2, 0, 0}, goal)
	if err != nil {
		t.Fatal(err)
	}
	// after is the previous plan as the robot saw it: its plans said it
	// would move 4 cm, so it is never pinned, with pl's record.
	after := func(pl *Plan) *Warm {
		w := pinnedPlan(0.01)
		w.Goal, w.Best, w.Stalled, w.Unguided = pl.Goal, pl.Best, pl.Stalled, pl.Unguided
		return &Warm{Plan: w, Executed: 4}
	}
	// run replans n times from the observations obs(i), and returns the
	// plans.
	run := func(c Config, n int, obs func(int) []float64, g func(int) []float64) []*Plan {
		t.Helper()
		p := unstickPlanner(t, c)
		var out []*Plan
		var w *Warm
		for i := range n {
			pl, err := p.PlanWarm(ctx, obs(i), g(i), w)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, pl)
			w = after(pl)
		}
		return out
	}
	still := func(int) []float64 { return []float64{1.01, 2, 0, 0} }
	same := func(int) []float64 { return goal }
	unguided := func(pls []*Plan) []int {
		var u []int
		for _, pl := range pls {
			u = append(u, pl.Unguided)
		}
		return u
	}
	stall := Config{GuidanceScale: 4, Unstick: 2, Stall: 3}

	pls := run(stall, 9, still, same)
	if got, want := unguided(pls), []int{0, 0, 0, 2, 1, 0, 0, 0, 2}; !slices.Equal(got, want) {
		t.Errorf("a robot that comes no closer: unguided %v, want %v", got, want)
	}
	if got, want := pls[2].Stalled, 2; got != want {
		t.Errorf("third replan: Stalled %d, want %d", got, want)
	}
	d := math.Hypot(1.01-4, 2-4)
	if math.Abs(pls[8].Best-d) > 1e-12 || !slices.Equal(pls[8].Goal, goal) {
		t.Errorf("record: best %g for goal %v, want %g for %v", pls[8].Best, pls[8].Goal, d, goal)
	}
	// The plan of a robot found stalled is the model's own, from noise: a
	// fresh planner draws the same noise as free's.
	pl, err := unstickPlanner(t, stall).PlanWarm(ctx, still(0), goal, after(&Plan{Goal: goal, Best: d, Stalled: 2}))
	if err != nil {
		t.Fatal(err)
	}
	if pl.Unguided != 2 || !slices.EqualFunc(pl.Observations, free.Observations, slices.Equal) {
		t.Errorf("the stalled robot's plan (unguided %d) differs from the unguided one", pl.Unguided)
	}
	// Off, it is never freed.
	if got := unguided(run(Config{GuidanceScale: 4, Unstick: 2}, 9, still, same)); slices.Max(got) != 0 {
		t.Errorf("stall 0: unguided %v, want all 0", got)
	}
	// 0.11 m closer every second replan: never three in a row without
	// progress. 0.09 m does not count.
	stepping := func(by float64) func(int) []float64 {
		return func(i int) []float64 {
			f := 1 - by*float64(i/2)/d // of the way from the goal
			return []float64{4 - f*(4-1.01), 4 - f*(4-2), 0, 0}
		}
	}
	if got := unguided(run(stall, 9, stepping(0.11), same)); slices.Max(got) != 0 {
		t.Errorf("a robot coming 0.11 m closer every second replan: unguided %v, want all 0", got)
	}
	if got := unguided(run(stall, 4, stepping(0.09), same)); got[3] != 2 {
		t.Errorf("a robot coming 0.09 m closer every second replan: unguided %v, want the fourth 2", got)
	}
	// A new goal every second replan starts the record afresh.
	moving := func(i int) []float64 { return []float64{4, 4 + float64(i/2)} }
	if got := unguided(run(stall, 9, still, moving)); slices.Max(got) != 0 {
		t.Errorf("goal changing every second replan: unguided %v, want all 0", got)
	}
	// A robot at its goal is never stalled, and does not leave it with a
	// count that frees it at once.
	leaving := func(i int) []float64 {
		if i < 6 {
			return []float64{1.01, 2, 0, 0}
		}
		return []float64{0.62, 2, 0, 0}
	}
	if got := unguided(run(stall, 8, leaving, func(int) []float64 { return []float64{1.21, 2} })); slices.Max(got) != 0 {
		t.Errorf("robot at its goal for 6 replans, then 0.59 m from it: unguided %v, want all 0", got)
	}
}

func TestPredict(t *testing.T) {
	pl := pinnedPlan(0.1) // from (1, 2, 0, 0), frame f at (1 + 0.1(f+1), 2, 1, 0)
	near := func(a, b []float64) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-12 {
				return false
			}
		}
		return true
	}
	for _, c := range []struct {
		name        string
		from, ahead int
		obs, want   []float64
	}{
		// From the start: the plan says 3 frames take x from 1 to 1.3 and
		// the speed from 0 to 1; a robot 5 cm off keeps its offset.
		{"from the start", 0, 3, []float64{1.05, 2, 0, 0}, []float64{1.35, 2, 1, 0}},
		{"mid-plan", 2, 4, []float64{1.3, 2.1, 1, 0}, []float64{1.7, 2.1, 1, 0}},
		{"to the plan's end", 5, 3, []float64{1.6, 2, 1, 0}, []float64{1.9, 2, 1, 0}},
	} {
		got, ok := Predict(pl, c.from, c.ahead, c.obs)
		if !ok || !near(got, c.want) {
			t.Errorf("%s: Predict = %v, %v; want %v", c.name, got, ok, c.want)
		}
	}
	for _, c := range []struct {
		name        string
		pl          *Plan
		from, ahead int
		obs         []float64
	}{
		{"past the plan's end", pl, 6, 3, []float64{1, 2, 0, 0}},
		{"nothing ahead", pl, 2, 0, []float64{1, 2, 0, 0}},
		{"negative start", pl, -1, 2, []float64{1, 2, 0, 0}},
		{"other observation size", pl, 0, 2, []float64{1, 2}},
		{"no start, from 0", &Plan{Observations: pl.Observations, Actions: pl.Actions}, 0, 2, []float64{1, 2, 0, 0}},
		{"no plan", nil, 0, 2, []float64{1, 2, 0, 0}},
		{"non-finite observation", pl, 0, 2, []float64{math.NaN(), 2, 0, 0}},
	} {
		if got, ok := Predict(c.pl, c.from, c.ahead, c.obs); ok {
			t.Errorf("%s: Predict = %v, want not ok", c.name, got)
		}
	}
}

// With Warm.Ahead, a plan is made from the state the previous plan
// predicts for when it takes over (the same plan as one asked for at that
// state), and says so; whether the robot is pinned is still judged where
// it is now.
func TestPlanFromThePredictedState(t *testing.T) {
	ctx := context.Background()
	goal := []float64{4, 4}
	prev := pinnedPlan(0.1)
	c := Config{GuidanceScale: 4, Unstick: 2}
	plan := func(obs []float64, w *Warm) *Plan {
		t.Helper()
		pl, err := unstickPlanner(t, c).PlanWarm(ctx, obs, goal, w)
		if err != nil {
			t.Fatal(err)
		}
		return pl
	}
	// The robot moved as planned: at frame 1's position after 2 actions.
	obs := []float64{1.2, 2, 1, 0}
	ahead := plan(obs, &Warm{Plan: prev, Executed: 2, Ahead: 3})
	want, _ := Predict(prev, 2, 3, obs)
	if ahead.Ahead != 3 || !slices.Equal(ahead.Start, want) {
		t.Fatalf("plan made %d ahead from %v, want 3 ahead from %v", ahead.Ahead, ahead.Start, want)
	}
	if !slices.EqualFunc(ahead.Observations, plan(want, &Warm{Plan: prev, Executed: 5}).Observations, slices.Equal) {
		t.Error("the plan from the predicted state differs from one asked for at that state")
	}
	// The previous plan does not reach that far: made from the observation.
	short := plan(obs, &Warm{Plan: prev, Executed: 6, Ahead: 3})
	if short.Ahead != 0 || !slices.Equal(short.Start, obs) {
		t.Errorf("previous plan too short: plan made %d ahead from %v, want from the observation %v", short.Ahead, short.Start, obs)
	}
	// A pinned robot (1 cm moved of the 40 cm planned) is told by where it
	// is, and planned from there: it does not move as its plan says.
	stuck := []float64{1.01, 2, 0, 0}
	pinned := plan(stuck, &Warm{Plan: prev, Executed: 4, Ahead: 2})
	if pinned.Unguided != 2 || pinned.Ahead != 0 || !slices.Equal(pinned.Start, stuck) {
		t.Errorf("pinned robot asked to plan 2 ahead: Unguided %d, Ahead %d, from %v; want 2, 0, from %v", pinned.Unguided, pinned.Ahead, pinned.Start, stuck)
	}
	// With warm rows, the new plan continues the previous one's frame 5
	// (2 executed, 3 ahead): the same plan as one asked for then.
	c.WarmRows = 2
	warm := plan(obs, &Warm{Plan: prev, Executed: 2, Ahead: 3})
	if !slices.EqualFunc(warm.Observations, plan(want, &Warm{Plan: prev, Executed: 5}).Observations, slices.Equal) {
		t.Error("warm rows: the plan from the predicted state differs from one asked for at that state")
	}
	// Nothing left of the previous plan when the new one takes over: from
	// noise, as a plan asked for then.
	end, _ := Predict(prev, 5, 3, obs)
	if !slices.EqualFunc(plan(obs, &Warm{Plan: prev, Executed: 5, Ahead: 3}).Observations, plan(end, &Warm{Plan: prev, Executed: 8}).Observations, slices.Equal) {
		t.Error("warm rows, previous plan used up by the time the new one takes over: want a plan from noise")
	}
}

// A robot stuck against a wall is found pinned through plans made ahead:
// its motion since the plan was asked for is compared with what the plans
// said, not with the predicted start of the plan.
func TestPinnedThroughPlansMadeAhead(t *testing.T) {
	stuck := []float64{1.01, 2, 0, 0}
	// Asked for at the stuck position, made from the state predicted 3
	// frames on (30 cm further), then 0 or 2 frames executed.
	ahead := &Plan{Asked: stuck, Start: []float64{1.31, 2, 1, 0}, Ahead: 3}
	for f := range 8 {
		ahead.Observations = append(ahead.Observations, []float64{1.31 + 0.1*float64(f+1), 2, 1, 0})
		ahead.Actions = append(ahead.Actions, []float64{1, 0})
	}
	for _, executed := range []int{0, 2} {
		if !Pinned(&Warm{Plan: ahead, Executed: executed}, stuck) {
			t.Errorf("%d frames executed of a plan made 3 ahead, robot where the plan was asked for: not pinned", executed)
		}
	}
	if moved := []float64{1.3, 2, 1, 0}; Pinned(&Warm{Plan: ahead, Executed: 0}, moved) {
		t.Error("robot moved 29 cm as planned: pinned")
	}
	// Made at once and nothing executed: nothing to judge.
	if Pinned(&Warm{Plan: pinnedPlan(0.1), Executed: 0}, stuck) {
		t.Error("nothing executed of a plan made at once: pinned")
	}
}

// mcg_chain reaches the guidance: with 2 samples the chained plans differ
// from our MCG's from the same noise, and with 1 sample they are plain
// guidance's.
func TestMCGChainSettingChangesPlans(t *testing.T) {
	obs, goals := repeated(4, []float64{2, 4, 0, 0}, []float64{1, 6})
	plan := func(samples int, chain bool) []*Plan {
		p, err := New(toy(t), Config{HorizonTokens: 6, SamplingSteps: 5, GuidanceScale: 4, MCGSamples: samples, MCGChain: chain, Seed: 8})
		if err != nil {
			t.Fatal(err)
		}
		plans, err := p.PlanBatch(context.Background(), obs, goals)
		if err != nil {
			t.Fatal(err)
		}
		return plans
	}
	same := func(a, b []*Plan) bool {
		for i := range a {
			for f := range a[i].Observations { // actions saturate at ±1 here
				if !slices.Equal(a[i].Observations[f], b[i].Observations[f]) {
					return false
				}
			}
		}
		return true
	}
	if same(plan(2, true), plan(2, false)) {
		t.Error("mcg_chain with 2 samples planned what our MCG plans")
	}
	if !same(plan(1, true), plan(1, false)) {
		t.Error("mcg_chain with 1 sample differs from plain guidance")
	}
}
