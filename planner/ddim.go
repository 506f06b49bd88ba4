package planner

import "math"

// level maps a sampling step l (0 … S) of the scheduling matrix to the
// model's diffusion step: k = l·T/S.
func (p *Planner) level(l int) int { return l * p.model.Schedule().T() / p.conf.SamplingSteps }

// ddimStep moves token t of each of the b plans in x (B × H × TokenDim)
// from sampling level from to level to, given its clean estimate x0 and
// guidance gradient grad (s·∇_x J, already scaled):
//
//	x_{k'} = √ᾱ_{k'}·x̂0 + √(1−ᾱ_{k'}−σ²)·ε̂(x_k, x̂0) + σ·z        (DDIM)
//	       + √(1−ᾱ_k)·(√(1−ᾱ_k) − √(1−ᾱ_{k'}−σ²))·∇_x J           (guidance)
//	σ = η·√((1−ᾱ_k/ᾱ_{k'})·(1−ᾱ_{k'})/(1−ᾱ_k)),   z ~ N(0, I)
//
// The guidance constant is the reference planner's, 0 on the final step
// to clean as there; without guidance (GuidanceScale 0) the shift is not
// added.
func (p *Planner) ddimStep(x, x0, grad []float32, b, t, from, to int) {
	sched := p.model.Schedule()
	h, d := p.conf.HorizonTokens, p.mconf.TokenDim()
	kc, kn := p.level(from), p.level(to)
	ab, abn := sched.AlphaBar(kc), sched.AlphaBar(kn)
	sigma := p.conf.Eta * math.Sqrt((1-ab/abn)*(1-abn)/(1-ab))
	gconst := math.Sqrt(1-ab) * (math.Sqrt(1-ab) - math.Sqrt(math.Max(1-abn-sigma*sigma, 0)))
	if kn == 0 {
		gconst = 0
	}
	guided := p.conf.GuidanceScale != 0
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
