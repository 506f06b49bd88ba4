package planner

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// StepFunc advances a true simulator by one step: it writes into next the
// observation reached from obs under action act.
type StepFunc func(next, obs, act []float64)

// MPPIConfig configures the MPPI baseline.
type MPPIConfig struct {
	// Samples is the number of perturbed action sequences per iteration.
	// Default 256.
	Samples int
	// Horizon is the number of simulator steps each sequence is rolled out
	// for. Default 50.
	Horizon int
	// Iterations is the number of MPPI updates per plan. Default 2.
	Iterations int
	// NoiseStd is the standard deviation of the action perturbations.
	// Default 0.5.
	NoiseStd float64
	// Temperature is λ in the weights exp(−(cost − min)/λ). Default 1.
	Temperature float64
	// ObsDim and ActDim are the observation and action sizes; default 4, 2.
	ObsDim, ActDim int
	// Seed seeds the perturbations.
	Seed uint64
}

// MPPI is model-predictive path integral control on the true simulator
// with the goal-reaching cost Σ_t ‖pos_t − goal‖: the classical sampling-MPC
// baseline. It keeps its nominal action sequence between calls (warm
// start), so use one MPPI per robot or episode. It is not safe for
// concurrent use.
type MPPI struct {
	conf    MPPIConfig
	step    StepFunc
	rng     *rand.Rand
	nominal [][]float64
}

// NewMPPI returns an MPPI controller on step.
func NewMPPI(step StepFunc, c MPPIConfig) (*MPPI, error) {
	if step == nil {
		return nil, fmt.Errorf("mppi: nil simulator step")
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Samples, 256)
	def(&c.Horizon, 50)
	def(&c.Iterations, 2)
	def(&c.ObsDim, 4)
	def(&c.ActDim, 2)
	if c.NoiseStd == 0 {
		c.NoiseStd = 0.5
	}
	if c.Temperature == 0 {
		c.Temperature = 1
	}
	switch {
	case c.Samples < 1:
		return nil, fmt.Errorf("mppi config: samples %d, want ≥ 1", c.Samples)
	case c.Horizon < 2:
		return nil, fmt.Errorf("mppi config: horizon %d, want ≥ 2", c.Horizon)
	case c.Iterations < 1:
		return nil, fmt.Errorf("mppi config: iterations %d, want ≥ 1", c.Iterations)
	case !(c.NoiseStd > 0):
		return nil, fmt.Errorf("mppi config: noise std %g, want > 0", c.NoiseStd)
	case !(c.Temperature > 0):
		return nil, fmt.Errorf("mppi config: temperature %g, want > 0", c.Temperature)
	case c.ObsDim < 2 || c.ActDim < 1:
		return nil, fmt.Errorf("mppi config: obs/act dims %d/%d, want ≥ 2/≥ 1", c.ObsDim, c.ActDim)
	}
	m := &MPPI{conf: c, step: step, rng: rand.New(rand.NewPCG(c.Seed, 0x33991))}
	m.nominal = make([][]float64, c.Horizon)
	for i := range m.nominal {
		m.nominal[i] = make([]float64, c.ActDim)
	}
	return m, nil
}

// Plan implements Policy. The returned plan is the nominal sequence after
// the update, rolled out on the simulator; the nominal is then shifted by
// one step so the next call starts warm.
func (m *MPPI) Plan(ctx context.Context, obs, goal []float64) (*Plan, error) {
	c := m.conf
	if len(obs) != c.ObsDim || len(goal) != 2 {
		return nil, fmt.Errorf("mppi: observation of %d and goal of %d values, want %d and 2", len(obs), len(goal), c.ObsDim)
	}
	eps := make([][][]float64, c.Samples)
	for s := range eps {
		eps[s] = make([][]float64, c.Horizon)
		for t := range eps[s] {
			eps[s][t] = make([]float64, c.ActDim)
		}
	}
	costs := make([]float64, c.Samples)
	act := make([]float64, c.ActDim)
	cur, next := make([]float64, c.ObsDim), make([]float64, c.ObsDim)
	for it := 0; it < c.Iterations; it++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("mppi: %w", err)
		}
		for s := 0; s < c.Samples; s++ {
			copy(cur, obs)
			costs[s] = 0
			for t := 0; t < c.Horizon; t++ {
				for j := range act {
					eps[s][t][j] = c.NoiseStd * m.rng.NormFloat64()
					act[j] = min(max(m.nominal[t][j]+eps[s][t][j], -1), 1)
					eps[s][t][j] = act[j] - m.nominal[t][j]
				}
				m.step(next, cur, act)
				cur, next = next, cur
				costs[s] += math.Hypot(cur[0]-goal[0], cur[1]-goal[1])
			}
		}
		best := math.Inf(1)
		for _, v := range costs {
			best = math.Min(best, v)
		}
		total := 0.0
		for s := range costs {
			costs[s] = math.Exp(-(costs[s] - best) / c.Temperature)
			total += costs[s]
		}
		for t := 0; t < c.Horizon; t++ {
			for j := 0; j < c.ActDim; j++ {
				du := 0.0
				for s := range costs {
					du += costs[s] * eps[s][t][j]
				}
				m.nominal[t][j] = min(max(m.nominal[t][j]+du/total, -1), 1)
			}
		}
	}
	plan := &Plan{Observations: make([][]float64, c.Horizon), Actions: make([][]float64, c.Horizon)}
	copy(cur, obs)
	for t := 0; t < c.Horizon; t++ {
		plan.Actions[t] = append([]float64(nil), m.nominal[t]...)
		m.step(next, cur, plan.Actions[t])
		cur, next = next, cur
		plan.Observations[t] = append([]float64(nil), cur...)
	}
	// Warm start: drop the first action, repeat the last.
	first := m.nominal[0]
	copy(m.nominal, m.nominal[1:])
	copy(first, m.nominal[c.Horizon-2])
	m.nominal[c.Horizon-1] = first
	return plan, nil
}
