package guidance

import "github.com/dfplan/dfplan/dynamics"

// Denoiser is the part of a dynamics model that guidance needs: a batched
// prediction of clean tokens with a vector–Jacobian product, and the noise
// schedule. *dynamics.Model satisfies it.
type Denoiser interface {
	Predict(in *dynamics.Input) (*dynamics.Output, error)
	Schedule() *dynamics.Schedule
}

// pullbacker is a Denoiser that can pull a gradient back through the
// forward pass it has just made instead of recomputing it
// (*dynamics.Model.PredictPullback).
type pullbacker interface {
	PredictPullback(in *dynamics.Input) (*dynamics.Output, func(gradX0 []float32) ([]float32, error), error)
}

// predict runs the forward pass of in and returns its pullback: the
// model's own if it has one, else a second Predict with the gradient.
func predict(m Denoiser, in *dynamics.Input) (*dynamics.Output, func(gradX0 []float32) ([]float32, error), error) {
	if pm, ok := m.(pullbacker); ok {
		return pm.PredictPullback(in)
	}
	out, err := m.Predict(in)
	if err != nil {
		return nil, nil, err
	}
	return out, func(g []float32) ([]float32, error) {
		with := *in
		with.GradX0 = g
		back, err := m.Predict(&with)
		if err != nil {
			return nil, err
		}
		return back.GradX, nil
	}, nil
}
