package dynamics

import (
	"github.com/dfplan/dfplan/d4rl"

	"fmt"
	"math"
	"math/rand/v2"
)

// Reconstruction is how well a model recovers clean tokens at one noise
// level, against the trivial predictor that always answers the data mean
// (for features held relative to the current observation, Config.RelativeDims,
// that is "no motion", so those numbers are not comparable with absolute ones).
type Reconstruction struct {
	// Fraction is the noise level as a fraction of T; Level = round(Fraction·T).
	Fraction float64 `json:"fraction"`
	Level    int     `json:"level"`
	// ModelMSE and MeanMSE are mean squared errors of x̂0 in normalized units
	// (the training loss's units), of the model and of the mean predictor.
	ModelMSE float64 `json:"model_mse"`
	MeanMSE  float64 `json:"mean_mse"`
	// ModelPosRMSE and MeanPosRMSE are the position errors (the first two
	// observation features) in data units.
	ModelPosRMSE float64 `json:"model_pos_rmse"`
	MeanPosRMSE  float64 `json:"mean_pos_rmse"`
}

// EvalReconstruction noises every token of `windows` random windows of
// `horizon` tokens from d to the same level round(f·T) for each fraction f,
// predicts the clean tokens, and compares the error with predicting the
// mean. Give it data the model was not trained on (e.g. generated with
// another seed).
func EvalReconstruction(m *Model, d *d4rl.Dataset, fractions []float64, windowCount, horizon int, seed uint64) ([]Reconstruction, error) {
	c := m.cfg
	if err := validateData(d, c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInput, err)
	}
	if windowCount < 1 || horizon < 1 {
		return nil, fmt.Errorf("%w: %d windows of %d tokens, want ≥ 1 each", ErrInput, windowCount, horizon)
	}
	starts, _ := windows(d, horizon*c.FrameStack, 0, 1, false)
	if len(starts) == 0 {
		return nil, fmt.Errorf("%w: %d frames hold no window of %d tokens", ErrTooLittleData, d.N, horizon)
	}
	od, ad, fs, td, fd := c.ObsDim, c.ActDim, c.FrameStack, c.TokenDim(), c.FrameDim()
	norm := func(v float32, j int) float32 { return float32((float64(v) - m.norm.Mean[j]) / m.norm.Std[j]) }
	const batch = 32
	var res []Reconstruction
	for _, f := range fractions {
		if !(f >= 0 && f <= 1) {
			return nil, fmt.Errorf("%w: noise fraction %g, want in [0, 1]", ErrInput, f)
		}
		level := int(math.Round(f * float64(m.sched.T())))
		sa, sn := math.Sqrt(m.sched.AlphaBar(level)), math.Sqrt(1-m.sched.AlphaBar(level))
		r := rand.New(rand.NewPCG(seed, 0xe7a1))
		rec := Reconstruction{Fraction: f, Level: level}
		var n, nPos float64
		for done := 0; done < windowCount; done += batch {
			b := min(batch, windowCount-done)
			in := &Input{B: b, H: horizon, Obs0: make([]float32, b*od), X: make([]float32, b*horizon*td), K: make([]int, b*horizon)}
			x0 := make([]float32, len(in.X))
			for i := range b {
				s := starts[r.IntN(len(starts))]
				for j := range od {
					in.Obs0[i*od+j] = norm(d.Observations[s*od+j], j)
				}
				for fr := range horizon * fs { // frame fr = [o_{s+fr+1}, a_{s+fr}]
					base := (i*horizon*fs + fr) * fd
					for j := range od {
						x0[base+j] = norm(d.Observations[(s+fr+1)*od+j], j)
					}
					c.ToRelative(x0[base:base+od], in.Obs0[i*od:(i+1)*od])
					for j := range ad {
						x0[base+od+j] = norm(d.Actions[(s+fr)*ad+j], od+j)
					}
				}
			}
			for i := range in.K {
				in.K[i] = level
			}
			for i, v := range x0 {
				in.X[i] = float32(sa*float64(v) + sn*r.NormFloat64()) // x_k = √ᾱ x0 + √(1−ᾱ) ε
			}
			out, err := m.Predict(in)
			if err != nil {
				return nil, err
			}
			for i, v := range x0 {
				e := float64(out.X0[i] - v)
				rec.ModelMSE += e * e
				rec.MeanMSE += float64(v) * float64(v)
				if j := i % fd; j < 2 {
					s := m.norm.Std[j]
					rec.ModelPosRMSE += e * e * s * s
					rec.MeanPosRMSE += float64(v) * float64(v) * s * s
					nPos++
				}
			}
			n += float64(len(x0))
		}
		rec.ModelMSE /= n
		rec.MeanMSE /= n
		rec.ModelPosRMSE = math.Sqrt(rec.ModelPosRMSE / nPos)
		rec.MeanPosRMSE = math.Sqrt(rec.MeanPosRMSE / nPos)
		res = append(res, rec)
	}
	return res, nil
}
