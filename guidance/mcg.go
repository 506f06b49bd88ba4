package guidance

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/dfplan/dfplan/dynamics"
)

// Denoiser is the part of a dynamics model that guidance needs: a batched
// prediction of clean tokens with a vector–Jacobian product, and the noise
// schedule. *dynamics.Model satisfies it.
type Denoiser interface {
	Predict(in *dynamics.Input) (*dynamics.Output, error)
	Schedule() *dynamics.Schedule
}

// pullbacker is a Denoiser that can pull a gradient back through the
// forward pass it has just made instead of recomputing it
// (*dynamics.Model.PredictPullback).
type pullbacker interface {
	PredictPullback(in *dynamics.Input) (*dynamics.Output, func(gradX0 []float32) ([]float32, error), error)
}

// predict runs the forward pass of in and returns its pullback: the
// model's own if it has one, else a second Predict with the gradient.
func predict(m Denoiser, in *dynamics.Input) (*dynamics.Output, func(gradX0 []float32) ([]float32, error), error) {
	if pm, ok := m.(pullbacker); ok {
		return pm.PredictPullback(in)
	}
	out, err := m.Predict(in)
	if err != nil {
		return nil, nil, err
	}
	return out, func(g []float32) ([]float32, error) {
		with := *in
		with.GradX0 = g
		back, err := m.Predict(&with)
		if err != nil {
			return nil, err
		}
		return back.GradX, nil
	}, nil
}

// MonteCarlo is Monte Carlo Guidance: the guidance gradient for the tokens
// being denoised is averaged over several sampled completions of the
// uncertain future.
//
// Because the network is causal, the clean prediction of a far token depends
// on the near tokens only through the latent carried forward. Sample r keeps
// the plan's near tokens and draws the still-noisy future tokens afresh,
//
//	x_t⁽ʳ⁾ = √ᾱ_k · x̂0_t + √(1−ᾱ_k) · ε⁽ʳ⁾,   ε⁽ʳ⁾ ~ N(0, I),
//
// around the previous estimate x̂0_t; the network predicts every token of
// every sample, J is computed on each, and the gradients that reach the
// shared near tokens are averaged:
//
//	g = (1/N) Σ_r ∇_x J(x̂0(x⁽ʳ⁾)).
//
// Sample 0 is the plan itself, so with N = 1 this is plain guidance.
type MonteCarlo struct {
	// Model predicts clean tokens and their vector–Jacobian products.
	Model Denoiser
	// Objective scores predicted clean plans.
	Objective Objective
	// Samples is N, the number of sampled futures (1 = plain guidance).
	Samples int
	// Decompose, a diagnostic, also pulls back the objective's gradient on
	// the future tokens alone, to report how much of the gradient on the
	// tokens being denoised arrives through the future (Result.Through).
	// It costs a second backward pass.
	Decompose bool
	// Chain draws the samples close to the way the reference planner's
	// ddim_repeats does (results/mcg-chain/README.md names where they
	// differ): sample r re-noises every token of sample r−1's clean
	// prediction at the token's own level,
	//
	//	x⁽ʳ⁾_t = √ᾱ_k · x̂0⁽ʳ⁻¹⁾_t + √(1−ᾱ_k) · ε⁽ʳ⁾   (tokens at level 0 stay x_t),
	//
	// so the samples cover the uncertainty of the tokens being denoised
	// as well as of the future, and J's gradient on every sample is pulled
	// back through the chain to the plan: ∂x⁽ʳ⁾/∂x̂0⁽ʳ⁻¹⁾ = √ᾱ_k. Step.Future
	// is ignored. The samples are N passes one after the other, not one
	// batched pass, and Result.Shift and Result.Through are not reported.
	Chain bool
}

// Step is one sampling step's state, batched over B plans of H tokens of
// TokenDim features each.
type Step struct {
	B, H, TokenDim, ObsDim int
	// Obs0 holds the B normalized current observations.
	Obs0 []float32
	// Z0, if not nil, holds B latents (ZDim each) to start the network from
	// instead of encoding Obs0: the latents after the plan's tokens before
	// Offset, which are unchanged since they were computed.
	Z0 []float32
	// ZDim is the size of the model's latent.
	ZDim int
	// Offset is the index within the plan of X's first token.
	Offset int
	// X holds the B×H×TokenDim noisy tokens of the plans.
	X []float32
	// K holds the B×H diffusion noise levels of X.
	K []int
	// Future marks the tokens (of H) that are still noisy and are not
	// denoised in this step: those are redrawn for every sample.
	Future []bool
	// X0Prev is the previous estimate of the clean plan, around which
	// future tokens are redrawn; nil draws them as pure noise.
	X0Prev []float32
	// Goals holds one goal per plan.
	Goals [][]float64
	// Scale multiplies the objective's gradient; 0 skips the backward pass.
	Scale float64
	// Rand draws the future samples.
	Rand *rand.Rand
}

// Result is what a guidance step returns for the plan itself (sample 0).
type Result struct {
	// X0 is the predicted clean plan (B×H×TokenDim).
	X0 []float32
	// Grad is Scale·∇_X J averaged over samples (B×H×TokenDim); nil when
	// Scale is 0.
	Grad []float32
	// Value is J of each plan's prediction (over tokens Offset…), averaged
	// over samples.
	Value []float64
	// Z holds the latents after each token of the plan itself
	// (B×H×ZDim), to start later passes from.
	Z []float32
	// Shift, when N > 1 and there are future tokens to redraw, holds for
	// each plan how far averaging over futures moved the gradient on the
	// tokens being denoised (not Future, level > 0) from the one plain
	// guidance would take, sample 0's alone: ‖ḡ − g⁽⁰⁾‖ / ‖g⁽⁰⁾‖ (NaN
	// where g⁽⁰⁾ is 0 there). nil otherwise. A token stepping to level 0
	// counts too, though the sampler applies no guidance on that step.
	Shift []float64
	// Through, with MonteCarlo.Decompose and future tokens, holds for each
	// plan ‖g_f⁽⁰⁾‖ / ‖g⁽⁰⁾‖ on the tokens being denoised, g_f⁽⁰⁾ the
	// part of the plan's own gradient that arrives through the future
	// tokens' predictions. The other part, g⁽⁰⁾ − g_f⁽⁰⁾, comes from the
	// denoised tokens' own predictions, which every sample shares, so MCG
	// can only change g_f. (Norms of the parts do not add up to the
	// whole's.) NaN where g⁽⁰⁾ is 0 there; nil otherwise.
	Through []float64
}

// Estimate predicts the clean plan and, when s.Scale ≠ 0, the Monte Carlo
// guidance gradient.
func (mc *MonteCarlo) Estimate(s *Step) (*Result, error) {
	n := mc.Samples
	if n < 1 {
		return nil, fmt.Errorf("monte carlo guidance: %d samples, want ≥ 1", n)
	}
	if mc.Chain {
		return mc.chain(s, n)
	}
	hasFuture := false
	for _, f := range s.Future {
		hasFuture = hasFuture || f
	}
	if s.Scale == 0 || !hasFuture {
		// Nothing uncertain to average over: every sample would be the plan.
		n = 1
	}
	tokLen := s.H * s.TokenDim
	bn := s.B * n
	in := &dynamics.Input{
		B:    bn,
		H:    s.H,
		Obs0: make([]float32, bn*s.ObsDim),
		X:    make([]float32, bn*tokLen),
		K:    make([]int, bn*s.H),
	}
	if s.Z0 != nil {
		in.Z0 = make([]float32, bn*s.ZDim)
	}
	sched := mc.Model.Schedule()
	// Sequence b·n + r is sample r of plan b.
	for b := 0; b < s.B; b++ {
		for r := 0; r < n; r++ {
			seq := b*n + r
			copy(in.Obs0[seq*s.ObsDim:(seq+1)*s.ObsDim], s.Obs0[b*s.ObsDim:(b+1)*s.ObsDim])
			if s.Z0 != nil {
				copy(in.Z0[seq*s.ZDim:(seq+1)*s.ZDim], s.Z0[b*s.ZDim:(b+1)*s.ZDim])
			}
			copy(in.K[seq*s.H:(seq+1)*s.H], s.K[b*s.H:(b+1)*s.H])
			dst := in.X[seq*tokLen : (seq+1)*tokLen]
			copy(dst, s.X[b*tokLen:(b+1)*tokLen])
			if r == 0 {
				continue
			}
			for t := 0; t < s.H; t++ {
				if !s.Future[t] {
					continue
				}
				k := s.K[b*s.H+t]
				for i := t * s.TokenDim; i < (t+1)*s.TokenDim; i++ {
					x0 := 0.0
					if s.X0Prev != nil {
						x0 = float64(s.X0Prev[b*tokLen+i])
					}
					dst[i] = float32(sched.QSample(x0, s.Rand.NormFloat64(), k))
				}
			}
		}
	}

	var goals [][]float64
	if s.Scale != 0 {
		// A first pass predicts x̂0 of every sample; J's gradient on those
		// predictions is then pulled back through the network.
		goals = make([][]float64, bn)
		for seq := range goals {
			goals[seq] = s.Goals[seq/n]
		}
	}
	out, pullback, err := predict(mc.Model, in)
	if err != nil {
		return nil, fmt.Errorf("monte carlo guidance: predict: %w", err)
	}
	if len(out.X0) != bn*tokLen || len(out.Z) != bn*s.H*s.ZDim {
		return nil, fmt.Errorf("monte carlo guidance: model returned %d predictions and %d latent values, want %d and %d",
			len(out.X0), len(out.Z), bn*tokLen, bn*s.H*s.ZDim)
	}
	res := &Result{X0: make([]float32, s.B*tokLen), Value: make([]float64, s.B)}
	zLen := s.H * s.ZDim
	res.Z = make([]float32, s.B*zLen)
	for b := 0; b < s.B; b++ {
		copy(res.X0[b*tokLen:(b+1)*tokLen], out.X0[b*n*tokLen:(b*n+1)*tokLen])
		copy(res.Z[b*zLen:(b+1)*zLen], out.Z[b*n*zLen:(b*n+1)*zLen])
	}
	if s.Scale == 0 {
		return res, nil
	}
	upstream := make([]float32, len(in.X))
	values := mc.Objective.ValueGrad(out.X0, bn, s.H, s.Offset, goals, s.Scale/float64(n), upstream)
	gradX, err := pullback(upstream)
	if err != nil {
		return nil, fmt.Errorf("monte carlo guidance: gradient: %w", err)
	}
	if len(gradX) != len(in.X) {
		return nil, fmt.Errorf("monte carlo guidance: model returned a gradient of %d values, want %d", len(gradX), len(in.X))
	}
	res.Grad = make([]float32, s.B*tokLen)
	for b := 0; b < s.B; b++ {
		g := res.Grad[b*tokLen : (b+1)*tokLen]
		for r := 0; r < n; r++ {
			seq := b*n + r
			for i, v := range gradX[seq*tokLen : (seq+1)*tokLen] {
				g[i] += v
			}
			res.Value[b] += values[seq] / float64(n)
		}
	}
	if n > 1 {
		res.Shift = shift(s, gradX, res.Grad, n)
	}
	if mc.Decompose && hasFuture {
		// J is a sum over tokens, so its gradient is the sum of what each
		// token's prediction pulls back: keep the future tokens' terms only.
		for seq := 0; seq < bn; seq++ {
			for t := 0; t < s.H; t++ {
				if !s.Future[t] {
					clear(upstream[(seq*s.H+t)*s.TokenDim : (seq*s.H+t+1)*s.TokenDim])
				}
			}
		}
		viaFuture, err := pullback(upstream)
		if err != nil {
			return nil, fmt.Errorf("monte carlo guidance: gradient through the future: %w", err)
		}
		res.Through = make([]float64, s.B)
		for b := range res.Through {
			own := gradX[b*n*tokLen : (b*n+1)*tokLen]
			fut := viaFuture[b*n*tokLen : (b*n+1)*tokLen]
			res.Through[b] = ratio(denoisedNorm(s, b, fut), denoisedNorm(s, b, own))
		}
	}
	return res, nil
}

// chain is Estimate with MonteCarlo.Chain: n samples, each re-noised from
// the previous one's clean prediction, and the gradient of the mean J
// pulled back through all of them.
func (mc *MonteCarlo) chain(s *Step, n int) (*Result, error) {
	noisy := false
	for _, k := range s.K {
		noisy = noisy || k > 0
	}
	if s.Scale == 0 || !noisy {
		n = 1 // every sample would be the plan
	}
	sched := mc.Model.Schedule()
	in := &dynamics.Input{B: s.B, H: s.H, Obs0: s.Obs0, Z0: s.Z0, X: s.X, K: s.K}
	var prev []float32 // the previous sample's prediction
	// up[r] is J's gradient on sample r's prediction (each divided by n);
	// pulls[r] takes a gradient on that prediction back to sample r's input.
	up, pulls := make([][]float32, n), make([]func([]float32) ([]float32, error), n)
	res := &Result{Value: make([]float64, s.B)}
	for r := range n {
		if r > 0 {
			x := make([]float32, len(s.X))
			for i := range x {
				k := s.K[i/s.TokenDim]
				if k == 0 {
					x[i] = s.X[i]
					continue
				}
				x[i] = float32(sched.QSample(float64(prev[i]), s.Rand.NormFloat64(), k))
			}
			with := *in
			with.X = x
			in = &with
		}
		out, pull, err := predict(mc.Model, in)
		if err != nil {
			return nil, fmt.Errorf("monte carlo guidance: sample %d: predict: %w", r, err)
		}
		if len(out.X0) != len(s.X) || len(out.Z) != s.B*s.H*s.ZDim {
			return nil, fmt.Errorf("monte carlo guidance: model returned %d predictions and %d latent values, want %d and %d",
				len(out.X0), len(out.Z), len(s.X), s.B*s.H*s.ZDim)
		}
		if r == 0 {
			res.X0, res.Z = out.X0, out.Z
			if s.Scale == 0 {
				return res, nil
			}
		}
		up[r], pulls[r] = make([]float32, len(s.X)), pull
		for b, v := range mc.Objective.ValueGrad(out.X0, s.B, s.H, s.Offset, s.Goals, s.Scale/float64(n), up[r]) {
			res.Value[b] += v / float64(n)
		}
		prev = out.X0
	}
	// Backward through the chain, last sample first: the gradient on
	// sample r's input reaches sample r−1's prediction times √ᾱ_k, and
	// reaches the plan directly on the tokens at level 0, which every
	// sample shares.
	res.Grad = make([]float32, len(s.X))
	g := up[n-1]
	for r := n - 1; r >= 0; r-- {
		gx, err := pulls[r](g)
		if err != nil {
			return nil, fmt.Errorf("monte carlo guidance: sample %d: gradient: %w", r, err)
		}
		if len(gx) != len(s.X) {
			return nil, fmt.Errorf("monte carlo guidance: model returned a gradient of %d values, want %d", len(gx), len(s.X))
		}
		if r == 0 {
			for i, v := range gx {
				res.Grad[i] += v
			}
			break
		}
		g = up[r-1]
		for i, v := range gx {
			if k := s.K[i/s.TokenDim]; k == 0 {
				res.Grad[i] += v
			} else {
				g[i] += float32(math.Sqrt(sched.AlphaBar(k))) * v
			}
		}
	}
	return res, nil
}

// denoisedNorm is ‖g‖ over plan b's tokens being denoised (not Future,
// level > 0); g holds that plan's H tokens.
func denoisedNorm(s *Step, b int, g []float32) float64 {
	var sq float64
	for t := 0; t < s.H; t++ {
		if s.Future[t] || s.K[b*s.H+t] == 0 {
			continue
		}
		for _, v := range g[t*s.TokenDim : (t+1)*s.TokenDim] {
			sq += float64(v) * float64(v)
		}
	}
	return math.Sqrt(sq)
}

// shift is Result.Shift: per plan, ‖ḡ − g⁽⁰⁾‖ / ‖g⁽⁰⁾‖ over the tokens
// being denoised, where ḡ is the averaged gradient and g⁽⁰⁾ = N × sample
// 0's share of it (gradX holds each sample's gradient already divided by
// N).
func shift(s *Step, gradX, avg []float32, n int) []float64 {
	tokLen := s.H * s.TokenDim
	out := make([]float64, s.B)
	plain, diff := make([]float32, tokLen), make([]float32, tokLen)
	for b := range out {
		g0 := gradX[b*n*tokLen : (b*n+1)*tokLen]
		for i, v := range avg[b*tokLen : (b+1)*tokLen] {
			plain[i] = float32(n) * g0[i]
			diff[i] = v - plain[i]
		}
		out[b] = ratio(denoisedNorm(s, b, diff), denoisedNorm(s, b, plain))
	}
	return out
}

// ratio is a/b, NaN when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}
