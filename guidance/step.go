package guidance

import "math/rand/v2"

// Step is one sampling step's state, batched over B plans of H tokens of
// TokenDim features each.
type Step struct {
	B, H, TokenDim, ObsDim int
	// Obs0 holds the B normalized current observations.
	Obs0 []float32
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
	Goals []Goal
	// Scale multiplies the objective's gradient; 0 skips the backward pass.
	Scale float64
	// Rand draws the future samples.
	Rand *rand.Rand

	// Offset is the index within the plan of X's first token: X may be
	// the tail of the plans, tokens Offset…Offset+H−1.
	Offset int
	// Z0, if not nil, holds B latents (ZDim each) to start the network from
	// instead of encoding Obs0: the latents after the plan's tokens before
	// Offset, which are unchanged since they were computed.
	Z0 []float32
	// ZDim is the size of the model's latent.
	ZDim int
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
}
