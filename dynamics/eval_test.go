package dynamics

import (
	"math"
	"testing"
)

// On data the model never saw, an untrained model must not look good, and
// the mean predictor's error must be that of the normalized data (≈ the
// features' variance, 1 for data normalized by its own statistics).
func TestEvalReconstructionBaselines(t *testing.T) {
	c := tinyConfig()
	c.RelativeDims = 0 // absolute positions: the mean predictor's error is the variance
	d := pointMassData(4000, 200, 5)
	m, err := New(c, NormalizationFromFrames(d.Observations, d.Actions, d.N, d.ObsDim, d.ActDim), 1)
	if err != nil {
		t.Fatal(err)
	}
	res, err := EvalReconstruction(m, d, []float64{0, 0.5, 1}, 64, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].Level != 0 || res[2].Level != c.DiffusionSteps {
		t.Fatalf("results %+v", res)
	}
	for _, r := range res {
		if math.Abs(r.MeanMSE-1) > 0.2 {
			t.Errorf("level %d: mean predictor MSE %.3f, want ≈ 1 (normalized data)", r.Level, r.MeanMSE)
		}
		if !(r.ModelMSE > 0) || math.IsInf(r.ModelMSE, 0) {
			t.Errorf("level %d: model MSE %g", r.Level, r.ModelMSE)
		}
	}
	if _, err := EvalReconstruction(m, d, []float64{1.5}, 8, 4, 1); err == nil {
		t.Error("noise fraction 1.5: want error")
	}
	if _, err := EvalReconstruction(m, d, []float64{0.5}, 8, 10000, 1); err == nil {
		t.Error("window longer than the data: want error")
	}
}
