// Package guidance holds planning objectives (goal reaching) with their
// gradients (goal.go), and the Monte Carlo Guidance estimator that
// averages those gradients over sampled completions of the uncertain
// future (mcg.go).
package guidance
