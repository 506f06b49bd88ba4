// Package dynamics is the learned sequence model: the DDPM noise schedule,
// the causal GRU network that predicts clean tokens from tokens carrying
// independent noise levels, Diffusion Forcing training, and checkpoints.
//
// It knows nothing about mazes or planning; the planner drives it through a
// batched forward pass and a vector–Jacobian product (Model.Predict). Of
// the project's packages it uses only d4rl, for the type of its training
// data (d4rl.Dataset, the D4RL arrays), and internal helpers.
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
// ≤ t only.
//
// # Engines
//
// The network runs on hand-written passes (native.go): forward, the
// vector–Jacobian product that guidance pulls back through the GRU, and
// the gradient of the training loss with respect to every weight. Their
// matrix products go to internal/gemm's AVX2/FMA kernel (gonum's pure-Go
// BLAS on other machines) and a batch is split over the cores. gorgonia's
// graph (graph.go) computes the same function by automatic differentiation
// and stays as the reference engine (SetEngine(EngineGraph) for Predict,
// TrainConfig.Engine for training) and as the tests' oracle: they hold the
// two to float32 rounding, gradients of every weight included. gorgonia
// v0.9.18 merges gradient slices whose bounds agree modulo 256, so a graph
// of more than 256 token rows gave wrong gradients (every weight inside
// the recurrence, and the tokens'); models trained on the graph engine
// before this was found, the shipped ones among them, carry that error.
// The graph engine now splits such batches into graphs of at most 256 rows
// and refuses what it cannot split (graph.go, graphMaxRows).
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
// docs/performance.md, "Native trainer and matrix products", gives the
// training and planning throughput of each engine next to PyTorch's on the
// same CPU, with the commands (go test -bench 'TrainStep|PredictVJP'
// ./dynamics and tools/torchref).
//
// # Checkpoints
//
// A safetensors file (PyTorch's safetensors.torch.load_file reads it) with
// every weight by layer name, linear weights stored (in, out); metadata
// holds the format version, config, normalization, provenance and the
// SHA-256 of the tensor data, checked on load. A trainer's checkpoint also
// holds the AdamW moments and the random-number position for resuming.
package dynamics
