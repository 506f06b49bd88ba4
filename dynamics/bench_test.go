package dynamics

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkPredictVJP is one planner network pass with guidance: forward and
// vector–Jacobian product over a 60-token sequence at the default config.
func BenchmarkPredictVJP(b *testing.B) {
	c := DefaultConfig()
	m, err := New(c, IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("B=%d", batch), func(b *testing.B) {
			const H = 60
			in := randomInput(c, batch, H, rand.New(rand.NewPCG(1, 2)))
			in.GradX0 = make([]float32, len(in.X))
			if _, err := m.Predict(in); err != nil { // compile outside the timer
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := m.Predict(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch*H)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkPredict is a forward pass only (no guidance gradient).
func BenchmarkPredict(b *testing.B) {
	c := DefaultConfig()
	m, err := New(c, IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("B=%d", batch), func(b *testing.B) {
			const H = 60
			in := randomInput(c, batch, H, rand.New(rand.NewPCG(1, 2)))
			if _, err := m.Predict(in); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := m.Predict(in); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*batch*H)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}
