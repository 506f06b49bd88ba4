// Package dynamics is the learned sequence model: the DDPM noise schedule,
// the causal GRU network that predicts clean tokens from tokens carrying
// independent noise levels, Diffusion Forcing training, and checkpoints.
//
// It knows nothing about mazes or planning; the planner drives it through a
// batched forward pass and a vector–Jacobian product.
package dynamics
