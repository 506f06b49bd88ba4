// Package planner samples plans from a Diffusion Forcing model and runs
// them in a receding-horizon loop.
//
// Where to read what:
//   - sampler.go: the guided sampler, as the paper's algorithm — the loop
//     over the scheduling matrix's rows, the Monte Carlo Guidance step, the
//     per-token DDIM step;
//   - schedule.go: the scheduling matrices (pyramid, full sequence,
//     autoregressive); ddim.go: the guided DDIM update;
//   - latent.go: carrying the network's latent over unchanged tokens;
//     batch.go: requests in, plans out; diagnostics.go: the MCG shift;
//   - config.go: Config, its defaults (DefaultConfig) and validation;
//     variant.go: the ablations (df-nomcg, fullseq); preset.go: the named
//     presets (paper, realtime) and settings files;
//   - executor.go: the receding-horizon loop's rules (Executor), which the
//     benchmark and the ROS node both drive;
//   - mppi.go: the sampling-MPC baseline.
//
// It knows nothing of ROS, mazes or files on disk.
package planner
