package dynamics

import (
	"fmt"
	"math"
)

// Normalization maps one frame [obs..., act...] to zero mean and unit
// variance per feature: x_norm = (x − Mean) / Std. Both slices have length
// ObsDim+ActDim. It is computed from the training data and stored with the
// model.
type Normalization struct {
	Mean []float64 `json:"mean"`
	Std  []float64 `json:"std"`
}

// minStd keeps a constant feature (std 0) from dividing by zero.
const minStd = 1e-6

// NormalizationFromFrames computes the per-feature mean and standard
// deviation of n frames stored as separate observation (n×obsDim) and
// action (n×actDim) arrays.
func NormalizationFromFrames(obs, act []float32, n, obsDim, actDim int) Normalization {
	d := obsDim + actDim
	sum := make([]float64, d)
	sq := make([]float64, d)
	for i := range n {
		for j := range obsDim {
			v := float64(obs[i*obsDim+j])
			sum[j] += v
			sq[j] += v * v
		}
		for j := range actDim {
			v := float64(act[i*actDim+j])
			sum[obsDim+j] += v
			sq[obsDim+j] += v * v
		}
	}
	nm := Normalization{Mean: make([]float64, d), Std: make([]float64, d)}
	for j := range d {
		m := sum[j] / float64(max(n, 1))
		v := sq[j]/float64(max(n, 1)) - m*m
		nm.Mean[j] = m
		nm.Std[j] = math.Max(math.Sqrt(math.Max(v, 0)), minStd)
	}
	return nm
}

// IdentityNormalization leaves d features unchanged.
func IdentityNormalization(d int) Normalization {
	nm := Normalization{Mean: make([]float64, d), Std: make([]float64, d)}
	for i := range nm.Std {
		nm.Std[i] = 1
	}
	return nm
}

// Validate checks the lengths against the config and that every value is
// finite with a positive std.
func (n Normalization) Validate(c Config) error {
	d := c.FrameDim()
	if len(n.Mean) != d || len(n.Std) != d {
		return fmt.Errorf("normalization: %d means and %d stds, want %d each (obs_dim+act_dim)", len(n.Mean), len(n.Std), d)
	}
	for i := range d {
		if math.IsNaN(n.Mean[i]) || math.IsInf(n.Mean[i], 0) {
			return fmt.Errorf("normalization: mean[%d] = %g, want a finite number", i, n.Mean[i])
		}
		if !(n.Std[i] > 0) || math.IsInf(n.Std[i], 0) {
			return fmt.Errorf("normalization: std[%d] = %g, want a finite positive number", i, n.Std[i])
		}
	}
	return nil
}

// NormalizeFrame writes the normalized frame [obs..., act...] to dst
// (len ObsDim+ActDim). act may be nil (the action part is then left as is),
// which normalizes a bare observation.
func (n Normalization) NormalizeFrame(dst []float32, obs, act []float64) {
	for i, v := range obs {
		dst[i] = float32((v - n.Mean[i]) / n.Std[i])
	}
	o := len(obs)
	for i, v := range act {
		dst[o+i] = float32((v - n.Mean[o+i]) / n.Std[o+i])
	}
}

// NormalizeObs writes the normalized observation to dst (len ObsDim), the
// encoder's input.
func (n Normalization) NormalizeObs(dst []float32, obs []float64) {
	for i, v := range obs {
		dst[i] = float32((v - n.Mean[i]) / n.Std[i])
	}
}

// UnnormalizeFrame inverts NormalizeFrame: it splits the normalized frame
// src into obs (len ObsDim) and act (len ActDim). Either may be nil.
func (n Normalization) UnnormalizeFrame(obs, act []float64, src []float32) {
	for i := range obs {
		obs[i] = float64(src[i])*n.Std[i] + n.Mean[i]
	}
	o := len(n.Mean) - len(act)
	for i := range act {
		act[i] = float64(src[o+i])*n.Std[o+i] + n.Mean[o+i]
	}
}

func (n Normalization) clone() Normalization {
	return Normalization{Mean: append([]float64(nil), n.Mean...), Std: append([]float64(nil), n.Std...)}
}
