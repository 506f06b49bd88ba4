// Package planner samples plans from a Diffusion Forcing model: scheduling
// matrices (pyramid, full sequence, autoregressive), the per-token DDIM
// step, guided sampling, the receding-horizon (MPC) loop, and baselines.
package planner
