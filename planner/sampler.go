package planner

import (
	"context"
	"fmt"

	"github.com/dfplan/dfplan/guidance"
)

// sample is the guided Diffusion Forcing sampler with the causal-uncertainty
// schedule (Chen et al. 2024, "Diffusion Forcing", arXiv:2407.01392: its
// sampling algorithm over a scheduling matrix, with Monte Carlo Guidance;
// DESIGN.md §4). It returns B clean normalized plans, B × H × TokenDim, and
// each plan's mean MCG shift (diagnostics).
//
// obs0 holds the B normalized observations planned from, goals the B goals
// in the model's position frame; plans i with unguided[i] take no guidance.
func (p *Planner) sample(ctx context.Context, obs0 []float32, goals []guidance.Goal, unguided []bool) ([]float32, []float64, error) {
	b, h, d := len(goals), p.conf.HorizonTokens, p.mconf.TokenDim()
	K := p.matrix // K[m][t]: noise level of token t before row m, in sampling steps

	// Row 0: every token is pure noise, x_t ~ N(0, I).
	x := make([]float32, b*h*d)
	for i := range x {
		x[i] = float32(p.rng.NormFloat64())
	}
	x0 := make([]float32, b*h*d)   // latest x̂0 of every token
	grad := make([]float32, b*h*d) // latest guidance gradient s·∇_x J
	lat := p.newLatents(b)         // latents carried over unchanged tokens
	diag := newDiagnostics(b, unguided)

	for m := 0; m+1 < len(K); m++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, fmt.Errorf("plan: sampling row %d of %d: %w", m, len(K)-1, err)
		}
		cur, next := K[m], K[m+1]

		// 1. One network pass predicts x̂0 of every token at its level
		//    K[m][t]; with guidance, the gradient of the goal objective J
		//    on x̂0 is averaged over N sampled futures (Monte Carlo
		//    Guidance: the tokens whose level stays put this row are
		//    redrawn around their last x̂0):
		//      g = (s/N) Σ_r ∇_x J(x̂0(x⁽ʳ⁾)).
		//    Tokens before the first one changed since the last pass would
		//    predict the same again: the pass starts after them, from
		//    their carried latent.
		if t0 := lat.start(); t0 < h {
			step := &guidance.Step{
				B: b, H: h - t0, TokenDim: d, ObsDim: p.mconf.ObsDim,
				Obs0: obs0, X: sliceTokens(x, b, h, t0, d), K: make([]int, b*(h-t0)), Future: make([]bool, h-t0),
				X0Prev: sliceTokens(x0, b, h, t0, d), Goals: goals, Scale: p.conf.GuidanceScale, Rand: p.rng,
				Offset: t0, Z0: lat.before(t0), ZDim: p.mconf.ZDim,
			}
			if m == 0 {
				step.X0Prev = nil // no estimate yet: futures are drawn as pure noise
			}
			for t := t0; t < h; t++ {
				step.Future[t-t0] = cur[t] > 0 && next[t] == cur[t]
				for i := 0; i < b; i++ {
					step.K[i*(h-t0)+t-t0] = p.level(cur[t])
				}
			}
			est, err := p.mcg.Estimate(step)
			if err != nil {
				return nil, nil, fmt.Errorf("plan: sampling row %d: %w", m, err)
			}
			putTokens(x0, est.X0, b, h, t0, d)
			diag.add(est)
			lat.put(est.Z, t0)
			if est.Grad != nil {
				putTokens(grad, est.Grad, b, h, t0, d)
				for i, u := range unguided {
					if u {
						clear(grad[i*h*d : (i+1)*h*d])
					}
				}
			}
		}

		// 2. Every token whose level drops, K[m][t] → K[m+1][t], takes one
		//    DDIM step from x_k toward its x̂0, shifted by the guidance
		//    gradient (ddimStep); a token whose level does not change
		//    keeps its value.
		for t := 0; t < h; t++ {
			if next[t] == cur[t] {
				continue
			}
			lat.changed(t)
			p.ddimStep(x, x0, grad, b, t, cur[t], next[t])
		}
	}
	return x, diag.means(), nil
}
