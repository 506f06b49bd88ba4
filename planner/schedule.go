package planner

import "fmt"

// Scheduling kinds accepted by SchedulingMatrix.
const (
	Pyramid        = "pyramid"
	FullSequence   = "full_sequence"
	Autoregressive = "autoregressive"
)

// SchedulingMatrix returns K with K[m][t] the noise level, in sampling steps
// (0 = clean … steps = pure noise), of token t before sampling row m. Row 0
// is all noise and the last row all clean; each transition m → m+1 is one
// network pass, and every level is non-increasing down a column.
//
//	pyramid:        K[m][t] = clip(S + ⌊u·t⌋ − m, 0, S)  (u = uncertainty)
//	full_sequence:  K[m][t] = S − m                      (every token alike)
//	autoregressive: pyramid with u = S                   (one token at a time)
//
// Near tokens become clean first under pyramid; far tokens stay noisier, the
// causal uncertainty of the future.
func SchedulingMatrix(kind string, steps, horizon int, uncertainty float64) ([][]int, error) {
	if steps < 1 {
		return nil, fmt.Errorf("scheduling matrix: sampling steps %d, want ≥ 1", steps)
	}
	if horizon < 1 {
		return nil, fmt.Errorf("scheduling matrix: horizon %d tokens, want ≥ 1", horizon)
	}
	switch kind {
	case FullSequence:
		return pyramid(steps, horizon, 0), nil
	case Autoregressive:
		return pyramid(steps, horizon, float64(steps)), nil
	case Pyramid:
		if !(uncertainty >= 0) || uncertainty > float64(steps) {
			return nil, fmt.Errorf("scheduling matrix: uncertainty scale %g, want in [0, %d]", uncertainty, steps)
		}
		return pyramid(steps, horizon, uncertainty), nil
	default:
		return nil, fmt.Errorf("scheduling matrix: unknown kind %q (want %s, %s or %s)", kind, Pyramid, FullSequence, Autoregressive)
	}
}

// pyramid builds K[m][t] = clip(S + ⌊u·t⌋ − m, 0, S) for m = 0 … S + ⌊u·(H−1)⌋.
func pyramid(steps, horizon int, u float64) [][]int {
	rows := steps + int(u*float64(horizon-1)) + 1
	k := make([][]int, rows)
	for m := range k {
		k[m] = make([]int, horizon)
		for t := range k[m] {
			k[m][t] = min(max(steps+int(u*float64(t))-m, 0), steps)
		}
	}
	return k
}
