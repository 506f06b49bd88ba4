package planner

import (
	"context"
	"fmt"
	"testing"

	"github.com/dfplan/dfplan/dynamics"
)

// BenchmarkPlan times one plan at the default model size (untrained weights
// cost the same) for one robot and for a batch of episodes, with plain
// guidance and with 4 Monte Carlo samples.
//
//	go test -run XXX -bench Plan ./planner
func BenchmarkPlan(b *testing.B) {
	c := dynamics.DefaultConfig()
	norm := dynamics.IdentityNormalization(c.FrameDim())
	m, err := dynamics.New(c, norm, 1)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		batch, horizon, steps, mcg int
		recompute                  bool
	}{
		{1, 15, 5, 1, false}, {1, 15, 5, 2, false}, {1, 15, 10, 4, false}, {1, 30, 10, 1, false}, {1, 30, 10, 4, false}, {8, 30, 10, 4, false}, {8, 30, 10, 4, true},
		{32, 30, 10, 1, false}, {32, 30, 10, 4, false},
	} {
		name := fmt.Sprintf("B=%d/H=%d/S=%d/N=%d", bc.batch, bc.horizon, bc.steps, bc.mcg)
		if bc.recompute {
			name += "/recompute"
		}
		b.Run(name, func(b *testing.B) {
			p, err := New(m, Config{HorizonTokens: bc.horizon, SamplingSteps: bc.steps, GuidanceScale: 1, MCGSamples: bc.mcg})
			if err != nil {
				b.Fatal(err)
			}
			p.recompute = bc.recompute
			obs := make([][]float64, bc.batch)
			goals := make([][]float64, bc.batch)
			for i := range obs {
				obs[i], goals[i] = []float64{1, 1, 0, 0}, []float64{3, 3}
			}
			if _, err := p.PlanBatch(context.Background(), obs, goals); err != nil { // build graphs
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := p.PlanBatch(context.Background(), obs, goals); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*bc.batch)/b.Elapsed().Seconds(), "plans/s")
		})
	}
}

// BenchmarkPlanRealtime times one robot's plan with the realtime preset
// (what dfplan node runs) at the shipped 513 k model size (z 128, width
// 256; untrained weights cost the same).
//
//	go test -run XXX -bench PlanRealtime ./planner
func BenchmarkPlanRealtime(b *testing.B) {
	c := dynamics.DefaultConfig()
	c.ZDim, c.Hidden = 128, 256
	m, err := dynamics.New(c, dynamics.IdentityNormalization(c.FrameDim()), 1)
	if err != nil {
		b.Fatal(err)
	}
	conf, err := Preset(PresetRealtime)
	if err != nil {
		b.Fatal(err)
	}
	p, err := New(m, conf)
	if err != nil {
		b.Fatal(err)
	}
	obs, goals := [][]float64{{1, 1, 0, 0}}, [][]float64{{3, 3}}
	for b.Loop() {
		if _, err := p.PlanBatch(context.Background(), obs, goals); err != nil {
			b.Fatal(err)
		}
	}
}
