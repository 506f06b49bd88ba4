// Package dynamics is the learned sequence model: the DDPM noise schedule,
// the causal GRU network that predicts clean tokens from tokens carrying
// independent noise levels, Diffusion Forcing training, and checkpoints.
//
// It knows nothing about mazes or planning; the planner drives it through a
// batched forward pass and a vector–Jacobian product (Model.Predict). It
// depends on no other project package: the training data arrive as a
// Dataset (the D4RL arrays), not as a file.
//
// # Tokens
//
// After the current observation o_0 a trajectory is a sequence of frames
// n = 0, 1, ...; frame n = [o_{n+1}, a_n]: the action taken at o_n and the
// observation it leads to, normalized per feature (Normalization). Token t
// stacks frames t·FrameStack ... t·FrameStack+FrameStack−1, frame-major, so
// a token has TokenDim = FrameStack·(ObsDim+ActDim) numbers. The GRU latent
// starts at z_0 = Encoder(normalized o_0).
//
// # Network
//
// Per token: [x_t, sinusoidal(k_t), z_{t−1}] → input layer and Layers
// residual SiLU blocks → GRU cell → z_t; then Layers residual blocks and a
// linear head predict x̂0_t. The output for token t depends on o_0 and tokens
// ≤ t only. Training differentiates a gorgonia graph, built once per
// (batch, horizon, pass kind) and reused. Predict runs hand-written passes
// of the same function (forward, and the vector–Jacobian product back
// through the GRU; gonum's BLAS for the products), which at the planner's
// batch sizes are 2–7× faster than the graph; SetEngine(EngineGraph) runs
// Predict on the graph instead, and tests hold the two to float32
// rounding.
//
// # Training
//
// Diffusion Forcing: every token of every window gets its own noise level
// k ~ U{0..T}; the loss is the (weighted) MSE of x̂0 over all tokens. Windows
// of Horizon tokens (Horizon·FrameStack+1 observations) are drawn from
// anywhere in the data that does not cross a terminal (nor a timeout, with
// CutAtTimeouts: in maze2d data timeouts are goal switches where the ball
// keeps moving, so by default windows cross them, as in the reference).
// Validation uses contiguous held-out segments. AdamW with warm-up, cosine
// decay and gradient clipping. A fixed seed gives bit-identical losses, and
// a resumed checkpoint continues the same loss curve.
//
// # Sizes and speed
//
// Measured on the project's 2-core CPU (go test -bench . ./dynamics):
//
//	model (z/hidden/layers)   train tokens/s   forward+VJP, 60 tokens, B=1 / 8 / 32
//	32 / 64 / 1                  ~28 600
//	64 / 128 / 1 (default)       ~14 800        native 2.9 ms / 22 ms / 91 ms
//	                                            graph  21 ms / 60 ms / 181 ms
//	128 / 256 / 2                 ~3 400
//
// The default trains ~60 000 steps of 32 windows × 24 tokens (46M tokens)
// in about an hour. The reference's GPU model (z 128, width 512, 4 layers)
// would be roughly 20× slower per token here.
//
// # Checkpoints
//
// A safetensors file (PyTorch's safetensors.torch.load_file reads it) with
// every weight by layer name, linear weights stored (in, out); metadata
// holds the format version, config, normalization, provenance and the
// SHA-256 of the tensor data, checked on load. A trainer's checkpoint also
// holds the AdamW moments and the random-number position for resuming.
package dynamics
