// Package d4rl reads and writes datasets in the D4RL maze2d schema stored as
// a .npz archive: observations (N×4), actions (N×2), rewards, terminals,
// timeouts and infos/goal. It validates shapes and values on read.
package d4rl
