package dynamics

import (
	"github.com/dfplan/dfplan/d4rl"

	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// pointMassData simulates a damped 2-D point mass under a PD controller
// toward random goals: episodes of epLen steps ending in a timeout.
func pointMassData(n, epLen int, seed uint64) *d4rl.Dataset {
	r := rand.New(rand.NewPCG(seed, 1))
	d := &d4rl.Dataset{N: n, ObsDim: 4, ActDim: 2,
		Observations: make([]float32, n*4), Actions: make([]float32, n*2),
		Terminals: make([]bool, n), Timeouts: make([]bool, n)}
	var x, y, vx, vy, gx, gy float64
	for i := range n {
		if i%epLen == 0 {
			x, y, vx, vy = 3*r.Float64(), 3*r.Float64(), 0, 0
			gx, gy = 3*r.Float64(), 3*r.Float64()
		}
		ax := math.Max(-1, math.Min(1, 2*(gx-x)-vx+0.3*r.NormFloat64()))
		ay := math.Max(-1, math.Min(1, 2*(gy-y)-vy+0.3*r.NormFloat64()))
		copy(d.Observations[i*4:], []float32{float32(x), float32(y), float32(vx), float32(vy)})
		copy(d.Actions[i*2:], []float32{float32(ax), float32(ay)})
		vx += 0.1 * (ax - 0.2*vx)
		vy += 0.1 * (ay - 0.2*vy)
		x += 0.1 * vx
		y += 0.1 * vy
		d.Timeouts[i] = i%epLen == epLen-1
	}
	return d
}

func tinyTrainConfig() TrainConfig {
	tc := DefaultTrainConfig()
	tc.Steps = 12
	tc.Batch = 4
	tc.Horizon = 3
	tc.WarmupSteps = 3
	tc.ValEvery = 5
	tc.ValBatches = 1
	tc.ValFraction = 0.25
	tc.ValSegments = 4
	tc.Seed = 42
	return tc
}

// learningTrainConfig is tinyTrainConfig with a batch, learning rate and
// validation split large enough for the loss to fall measurably in steps.
func learningTrainConfig(steps, warmup int) TrainConfig {
	tc := tinyTrainConfig()
	tc.Steps = steps
	tc.Batch = 16
	tc.LR = 3e-3
	tc.WarmupSteps = warmup
	tc.ValEvery = steps
	tc.ValBatches = 2
	tc.ValFraction = 0.1
	tc.ValSegments = 10
	return tc
}

func trainLosses(t *testing.T, tr *Trainer, n int) []float64 {
	t.Helper()
	var ls []float64
	for range n {
		l, err := tr.TrainStep()
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	return ls
}

func TestWindowsMayCrossTimeouts(t *testing.T) {
	d := &d4rl.Dataset{N: 20, Timeouts: make([]bool, 20), Terminals: make([]bool, 20)}
	d.Timeouts[9] = true
	d.Terminals[14] = true
	train, _ := windows(d, 3, 0, 2, false)
	want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16}
	if len(train) != len(want) {
		t.Fatalf("train %v, want %v", train, want)
	}
}

func TestTrainIsReproducible(t *testing.T) {
	data := pointMassData(400, 50, 1)
	run := func(shardsRunInParallel bool) []float64 {
		tc := tinyTrainConfig()
		tr, err := NewTrainer(tinyConfig(), tc, data)
		if err != nil {
			t.Fatal(err)
		}
		return trainLosses(t, tr, 8)
	}
	a, b := run(true), run(true)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("step %d: loss %v then %v with the same seed", i+1, a[i], b[i])
		}
	}
}

func TestTrainResumeContinuesTheSameCurve(t *testing.T) {
	data := pointMassData(400, 50, 2)
	tc := tinyTrainConfig()
	straight, err := NewTrainer(tinyConfig(), tc, data)
	if err != nil {
		t.Fatal(err)
	}
	want := trainLosses(t, straight, 10)

	first, err := NewTrainer(tinyConfig(), tc, data)
	if err != nil {
		t.Fatal(err)
	}
	got := trainLosses(t, first, 4)
	path := filepath.Join(t.TempDir(), "ckpt.safetensors")
	if err := first.Save(path, Provenance{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	second, _, err := ResumeTrainer(path, b, tc, data)
	if err != nil {
		t.Fatal(err)
	}
	if second.Step() != 4 {
		t.Fatalf("resumed at step %d, want 4", second.Step())
	}
	got = append(got, trainLosses(t, second, 6)...)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("step %d: resumed run has loss %v, uninterrupted run %v", i+1, got[i], want[i])
		}
	}
}

func TestResumeRejectsChangedSettings(t *testing.T) {
	data := pointMassData(400, 50, 2)
	tc := tinyTrainConfig()
	tr, err := NewTrainer(tinyConfig(), tc, data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ckpt.safetensors")
	if err := tr.Save(path, Provenance{}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	tc.LR *= 2
	if _, _, err := ResumeTrainer(path, b, tc, data); err == nil {
		t.Fatal("resume accepted a different learning rate")
	}
}

func TestTrainLowersLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for a second")
	}
	data := pointMassData(3000, 100, 3)
	tc := learningTrainConfig(400, 20)
	tc.Horizon = 4
	cfg := tinyConfig()
	cfg.Hidden = 32
	cfg.ZDim = 16
	m, s, err := Train(context.Background(), cfg, tc, data, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v", s)
	if !(s.TrainLoss < 0.7*s.FirstLoss) {
		t.Errorf("loss %v → %v: want at least a 30%% drop", s.FirstLoss, s.TrainLoss)
	}
	if !s.HasVal || !(s.ValLoss < 0.8*s.FirstLoss) {
		t.Errorf("val loss %v (has %v), first train loss %v", s.ValLoss, s.HasVal, s.FirstLoss)
	}
	if m.Builds() != 0 {
		t.Errorf("%d graphs built: the native trainer should need none", m.Builds())
	}
	// On fresh data, the trained model must beat predicting the mean at
	// low noise, where the noisy tokens carry most of the signal.
	rec, err := EvalReconstruction(m, pointMassData(1000, 100, 99), []float64{0.1}, 64, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !(rec[0].ModelMSE < 0.5*rec[0].MeanMSE) {
		t.Errorf("reconstruction at 10%% noise: model MSE %.3f, mean predictor %.3f; want < half", rec[0].ModelMSE, rec[0].MeanMSE)
	}
}

func TestTrainRejectsTooLittleData(t *testing.T) {
	data := pointMassData(100, 20, 4) // episodes of 20 steps
	tc := tinyTrainConfig()
	tc.Horizon = 10 // needs 10×2+1 = 21 observations in one episode
	tc.CutAtTimeouts = true
	_, err := NewTrainer(tinyConfig(), tc, data)
	if !errors.Is(err, ErrTooLittleData) {
		t.Fatalf("err = %v, want ErrTooLittleData", err)
	}
}

func TestTrainRejectsNaN(t *testing.T) {
	data := pointMassData(200, 50, 4)
	data.Observations[17] = float32(math.NaN())
	if _, err := NewTrainer(tinyConfig(), tinyTrainConfig(), data); err == nil {
		t.Fatal("accepted NaN data")
	}
}

func TestWindowsRespectEpisodeAndSplitBoundaries(t *testing.T) {
	d := &d4rl.Dataset{N: 20, Timeouts: make([]bool, 20), Terminals: make([]bool, 20)}
	d.Timeouts[9] = true // rows 0..9 and 10..19 are separate episodes
	d.Terminals[14] = true
	train, val := windows(d, 3, 0, 2, true)
	want := []int{0, 1, 2, 3, 4, 5, 6, 10, 11, 15, 16}
	if len(val) != 0 || len(train) != len(want) {
		t.Fatalf("train %v val %v, want train %v", train, val, want)
	}
	for i := range want {
		if train[i] != want[i] {
			t.Fatalf("train %v, want %v", train, want)
		}
	}
	// Two segments of 10 rows, the second held out; L = 3.
	d.Timeouts[9], d.Terminals[14] = false, false
	train, val = windows(d, 3, 0.5, 2, true)
	if len(train) != 7 || train[6] != 6 || len(val) != 7 || val[0] != 10 || val[6] != 16 {
		t.Fatalf("train %v val %v", train, val)
	}
}

func TestLearningRateSchedule(t *testing.T) {
	tr := &Trainer{cfg: DefaultTrainConfig()}
	tr.cfg.Steps, tr.cfg.WarmupSteps, tr.cfg.LR = 1100, 100, 1e-3
	for _, tc := range []struct {
		step int
		want float64
	}{
		{0, 1e-5}, {99, 1e-3}, {100, 1e-3}, {600, 1e-3 * (0.1 + 0.9*0.5)}, {1100, 1e-4}, {5000, 1e-4},
	} {
		if got := tr.lr(tc.step); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("lr(%d) = %g, want %g", tc.step, got, tc.want)
		}
	}
}

// The training graph's loss must be the weighted x̂0 error that Predict
// gives on the same batch, for every network shape.
func TestTrainLossIsTheX0Loss(t *testing.T) {
	data := pointMassData(400, 50, 1)
	for name, c := range variants() {
		t.Run(name, func(t *testing.T) {
			tc := tinyTrainConfig()
			tc.Batch = 6
			tr1, err := NewTrainer(c, tc, data)
			if err != nil {
				t.Fatal(err)
			}
			tr2, err := NewTrainer(c, tc, data)
			if err != nil {
				t.Fatal(err)
			}
			obs0, x, x0, w, k := tr2.sample(tr2.rng, tr2.train, tc.Batch)
			out, err := tr2.model.Predict(&Input{B: tc.Batch, H: tc.Horizon, Obs0: obs0, X: x, K: k})
			if err != nil {
				t.Fatal(err)
			}
			want := 0.0
			for i, v := range out.X0 {
				d := float64(v - x0[i])
				want += float64(w[i]) * d * d
			}
			got, err := tr1.TrainStep() // the loss before its update, same batch
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-want) > 1e-4*math.Max(1, want) {
				t.Fatalf("training loss %.6g, weighted x̂0 error of the same batch %.6g", got, want)
			}
		})
	}
}

// Token decay shifts loss weight to the near future without changing its
// total.
func TestTokenDecayWeighsTheNearFuture(t *testing.T) {
	data := pointMassData(400, 50, 1)
	sums := func(decay float64) []float64 {
		tc := tinyTrainConfig()
		tc.TokenDecay = decay
		tc.LossWeight = "constant"
		tr, err := NewTrainer(tinyConfig(), tc, data)
		if err != nil {
			t.Fatal(err)
		}
		_, _, _, w, _ := tr.sample(tr.rng, tr.train, tc.Batch)
		td := tinyConfig().TokenDim()
		per := make([]float64, tc.Horizon)
		for i, v := range w {
			per[(i/td)%tc.Horizon] += float64(v)
		}
		return per
	}
	flat, dec := sums(0), sums(0.5)
	total := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s
	}
	if math.Abs(total(flat)-total(dec)) > 1e-6 {
		t.Errorf("total weight %v without decay, %v with: want equal", total(flat), total(dec))
	}
	for i := 1; i < len(dec); i++ {
		if math.Abs(flat[i]-flat[0]) > 1e-9 {
			t.Errorf("no decay: token %d weight %v, token 0 %v", i, flat[i], flat[0])
		}
		if r := dec[i] / dec[i-1]; math.Abs(r-0.5) > 1e-6 {
			t.Errorf("decay 0.5: token %d / token %d weight = %v", i, i-1, r)
		}
	}
}

// Training and evaluation targets hold the first RelativeDims observation
// features relative to the window's first observation, and only those.
func TestTargetsAreRelativeToTheCurrentObservation(t *testing.T) {
	data := pointMassData(400, 50, 1)
	c := tinyConfig()
	c.RelativeDims = 2
	tc := tinyTrainConfig()
	tr, err := NewTrainer(c, tc, data)
	if err != nil {
		t.Fatal(err)
	}
	obs0, _, x0, _, _ := tr.sample(tr.rng, tr.train, tc.Batch)
	od, fd, fs := c.ObsDim, c.FrameDim(), c.FrameStack
	for b := range tc.Batch {
		// Find the window's start s from its normalized first observation.
		s := -1
		for i := 0; i+tc.Horizon*fs < data.N && s < 0; i++ {
			if slices.Equal(tr.obsN[i*od:(i+1)*od], obs0[b*od:(b+1)*od]) {
				s = i
			}
		}
		if s < 0 {
			t.Fatalf("sequence %d: start not found", b)
		}
		for n := range tc.Horizon * fs {
			frame := x0[(b*tc.Horizon*fs+n)*fd:]
			next := tr.obsN[(s+n+1)*od : (s+n+2)*od]
			for j := range od {
				want := next[j]
				if j < c.RelativeDims {
					want -= obs0[b*od+j]
				}
				if frame[j] != want {
					t.Fatalf("sequence %d frame %d feature %d: %v, want %v", b, n, j, frame[j], want)
				}
			}
		}
	}
	// Eval builds its targets the same way: with relative positions its
	// "mean" predictor is "no motion", much closer than the data mean.
	m, err := New(c, NormalizationFromFrames(data.Observations, data.Actions, data.N, data.ObsDim, data.ActDim), 1)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := EvalReconstruction(m, data, []float64{1}, 32, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	c.RelativeDims = 0
	m, _ = New(c, NormalizationFromFrames(data.Observations, data.Actions, data.N, data.ObsDim, data.ActDim), 1)
	abs, err := EvalReconstruction(m, data, []float64{1}, 32, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !(rel[0].MeanPosRMSE < 0.7*abs[0].MeanPosRMSE) { // 0.43 vs 0.75 here
		t.Errorf("no-motion baseline %.3f with relative positions, %.3f with absolute: want far smaller", rel[0].MeanPosRMSE, abs[0].MeanPosRMSE)
	}
}

func TestTrainConfigRejectsNaN(t *testing.T) {
	for _, f := range []func(*TrainConfig){
		func(c *TrainConfig) { c.TokenDecay = math.NaN() },
		func(c *TrainConfig) { c.FirstTokenCleanProb = math.NaN() },
	} {
		c := DefaultTrainConfig()
		f(&c)
		if err := c.Validate(); err == nil {
			t.Errorf("config %+v: want an error", c)
		}
	}
}

// A field that one config leaves out (zero, omitempty) is still named.
func TestTrajectoryDiffNamesOmittedFields(t *testing.T) {
	a, b := DefaultTrainConfig(), DefaultTrainConfig()
	b.TokenDecay = 0
	for _, pair := range [][2]TrainConfig{{a, b}, {b, a}} {
		if d := trajectoryDiff(pair[0], pair[1]); !strings.Contains(d, "token_decay") {
			t.Errorf("trajectoryDiff = %q, want it to name token_decay", d)
		}
	}
	if d := trajectoryDiff(a, a); d != "" {
		t.Errorf("same config: %q", d)
	}
}

func TestFineTuneStartsFromTheWeights(t *testing.T) {
	data := pointMassData(2000, 100, 3)
	tc := learningTrainConfig(150, 10)
	m, _, err := Train(context.Background(), tinyConfig(), tc, data, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	val := func(tr *Trainer) float64 {
		t.Helper()
		l, ok, err := tr.ValLoss()
		if err != nil || !ok {
			t.Fatalf("val loss: %v (ok %v)", err, ok)
		}
		return l
	}
	// A changed loss weighting is allowed; the run starts at step 0 with
	// fresh optimizer moments, from the trained weights.
	tc2 := tc
	tc2.TokenDecay, tc2.Seed, tc2.Steps = 0.9, 5, 20
	ft, err := FineTuneTrainer(m, tc2, data)
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := NewTrainer(tinyConfig(), tc2, data)
	if err != nil {
		t.Fatal(err)
	}
	if ft.Step() != 0 || ft.Model() != m {
		t.Errorf("fine-tune starts at step %d on model %p, want 0 on %p", ft.Step(), ft.Model(), m)
	}
	for i, v := range ft.state.adamM[0] {
		if v != 0 || ft.state.adamV[0][i] != 0 {
			t.Fatalf("optimizer moments not fresh: m %v v %v", v, ft.state.adamV[0][i])
		}
	}
	if lf, lt := val(fresh), val(ft); !(lt < 0.8*lf) {
		t.Errorf("val loss from the trained weights %.4f, from scratch %.4f: want the trained weights well below", lt, lf)
	}
	if _, err := FineTuneTrainer(m, tc2, pointMassData(3, 3, 1)); !errors.Is(err, ErrTooLittleData) {
		t.Errorf("fine-tune on 3 rows: %v, want ErrTooLittleData", err)
	}
}
