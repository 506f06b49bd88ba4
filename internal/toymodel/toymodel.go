// Package toymodel is an analytic stand-in for a trained Diffusion Forcing
// model, for tests of the sampler and guidance: if clean normalized tokens
// are i.i.d. N(0, 1), the exact posterior mean is E[x0 | x_k] = √ᾱ_k · x_k,
// so predictions and vector–Jacobian products are known in closed form.
package toymodel

import (
	"fmt"
	"math"

	"github.com/dfplan/dfplan/dynamics"
)

// Model is the Gaussian-prior denoiser. Token t's prediction depends only on
// token t, which makes it trivially causal.
type Model struct {
	Conf  dynamics.Config
	Norm  dynamics.Normalization
	Sched *dynamics.Schedule
	// Calls counts Predict calls; Tokens the tokens predicted.
	Calls, Tokens int
}

// New returns a toy model with the given token layout and T noise levels.
func New(obsDim, actDim, frameStack, T int, norm dynamics.Normalization) (*Model, error) {
	s, err := dynamics.NewSchedule("linear", T)
	if err != nil {
		return nil, err
	}
	c := dynamics.DefaultConfig()
	c.ObsDim, c.ActDim, c.FrameStack, c.DiffusionSteps = obsDim, actDim, frameStack, T
	if len(norm.Mean) != obsDim+actDim {
		return nil, fmt.Errorf("toy model: normalization of %d features, want %d", len(norm.Mean), obsDim+actDim)
	}
	return &Model{Conf: c, Norm: norm, Sched: s}, nil
}

// Config implements planner.Model.
func (m *Model) Config() dynamics.Config { return m.Conf }

// Normalization implements planner.Model.
func (m *Model) Normalization() dynamics.Normalization { return m.Norm }

// Schedule implements guidance.Denoiser.
func (m *Model) Schedule() *dynamics.Schedule { return m.Sched }

// Predict implements guidance.Denoiser: x̂0 = √ᾱ_k x_k, VJP = √ᾱ_k g.
// Calls counts passes; Tokens counts the tokens they processed.
func (m *Model) Predict(in *dynamics.Input) (*dynamics.Output, error) {
	m.Calls++
	m.Tokens += in.B * in.H
	d := m.Conf.TokenDim()
	if len(in.X) != in.B*in.H*d || len(in.K) != in.B*in.H {
		return nil, fmt.Errorf("toy model: input sizes %d/%d for B=%d H=%d", len(in.X), len(in.K), in.B, in.H)
	}
	// Tokens are independent, so the latent carries nothing (zeros).
	out := &dynamics.Output{X0: make([]float32, len(in.X)), Z: make([]float32, in.B*in.H*m.Conf.ZDim)}
	if in.GradX0 != nil {
		out.GradX = make([]float32, len(in.X))
	}
	for tok, k := range in.K {
		c := float32(math.Sqrt(m.Sched.AlphaBar(k)))
		for i := tok * d; i < (tok+1)*d; i++ {
			out.X0[i] = c * in.X[i]
			if in.GradX0 != nil {
				out.GradX[i] = c * in.GradX0[i]
			}
		}
	}
	return out, nil
}
