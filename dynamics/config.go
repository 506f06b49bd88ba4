package dynamics

import (
	"fmt"
)

// Config is the shape of the network and of the diffusion process. It is
// stored in every checkpoint; a checkpoint's weights must match it.
//
// Token layout: a trajectory after the current observation o_0 is a sequence
// of frames n = 0, 1, 2, ...; frame n = [o_{n+1} (ObsDim), a_n (ActDim)]
// (action a_n taken at o_n gives o_{n+1}), normalized with Normalization.
// Token t holds frames t*FrameStack .. t*FrameStack+FrameStack-1 flattened
// frame-major, so TokenDim = FrameStack*(ObsDim+ActDim). The GRU starts from
// z_0 = Encoder(normalized o_0).
type Config struct {
	// ObsDim is the observation size. Default 4 (x, y, vx, vy).
	ObsDim int `yaml:"obs_dim" json:"obs_dim"`
	// ActDim is the action size. Default 2.
	ActDim int `yaml:"act_dim" json:"act_dim"`
	// FrameStack is the number of frames per token. Default 10 (reference).
	FrameStack int `yaml:"frame_stack" json:"frame_stack"`
	// ZDim is the size of the GRU latent z. Default 64.
	ZDim int `yaml:"z_dim" json:"z_dim"`
	// Hidden is the width of the residual MLPs before and after the GRU.
	// Default 128.
	Hidden int `yaml:"hidden" json:"hidden"`
	// Layers is the number of residual MLP blocks before the GRU, and again
	// after it. Default 1.
	Layers int `yaml:"layers" json:"layers"`
	// EncoderHidden is the width of the two hidden layers of the encoder
	// that maps o_0 to z_0. Default 64.
	EncoderHidden int `yaml:"encoder_hidden" json:"encoder_hidden"`
	// EmbedDim is the size of the sinusoidal embedding of the noise level k.
	// Default 32.
	EmbedDim int `yaml:"embed_dim" json:"embed_dim"`
	// DiffusionSteps is T, the number of noise levels above clean.
	// Default 1000 (reference).
	DiffusionSteps int `yaml:"diffusion_steps" json:"diffusion_steps"`
	// BetaSchedule is "linear" (reference for maze2d; DDPM's 1e-4..2e-2
	// scaled by 1000/T) or "cosine". Default "linear".
	BetaSchedule string `yaml:"beta_schedule" json:"beta_schedule"`
	// RelativeDims is the number of leading observation features (for
	// maze2d the position x, y) that tokens hold relative to the current
	// observation o_0: frame n stores o_{n+1}[j] − o_0[j] (normalized units)
	// for j < RelativeDims. The near future is then close to zero whatever
	// the robot's place, so a plan starts where the robot is; with absolute
	// positions (0, as in checkpoints written before the field existed) the
	// model has to copy the position through its latent. On umaze after
	// 2,000 steps, relative positions halved the first token's position
	// error from pure noise (0.27 → 0.14 m) and cut plan drift from 0.52 to
	// 0.46 m (models/shipped/README.md).
	RelativeDims int `yaml:"relative_dims" json:"relative_dims,omitempty"`
	// NoiseEmbedding is how the noise level k enters the network: "level"
	// (default) gives √ᾱ_k, √(1−ᾱ_k) and sinusoids of k/T whose slowest is
	// monotone in k; "sinusoidal" or "" (checkpoints written before the
	// field existed) is DDPM's sinusoids of the integer k. Measured on
	// umaze, the two train equally well (first-token x̂0 error within 1 %);
	// "level" is the default because the shipped models use it.
	NoiseEmbedding string `yaml:"noise_embedding" json:"noise_embedding,omitempty"`
}

// DefaultConfig returns the configuration sized for a 2-core CPU: it trains
// in about an hour per maze and serves the planner's many network passes.
// See the package documentation for the measurements behind it.
func DefaultConfig() Config {
	return Config{
		ObsDim:         4,
		ActDim:         2,
		FrameStack:     10,
		ZDim:           64,
		Hidden:         128,
		Layers:         1,
		EncoderHidden:  64,
		EmbedDim:       32,
		DiffusionSteps: 1000,
		BetaSchedule:   "linear",
		RelativeDims:   2,
		NoiseEmbedding: "level",
	}
}

// FrameDim is the size of one frame, ObsDim+ActDim.
func (c Config) FrameDim() int { return c.ObsDim + c.ActDim }

// TokenDim is the size of one token, FrameStack*(ObsDim+ActDim).
func (c Config) TokenDim() int { return c.FrameStack * c.FrameDim() }

// maxDim bounds every size so that a corrupt config cannot ask for an
// absurd allocation.
const maxDim = 1 << 14

// Validate reports the first field that is out of range.
func (c Config) Validate() error {
	check := func(name string, v, lo, hi int) error {
		if v < lo || v > hi {
			return fmt.Errorf("config: %s = %d, want %d..%d", name, v, lo, hi)
		}
		return nil
	}
	for _, f := range []struct {
		name      string
		v, lo, hi int
	}{
		{"obs_dim", c.ObsDim, 1, maxDim},
		{"act_dim", c.ActDim, 0, maxDim},
		{"frame_stack", c.FrameStack, 1, 1000},
		{"z_dim", c.ZDim, 1, maxDim},
		{"hidden", c.Hidden, 1, maxDim},
		{"layers", c.Layers, 0, 64},
		{"encoder_hidden", c.EncoderHidden, 1, maxDim},
		{"embed_dim", c.EmbedDim, 2, maxDim},
		{"diffusion_steps", c.DiffusionSteps, 1, 100000},
	} {
		if err := check(f.name, f.v, f.lo, f.hi); err != nil {
			return err
		}
	}
	switch c.NoiseEmbedding {
	case "", "sinusoidal", "level":
	default:
		return fmt.Errorf("config: noise_embedding = %q, want \"level\" or \"sinusoidal\"", c.NoiseEmbedding)
	}
	if c.RelativeDims < 0 || c.RelativeDims > c.ObsDim {
		return fmt.Errorf("config: relative_dims = %d, want 0..obs_dim (%d)", c.RelativeDims, c.ObsDim)
	}
	if c.EmbedDim%2 != 0 {
		return fmt.Errorf("config: embed_dim = %d, want an even number (sin and cos halves)", c.EmbedDim)
	}
	if c.TokenDim() > maxDim {
		return fmt.Errorf("config: frame_stack*(obs_dim+act_dim) = %d, want at most %d", c.TokenDim(), maxDim)
	}
	switch c.BetaSchedule {
	case "linear", "cosine":
	default:
		return fmt.Errorf("config: beta_schedule = %q, want \"linear\" or \"cosine\"", c.BetaSchedule)
	}
	return nil
}

// ToRelative rewrites the observation part obs (len ObsDim, normalized) of
// a frame as the model holds it: the first RelativeDims features minus
// those of the normalized current observation obs0.
func (c Config) ToRelative(obs, obs0 []float32) {
	for j := range c.RelativeDims {
		obs[j] -= obs0[j]
	}
}

// FromRelative inverts ToRelative.
func (c Config) FromRelative(obs, obs0 []float32) {
	for j := range c.RelativeDims {
		obs[j] += obs0[j]
	}
}
