package guidance

import "math"

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

// ratio is a/b, NaN when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}
