package dynamics

import (
	"fmt"
	"math"
)

// Schedule is a DDPM noise schedule with T steps. Noise levels are integers
// k = 0..T: k = 0 is clean data (ᾱ_0 = 1) and k = T is (nearly) pure noise.
// With betas β_1..β_T,
//
//	ᾱ_k = Π_{i=1..k} (1 − β_i)
//	x_k = √ᾱ_k · x_0 + √(1−ᾱ_k) · ε,  ε ~ N(0, 1)
//
// A Schedule is immutable and safe for concurrent use.
type Schedule struct {
	kind     string
	beta     []float64 // beta[i] = β_i, beta[0] = 0
	alphaBar []float64 // alphaBar[k] = ᾱ_k
}

// NewSchedule returns the schedule kind ("linear" or "cosine") with T steps.
//
// linear: β_i evenly spaced from 1e-4·(1000/T) to 2e-2·(1000/T) (DDPM's
// schedule, rescaled so that any T reaches a similar final noise).
// cosine: ᾱ(t) ∝ cos²((t/T + s)/(1 + s) · π/2) with s = 0.008 (Nichol &
// Dhariwal), each β clipped to at most 0.999.
func NewSchedule(kind string, T int) (*Schedule, error) {
	if T < 1 {
		return nil, fmt.Errorf("noise schedule: T = %d, want at least 1", T)
	}
	beta := make([]float64, T+1)
	switch kind {
	case "linear":
		scale := 1000 / float64(T)
		lo, hi := scale*1e-4, scale*2e-2
		for i := 1; i <= T; i++ {
			if T == 1 {
				beta[i] = lo
				continue
			}
			beta[i] = lo + (hi-lo)*float64(i-1)/float64(T-1)
		}
	case "cosine":
		const s = 0.008
		f := func(t int) float64 {
			c := math.Cos((float64(t)/float64(T) + s) / (1 + s) * math.Pi / 2)
			return c * c
		}
		for i := 1; i <= T; i++ {
			beta[i] = math.Min(math.Max(1-f(i)/f(i-1), 0), 0.999)
		}
	default:
		return nil, fmt.Errorf("noise schedule: unknown kind %q, want \"linear\" or \"cosine\"", kind)
	}
	for i := 1; i <= T; i++ {
		if beta[i] >= 1 {
			return nil, fmt.Errorf("noise schedule: %s with T = %d gives β_%d = %g ≥ 1; use more steps", kind, T, i, beta[i])
		}
	}
	ab := make([]float64, T+1)
	ab[0] = 1
	for k := 1; k <= T; k++ {
		ab[k] = ab[k-1] * (1 - beta[k])
	}
	return &Schedule{kind: kind, beta: beta, alphaBar: ab}, nil
}

// Kind is "linear" or "cosine".
func (s *Schedule) Kind() string { return s.kind }

// T is the number of diffusion steps; valid noise levels are 0..T.
func (s *Schedule) T() int { return len(s.alphaBar) - 1 }

// Beta returns β_k for k in 1..T (0 for k = 0).
func (s *Schedule) Beta(k int) float64 { return s.beta[k] }

// AlphaBar returns ᾱ_k.
func (s *Schedule) AlphaBar(k int) float64 { return s.alphaBar[k] }

// SNR returns the signal-to-noise ratio ᾱ_k / (1 − ᾱ_k); +Inf at k = 0.
func (s *Schedule) SNR(k int) float64 {
	ab := s.alphaBar[k]
	return ab / (1 - ab)
}

// QSample noises a clean value: x_k = √ᾱ_k x0 + √(1−ᾱ_k) ε.
func (s *Schedule) QSample(x0, eps float64, k int) float64 {
	ab := s.alphaBar[k]
	return math.Sqrt(ab)*x0 + math.Sqrt(1-ab)*eps
}

// EpsFromX0 returns the noise implied by x_k and a clean estimate x0:
// ε = (x_k − √ᾱ_k x0) / √(1−ᾱ_k). At k = 0 there is no noise and it returns 0.
func (s *Schedule) EpsFromX0(xk, x0 float64, k int) float64 {
	ab := s.alphaBar[k]
	if ab >= 1 {
		return 0
	}
	return (xk - math.Sqrt(ab)*x0) / math.Sqrt(1-ab)
}

// X0FromEps returns the clean value implied by x_k and a noise estimate:
// x0 = (x_k − √(1−ᾱ_k) ε) / √ᾱ_k.
func (s *Schedule) X0FromEps(xk, eps float64, k int) float64 {
	ab := s.alphaBar[k]
	return (xk - math.Sqrt(1-ab)*eps) / math.Sqrt(ab)
}

// DDIMSigma is the DDIM noise scale for a step from level k to kNext:
// σ = η √((1 − ᾱ_k/ᾱ') (1 − ᾱ') / (1 − ᾱ_k)), ᾱ' = ᾱ_kNext; 0 when kNext ≥ k.
func (s *Schedule) DDIMSigma(k, kNext int, eta float64) float64 {
	if eta == 0 || kNext >= k {
		return 0
	}
	ab, abNext := s.alphaBar[k], s.alphaBar[kNext]
	v := (1 - ab/abNext) * (1 - abNext) / (1 - ab)
	if v <= 0 {
		return 0
	}
	return eta * math.Sqrt(v)
}

// DDIMStep moves x_k to level kNext given the clean estimate x0 (Song et al.):
//
//	ε̂ = (x_k − √ᾱ_k x0) / √(1−ᾱ_k)
//	x_kNext = √ᾱ' x0 + √(1 − ᾱ' − σ²) ε̂ + σ · noise
//
// with σ = DDIMSigma(k, kNext, eta). kNext = 0 returns x0; kNext = k returns
// x_k unchanged. A kNext above k re-noises deterministically along ε̂.
func (s *Schedule) DDIMStep(xk, x0, noise float64, k, kNext int, eta float64) float64 {
	switch {
	case kNext == k:
		return xk
	case kNext == 0:
		return x0
	}
	abNext := s.alphaBar[kNext]
	eps := s.EpsFromX0(xk, x0, k)
	sigma := s.DDIMSigma(k, kNext, eta)
	c := math.Sqrt(math.Max(1-abNext-sigma*sigma, 0))
	return math.Sqrt(abNext)*x0 + c*eps + sigma*noise
}
