package guidance

import (
	"fmt"

	"github.com/dfplan/dfplan/dynamics"
)

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
}

// Estimate predicts the clean plan and, when s.Scale ≠ 0, the Monte Carlo
// guidance gradient.
func (mc *MonteCarlo) Estimate(s *Step) (*Result, error) {
	n := mc.Samples
	if n < 1 {
		return nil, fmt.Errorf("monte carlo guidance: %d samples, want ≥ 1", n)
	}
	hasFuture := false
	for _, f := range s.Future {
		hasFuture = hasFuture || f
	}
	if s.Scale == 0 || !hasFuture {
		// Nothing uncertain to average over: every sample would be the plan.
		n = 1
	}
	tokLen, bn := s.H*s.TokenDim, s.B*n

	// 1. N samples per plan: the plan itself, then N−1 with their future
	//    tokens redrawn, x_t⁽ʳ⁾ = √ᾱ_k·x̂0_t + √(1−ᾱ_k)·ε⁽ʳ⁾.
	in := mc.samples(s, n)

	// 2. One pass predicts x̂0 of every sample.
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

	// 3. J on every sample's x̂0, its gradient (scaled by Scale/N) pulled
	//    back through the network to every sample's input.
	goals := make([]Goal, bn)
	for seq := range goals {
		goals[seq] = s.Goals[seq/n]
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

	// 4. The MCG average, g = (1/N) Σ_r ∇_x J(x̂0(x⁽ʳ⁾)), over the samples
	//    of each plan.
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
	return res, nil
}

// samples returns the network input of n samples of each of s's plans:
// sequence b·n + r is sample r of plan b. Sample 0 is the plan; the others
// redraw its Future tokens around X0Prev at their level.
func (mc *MonteCarlo) samples(s *Step, n int) *dynamics.Input {
	tokLen, bn := s.H*s.TokenDim, s.B*n
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
	return in
}
