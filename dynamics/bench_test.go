package dynamics

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/dfplan/dfplan/internal/cputime"
)

// BenchmarkPredictVJP is one planner network pass with guidance: forward and
// vector–Jacobian product over a 60-token sequence at the default config.
func BenchmarkPredictVJP(b *testing.B) { benchPredict(b, true) }

// BenchmarkPredict is a forward pass only (no guidance gradient).
func BenchmarkPredict(b *testing.B) { benchPredict(b, false) }

func benchPredict(b *testing.B, withGrad bool) {
	c := DefaultConfig()
	m, err := New(c, IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, batch := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("B=%d", batch), func(b *testing.B) {
			const H = 60
			in := randomInput(c, batch, H, rand.New(rand.NewPCG(1, 2)))
			if withGrad {
				in.GradX0 = make([]float32, len(in.X))
			}
			if _, err := m.Predict(in); err != nil { // compile outside the timer
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu0 := cputime.Process()
			for b.Loop() {
				if _, err := m.Predict(in); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu0)
			b.ReportMetric(float64(b.N*batch*H)/b.Elapsed().Seconds(), "tokens/s")
			if withGrad {
				b.ReportMetric(float64(b.N)*passFLOPs(c, batch, H, false)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			}
		})
	}
}

// reportCPU reports the process's CPU time per operation since cpu0: on a
// shared machine, what an idle machine's wall time per operation would be
// at GOMAXPROCS=1 (tools/torchref reports the same for PyTorch).
func reportCPU(b *testing.B, cpu0 time.Duration) {
	if d := cputime.Process() - cpu0; d > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/1e6/float64(b.N), "cpu-ms/op")
	}
}

// passFLOPs counts the floating-point operations of the matrix products of
// a pass over b sequences of h tokens (2 per multiply-add; the elementwise
// work is not counted): the forward pass, the pull-back to the inputs and,
// for training, the weight gradients. The encoder runs once per sequence;
// every other layer once per token. Training pulls back to pre.in's latent
// rows only, since it needs no gradient on the noisy tokens.
func passFLOPs(c Config, b, h int, train bool) float64 {
	var perToken, perSeq float64
	for _, p := range paramShapes(c) {
		if len(p.shape) != 2 {
			continue
		}
		in, out := float64(p.shape[0]), float64(p.shape[1])
		name := p.name[:len(p.name)-len(".weight")]
		back := in * out // pull-back to the layer's input
		switch {
		case name == "encoder.0":
			back = 0 // the observation needs no gradient
		case name == "pre.in" && train:
			back = float64(c.ZDim) * out
		}
		macs := in*out + back
		if train {
			macs += in * out // weight gradient
		}
		if len(name) > 8 && name[:8] == "encoder." {
			if train {
				perSeq += macs
			}
			continue
		}
		perToken += macs
	}
	return 2 * (perToken*float64(b*h) + perSeq*float64(b))
}

// BenchmarkTrainStep is one optimizer step (sampling, forward, backward,
// AdamW) at batch 32 × 24 tokens, for three model sizes, on the default
// (native) engine: the shapes tools/torchref/bench.py times in PyTorch.
func BenchmarkTrainStep(b *testing.B) {
	data := pointMassData(20000, 1000, 1)
	for _, size := range []struct {
		name              string
		z, hidden, layers int
	}{
		{"small-z32-h64-l1", 32, 64, 1},
		{"default-z64-h128-l1", 64, 128, 1},
		{"large-z128-h256-l2", 128, 256, 2},
	} {
		b.Run(size.name, func(b *testing.B) {
			c := DefaultConfig()
			c.ZDim, c.Hidden, c.Layers = size.z, size.hidden, size.layers
			tc := DefaultTrainConfig()
			tc.ValFraction = 0
			tc.Horizon = 24
			tr, err := NewTrainer(c, tc, data)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tr.TrainStep(); err != nil { // compile outside the timer
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu0 := cputime.Process()
			for b.Loop() {
				if _, err := tr.TrainStep(); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu0)
			b.ReportMetric(float64(b.N*tc.Batch*tc.Horizon)/b.Elapsed().Seconds(), "tokens/s")
			b.ReportMetric(float64(b.N)*passFLOPs(c, tc.Batch, tc.Horizon, true)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
