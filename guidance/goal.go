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
	ValueGrad(x0 []float32, b, h, offset int, goals []Goal, scale float64, grad []float32) []float64
}

// Goal is where one plan should go, in the model's position frame.
type Goal struct {
	// X and Y are the goal position.
	X, Y float64
	// Stop is λ, the weight of GoalReaching's stop penalty for this plan:
	// 0 (none) or > 0 to make the plan stop at the goal.
	Stop float64
	// Origin is what to add to a position in the model's frame (and to
	// X, Y) to get it in the map's frame: the robot's position when the
	// model plans relative to it, else 0. Only a Field needs it.
	Origin [2]float64
}

// Field is a distance to the goal other than the straight line: a
// distance learned from the data (distance.Model), which runs around the
// walls the data never crossed. It reads positions in the map's frame.
type Field interface {
	// DistanceGrad returns d for n pairs, pg holding px, py, gx, gy per
	// pair, and writes ∂d/∂px, ∂d/∂py of pair i into grad[2i], grad[2i+1].
	DistanceGrad(pg []float64, grad []float64) []float64
}

// GoalReaching is the goal-reaching objective on the unnormalized positions
// of a plan:
//
//	J = −Σ_f γ^f ‖pos_f − goal‖
//
// summed over every frame f of the plan. It rewards plans that get to the
// goal soon and stay there. It reads nothing but the plan: no map, no path.
//
// A sequence whose goal has a stop weight λ = Goal.Stop > 0 (and StopRadius > 0)
// also pays for speed near its goal, so that its plan stops there instead
// of passing through:
//
//	J = −Σ_f γ^f (‖pos_f − goal‖ + λ·φ_f·huber(‖vel_f‖))
//	φ_f = exp(−‖pos_f − goal‖² / (2r²))
//
// with r = StopRadius and huber(v) = v above 1 and (v² + 1)/2 below. The
// gradient holds φ_f constant: the penalty slows the frames near the goal
// and never pays a plan to keep away from it. Distances are straight lines
// (no map): a goal behind a thin wall counts as near. With a Field, ‖pos_f −
// goal‖ is replaced by the field's distance, evaluated on every
// FrameStride-th frame (the last of each stride) and weighted by the
// stride; the stop penalty keeps the straight line, which is all it needs
// within its radius.
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
	// StopRadius is r, the reach of the speed penalty around the goal; 0
	// turns the penalty off whatever the goals say.
	StopRadius float64
	// VelIndex holds the feature indices of the x and y velocity, and
	// VelMean and VelStd unnormalize them; used when StopRadius > 0.
	VelIndex        [2]int
	VelMean, VelStd [2]float64
	// Field, if not nil, replaces the straight-line distance.
	Field Field
	// FrameStride is how many frames one evaluation of Field stands for;
	// 0 means 1 (every frame).
	FrameStride int
	// DetourFrom and DetourTo, when DetourTo > 0, blend the Field with the
	// straight line ℓ: where the field's distance d is under
	// DetourFrom·max(ℓ, 1 m) the straight line is taken to be open and is
	// used, over DetourTo·max(ℓ, 1 m) the field is (a wall stands
	// between), with a smooth step between. The blend's weight is held
	// constant in the gradient.
	DetourFrom, DetourTo float64
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
	case g.FrameStride < 0:
		return fmt.Errorf("goal reaching: FrameStride %d, want ≥ 0", g.FrameStride)
	case g.DetourTo != 0 && !(g.DetourFrom > 0 && g.DetourTo > g.DetourFrom && !math.IsInf(g.DetourTo, 0)):
		return fmt.Errorf("goal reaching: detour ratios %g … %g, want 0 < from < to", g.DetourFrom, g.DetourTo)
	case !(g.StopRadius >= 0) || math.IsInf(g.StopRadius, 0):
		return fmt.Errorf("goal reaching: StopRadius %g, want ≥ 0", g.StopRadius)
	case g.StopRadius == 0:
	case g.VelIndex[0] < 0 || g.VelIndex[0] >= g.FrameDim || g.VelIndex[1] < 0 || g.VelIndex[1] >= g.FrameDim:
		return fmt.Errorf("goal reaching: VelIndex %v outside a frame of %d features", g.VelIndex, g.FrameDim)
	case !(g.VelStd[0] > 0 && g.VelStd[1] > 0):
		return fmt.Errorf("goal reaching: VelStd %v, want positive", g.VelStd)
	}
	return nil
}

// ValueGrad implements Objective.
//
//	∂J/∂x_f = −γ^f · Std ⊙ (pos_f − goal) / ‖pos_f − goal‖
func (g *GoalReaching) ValueGrad(x0 []float32, b, h, offset int, goals []Goal, scale float64, grad []float32) []float64 {
	clear(grad)
	gamma := g.Discount
	if gamma == 0 {
		gamma = 1
	}
	frames := h * g.FrameStack
	values := make([]float64, b)
	ix, iy := g.PosIndex[0], g.PosIndex[1]
	w0 := math.Pow(gamma, float64(offset*g.FrameStack))
	line := g.Field == nil
	if !line {
		g.fieldValueGrad(x0, b, frames, w0, gamma, goals, scale, grad, values)
	}
	for s := 0; s < b; s++ {
		stop := 0.0
		if g.StopRadius > 0 {
			stop = goals[s].Stop
		}
		if !line && stop == 0 {
			continue // the field did the distance; no stop term
		}
		w := w0
		for f := 0; f < frames; f++ {
			off := (s*frames + f) * g.FrameDim
			dx := float64(x0[off+ix])*g.Std[0] + g.Mean[0] - goals[s].X
			dy := float64(x0[off+iy])*g.Std[1] + g.Mean[1] - goals[s].Y
			d := math.Hypot(dx, dy)
			if line {
				values[s] -= w * d
				if d > 1e-9 {
					grad[off+ix] = float32(-scale * w * g.Std[0] * dx / d)
					grad[off+iy] = float32(-scale * w * g.Std[1] * dy / d)
				}
			}
			if stop > 0 {
				g.stopPenalty(x0, grad, off, stop*math.Exp(-d*d/(2*g.StopRadius*g.StopRadius)), w, scale, &values[s])
			}
			w *= gamma
		}
	}
	return values
}

// fieldValueGrad adds −Σ γ^f·stride·d(pos_f, goal) over the strided
// frames to values and its gradient to grad.
func (g *GoalReaching) fieldValueGrad(x0 []float32, b, frames int, w0, gamma float64, goals []Goal, scale float64, grad []float32, values []float64) {
	stride := max(g.FrameStride, 1)
	per := frames / stride
	if per == 0 {
		return
	}
	ix, iy := g.PosIndex[0], g.PosIndex[1]
	pg := make([]float64, 0, 4*b*per)
	for s := 0; s < b; s++ {
		gl := goals[s]
		for k := range per {
			off := (s*frames + (k+1)*stride - 1) * g.FrameDim
			pg = append(pg,
				float64(x0[off+ix])*g.Std[0]+g.Mean[0]+gl.Origin[0],
				float64(x0[off+iy])*g.Std[1]+g.Mean[1]+gl.Origin[1],
				gl.X+gl.Origin[0], gl.Y+gl.Origin[1])
		}
	}
	dg := make([]float64, 2*b*per)
	d := g.Field.DistanceGrad(pg, dg)
	ws := w0 * float64(stride) * math.Pow(gamma, float64(stride-1))
	step := math.Pow(gamma, float64(stride))
	for s := 0; s < b; s++ {
		w := ws
		for k := range per {
			i := s*per + k
			off := (s*frames + (k+1)*stride - 1) * g.FrameDim
			dist, gx, gy := d[i], dg[2*i], dg[2*i+1]
			if g.DetourTo > 0 {
				dx, dy := pg[4*i]-pg[4*i+2], pg[4*i+1]-pg[4*i+3]
				line := math.Hypot(dx, dy)
				if line > 1e-9 {
					u := smoothstep((dist/max(line, detourFloor) - g.DetourFrom) / (g.DetourTo - g.DetourFrom))
					dist = (1-u)*line + u*dist
					gx = (1-u)*dx/line + u*gx
					gy = (1-u)*dy/line + u*gy
				}
			}
			values[s] -= w * dist
			grad[off+ix] = float32(-scale * w * g.Std[0] * gx)
			grad[off+iy] = float32(-scale * w * g.Std[1] * gy)
			w *= step
		}
	}
}

// detourFloor is the least straight-line distance the detour ratio
// divides by (m), twice maze2d's goal radius: near zero a learned
// distance's small offset (it is not exactly 0 at the goal) would make any
// ratio large and hand the goal's neighbourhood to the learned distance,
// whose direction is least reliable there (experiments/distance).
const detourFloor = 1.0

// smoothstep is 0 below 0, 1 above 1 and 3x² − 2x³ between.
func smoothstep(x float64) float64 {
	x = min(max(x, 0), 1)
	return x * x * (3 - 2*x)
}

// stopSpeed is where the stop penalty turns from quadratic to linear in
// the speed (Huber), in the state's units (m/s for maze2d): a constant
// gradient down to zero speed would push a large weight's plans through
// zero to the other side (on umaze the linear form scored lower).
const stopSpeed = 1.0

// stopPenalty adds −w·k·huber(‖vel‖) for the frame at off to *value and
// its gradient, k held constant, to grad (scaled by scale).
func (g *GoalReaching) stopPenalty(x0, grad []float32, off int, k, w, scale float64, value *float64) {
	jx, jy := g.VelIndex[0], g.VelIndex[1]
	vx := float64(x0[off+jx])*g.VelStd[0] + g.VelMean[0]
	vy := float64(x0[off+jy])*g.VelStd[1] + g.VelMean[1]
	v := math.Hypot(vx, vy)
	if v < stopSpeed {
		*value -= w * k * (v*v/stopSpeed + stopSpeed) / 2
		grad[off+jx] += float32(-scale * w * k * g.VelStd[0] * vx / stopSpeed)
		grad[off+jy] += float32(-scale * w * k * g.VelStd[1] * vy / stopSpeed)
		return
	}
	*value -= w * k * v
	grad[off+jx] += float32(-scale * w * k * g.VelStd[0] * vx / v)
	grad[off+jy] += float32(-scale * w * k * g.VelStd[1] * vy / v)
}
