// Package guidance holds planning objectives (goal reaching) with their
// gradients, and the Monte Carlo Guidance estimator that averages those
// gradients over sampled completions of the uncertain future.
package guidance
