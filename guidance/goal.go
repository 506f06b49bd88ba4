package guidance

import (
	"fmt"
	"math"
)

// Objective scores predicted clean plans. Plans are laid out as the model
// emits them: B sequences × H tokens × FrameStack frames × FrameDim features,
// normalized.
type Objective interface {
	// ValueGrad returns J for each of the b sequences of x0 (h tokens each,
	// the plan's tokens offset, offset+1, …) and writes ∂J/∂x0, multiplied
	// by scale, into grad (same layout as x0; grad is overwritten). goals[i]
	// is the goal of sequence i.
	ValueGrad(x0 []float32, b, h, offset int, goals [][]float64, scale float64, grad []float32) []float64
}

// GoalReaching is the goal-reaching objective on the unnormalized positions
// of a plan:
//
//	J = −Σ_f γ^f ‖pos_f − goal‖
//
// summed over every frame f of the plan. It rewards plans that get to the
// goal soon and stay there. It reads nothing but the plan: no map, no path.
type GoalReaching struct {
	// FrameStack is the number of frames per token.
	FrameStack int
	// FrameDim is the number of features per frame.
	FrameDim int
	// PosIndex holds the feature indices of x and y within a frame.
	PosIndex [2]int
	// Mean and Std unnormalize the position features: pos = x·Std + Mean.
	Mean, Std [2]float64
	// Discount γ weights frame f by γ^f; 0 means 1 (no discount).
	Discount float64
}

// Validate reports a field that cannot work.
func (g *GoalReaching) Validate() error {
	switch {
	case g.FrameStack < 1:
		return fmt.Errorf("goal reaching: FrameStack %d, want ≥ 1", g.FrameStack)
	case g.FrameDim < 2:
		return fmt.Errorf("goal reaching: FrameDim %d, want ≥ 2", g.FrameDim)
	case g.PosIndex[0] < 0 || g.PosIndex[0] >= g.FrameDim || g.PosIndex[1] < 0 || g.PosIndex[1] >= g.FrameDim:
		return fmt.Errorf("goal reaching: PosIndex %v outside a frame of %d features", g.PosIndex, g.FrameDim)
	case !(g.Std[0] > 0 && g.Std[1] > 0):
		return fmt.Errorf("goal reaching: Std %v, want positive", g.Std)
	case !(g.Discount >= 0 && g.Discount <= 1):
		return fmt.Errorf("goal reaching: Discount %g, want in [0, 1]", g.Discount)
	}
	return nil
}

// ValueGrad implements Objective.
//
//	∂J/∂x_f = −γ^f · Std ⊙ (pos_f − goal) / ‖pos_f − goal‖
func (g *GoalReaching) ValueGrad(x0 []float32, b, h, offset int, goals [][]float64, scale float64, grad []float32) []float64 {
	clear(grad)
	gamma := g.Discount
	if gamma == 0 {
		gamma = 1
	}
	frames := h * g.FrameStack
	values := make([]float64, b)
	ix, iy := g.PosIndex[0], g.PosIndex[1]
	w0 := math.Pow(gamma, float64(offset*g.FrameStack))
	for s := 0; s < b; s++ {
		w := w0
		for f := 0; f < frames; f++ {
			off := (s*frames + f) * g.FrameDim
			dx := float64(x0[off+ix])*g.Std[0] + g.Mean[0] - goals[s][0]
			dy := float64(x0[off+iy])*g.Std[1] + g.Mean[1] - goals[s][1]
			d := math.Hypot(dx, dy)
			values[s] -= w * d
			if d > 1e-9 {
				grad[off+ix] = float32(-scale * w * g.Std[0] * dx / d)
				grad[off+iy] = float32(-scale * w * g.Std[1] * dy / d)
			}
			w *= gamma
		}
	}
	return values
}
