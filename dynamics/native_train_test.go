package dynamics

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// perturb makes every weight non-zero (New zeroes the residual blocks'
// second layers), so that every path of the network carries gradient.
func perturb(m *Model, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 3))
	for _, p := range m.params {
		for i := range p.data {
			p.data[i] += float32(0.1 * r.NormFloat64())
		}
	}
}

// The native backward pass gives the gorgonia graph's gradient for every
// weight, on every configuration the trainer accepts: sizes, residual
// depths, relative positions on and off, both noise embeddings, both loss
// weightings, token decay, clean first tokens, one token and several, one
// shard and several, shards of more token rows than one gradient graph
// holds, one thread and two.
func TestNativeGradientsMatchGraph(t *testing.T) {
	data := pointMassData(3000, 100, 5)
	type variant struct {
		name string
		cfg  func(*Config)
		tc   func(*TrainConfig)
	}
	none := func(*Config) {}
	same := func(*TrainConfig) {}
	for _, v := range []variant{
		{"tiny", none, same},
		{"no-residual-blocks", func(c *Config) { c.Layers = 0 }, same},
		{"three-blocks", func(c *Config) { c.Layers = 3 }, same},
		{"absolute-positions", func(c *Config) { c.RelativeDims = 0 }, same},
		{"sinusoidal-embedding", func(c *Config) { c.NoiseEmbedding = "sinusoidal" }, same},
		{"wide", func(c *Config) { c.ZDim, c.Hidden, c.EncoderHidden, c.EmbedDim = 24, 40, 12, 6 }, same},
		{"frame-stack-1", func(c *Config) { c.FrameStack = 1 }, same},
		{"constant-weight", none, func(tc *TrainConfig) { tc.LossWeight = "constant"; tc.TokenDecay = 0 }},
		{"clean-first-token", none, func(tc *TrainConfig) { tc.FirstTokenCleanProb = 1 }},
		{"one-token", none, func(tc *TrainConfig) { tc.Horizon = 1 }},
		{"long-window", none, func(tc *TrainConfig) { tc.Horizon = 12 }},
		{"one-shard", none, func(tc *TrainConfig) { tc.Shards = 1 }},
		{"uneven-shards", none, func(tc *TrainConfig) { tc.Batch, tc.Shards = 7, 3 }},
		// More than 256 token rows in a shard: gorgonia v0.9.18 merged the
		// gradient slices of rows 256+i… with those of rows i… (graph.go,
		// graphMaxRows), so the graph got every recurrent weight wrong;
		// shards of 320 rows split 6 + 2 sequences; shards of 7
		// sequences × 40 tokens, whose slices do not collide, stay whole.
		{"1024-rows-one-shard", none, func(tc *TrainConfig) { tc.Horizon, tc.Batch, tc.Shards = 32, 32, 1 }},
		{"two-shards-of-512-rows", none, func(tc *TrainConfig) { tc.Horizon, tc.Batch, tc.Shards = 32, 32, 2 }},
		{"uneven-pieces", none, func(tc *TrainConfig) { tc.Horizon, tc.Batch, tc.Shards = 40, 16, 2 }},
		{"280-rows-whole", none, func(tc *TrainConfig) { tc.Horizon, tc.Batch, tc.Shards = 40, 14, 2 }},
	} {
		for _, procs := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/procs=%d", v.name, procs), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				c := tinyConfig()
				v.cfg(&c)
				tc := tinyTrainConfig()
				tc.Horizon = 5
				v.tc(&tc)
				tr, err := NewTrainer(c, tc, data)
				if err != nil {
					t.Fatal(err)
				}
				perturb(tr.model, 9)
				obs0, x, x0, w, k := tr.sample(tr.rng, tr.train, tc.Batch)
				lossGraph, err := tr.gradients(EngineGraph, obs0, x, x0, w, k)
				if err != nil {
					t.Fatal(err)
				}
				want := make([][]float32, len(tr.grads))
				for i, g := range tr.grads {
					want[i] = append([]float32(nil), g...)
				}
				lossNative, err := tr.gradients(EngineNative, obs0, x, x0, w, k)
				if err != nil {
					t.Fatal(err)
				}
				if d := math.Abs(lossNative - lossGraph); d > 1e-5*lossGraph {
					t.Errorf("loss: native %v, graph %v", lossNative, lossGraph)
				}
				for i, p := range tr.model.params {
					// The same sums in another order: float32 rounding,
					// relative to the largest entry of the weight's gradient.
					scale := 0.0
					for _, g := range want[i] {
						scale = math.Max(scale, math.Abs(float64(g)))
					}
					if scale == 0 {
						t.Errorf("%s: graph gradient is zero; the test exercises nothing", p.name)
						continue
					}
					for j, g := range tr.grads[i] {
						if d := math.Abs(float64(g - want[i][j])); d > 1e-5*scale {
							t.Fatalf("%s[%d]: native %g, graph %g (largest %g)", p.name, j, g, want[i][j], scale)
						}
					}
				}
			})
		}
	}
}

// The two engines follow the same loss curve from the same seed over a few
// hundred steps, apart from float32 rounding that the optimizer carries
// forward.
func TestEnginesFollowTheSameLossCurve(t *testing.T) {
	if testing.Short() {
		t.Skip("trains 300 steps twice")
	}
	data := pointMassData(3000, 100, 3)
	tc := learningTrainConfig(300, 20)
	tc.Horizon = 4
	c := tinyConfig()
	curves := map[string][]float64{}
	for _, engine := range []string{EngineGraph, EngineNative} {
		tc.Engine = engine
		tr, err := NewTrainer(c, tc, data)
		if err != nil {
			t.Fatal(err)
		}
		curves[engine] = trainLosses(t, tr, tc.Steps)
	}
	g, n := curves[EngineGraph], curves[EngineNative]
	if !(n[len(n)-1] < 0.7*n[0]) {
		t.Errorf("native loss %v → %v: want a 30%% drop", n[0], n[len(n)-1])
	}
	worst := 0.0
	for i := range g {
		worst = math.Max(worst, math.Abs(n[i]-g[i])/g[i])
	}
	t.Logf("largest relative difference of a step's loss over %d steps: %.2g", len(g), worst)
	// Measured: 1e-6 after 300 steps (rounding differences compound
	// through Adam); a wrong gradient term moves losses by percents.
	if worst > 1e-4 {
		t.Errorf("loss curves part: largest relative difference %.3g", worst)
	}
}

// A checkpoint written by one engine resumes on the other and continues
// the same curve.
func TestResumeAcrossEngines(t *testing.T) {
	data := pointMassData(3000, 100, 3)
	dir := t.TempDir()
	for _, pair := range [][2]string{{EngineGraph, EngineNative}, {EngineNative, EngineGraph}} {
		tc := tinyTrainConfig()
		tc.Steps = 30
		tc.Engine = pair[0]
		whole, err := NewTrainer(tinyConfig(), tc, data)
		if err != nil {
			t.Fatal(err)
		}
		want := trainLosses(t, whole, 30)

		first, err := NewTrainer(tinyConfig(), tc, data)
		if err != nil {
			t.Fatal(err)
		}
		trainLosses(t, first, 15)
		path := filepath.Join(dir, pair[0]+".safetensors")
		if err := first.Save(path, Provenance{}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		tc.Engine = pair[1]
		resumed, _, err := ResumeTrainer(path, b, tc, data)
		if err != nil {
			t.Fatalf("%s checkpoint on %s: %v", pair[0], pair[1], err)
		}
		got := trainLosses(t, resumed, 15)
		for i, l := range got {
			if w := want[15+i]; math.Abs(l-w) > 1e-4*w {
				t.Fatalf("%s → %s: step %d loss %v, uninterrupted %v", pair[0], pair[1], 16+i, l, w)
			}
		}
	}
}

// TrainMemory grows with what the run allocates: the batch, the horizon,
// the model's width, the data; and it covers what a training step really
// allocates.
func TestTrainMemory(t *testing.T) {
	c, tc := DefaultConfig(), DefaultTrainConfig()
	base := TrainMemory(c, tc, 1_000_000, 2)
	bigger := func(name string, got int64) {
		if got <= base {
			t.Errorf("%s: %d bytes, not above the base %d", name, got, base)
		}
	}
	tc2 := tc
	tc2.Batch *= 4
	bigger("batch ×4", TrainMemory(c, tc2, 1_000_000, 2))
	tc2 = tc
	tc2.Horizon *= 2
	bigger("horizon ×2", TrainMemory(c, tc2, 1_000_000, 2))
	c2 := c
	c2.Hidden *= 2
	bigger("hidden ×2", TrainMemory(c2, tc, 1_000_000, 2))
	bigger("data ×2", TrainMemory(c, tc, 2_000_000, 2))
	if huge := TrainMemory(c, TrainConfig{Batch: 100000, Horizon: 32, Shards: 2}, 2_000_000, 2); huge < 10<<30 {
		t.Errorf("batch 100000: %d bytes; want over 10 GiB", huge)
	}

	// The estimate is above what one step allocates.
	data := pointMassData(20000, 1000, 1)
	tc.ValFraction = 0
	tr, err := NewTrainer(c, tc, data)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TrainStep(); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := tr.TrainStep(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	step := int64(after.TotalAlloc - before.TotalAlloc)
	if est := TrainMemory(c, tc, data.N, 2); est < step {
		t.Errorf("estimate %d bytes, but one step allocated %d", est, step)
	}
}
