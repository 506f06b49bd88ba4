package distance

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dfplan/dfplan/d4rl"
)

func testNorm() Normalization {
	return Normalization{Mean: [2]float64{1, 2}, Std: [2]float64{0.5, 2}, StepLength: 0.03}
}

func TestDistanceGradMatchesFiniteDifferences(t *testing.T) {
	for _, c := range []Config{{Hidden: 16, Layers: 2}, {Hidden: 16, Layers: 2, Fourier: 4, FourierScale: 3}} {
		checkGrad(t, c)
	}
}

func checkGrad(t *testing.T, c Config) {
	m, err := New(c, testNorm(), 3)
	if err != nil {
		t.Fatal(err)
	}
	pg := []float64{0.3, 1.7, 2.2, -0.4, 1.9, 2.5, 0.1, 3.3}
	grad := make([]float64, 4)
	d := m.DistanceGrad(pg, grad)
	if plain := m.Distance(pg); plain[0] != d[0] || plain[1] != d[1] {
		t.Fatalf("Distance %v, DistanceGrad %v: want the same values", plain, d)
	}
	const h = 1e-3
	for i := range 2 {
		for j := range 2 {
			up, down := append([]float64(nil), pg...), append([]float64(nil), pg...)
			up[4*i+j] += h
			down[4*i+j] -= h
			fd := (m.Distance(up)[i] - m.Distance(down)[i]) / (2 * h)
			if math.Abs(fd-grad[2*i+j]) > 2e-2*(1+math.Abs(fd)) {
				t.Errorf("%+v: pair %d, coordinate %d: gradient %g, finite difference %g", c, i, j, grad[2*i+j], fd)
			}
		}
	}
}

// uTrack is a stream that drives back and forth along a U: down the left
// arm (x ≈ 0), across the bottom, up the right arm (x ≈ 1) and back,
// weaving up to 0.2 m either side of the arm's centre line. The arms are 1
// m apart and 4 m long; the data never crosses between their tops, as if a
// wall stood there.
func uTrack(laps int) *d4rl.Dataset {
	const step = 0.05
	var path [][2]float64
	for y := 4.0; y > 0; y -= step {
		path = append(path, [2]float64{0, y})
	}
	for x := 0.0; x < 1; x += step {
		path = append(path, [2]float64{x, 0})
	}
	for y := 0.0; y < 4; y += step {
		path = append(path, [2]float64{1, y})
	}
	d := &d4rl.Dataset{ObsDim: 4, ActDim: 2}
	for lap := range laps {
		for i := range path {
			p := path[i]
			if lap%2 == 1 {
				p = path[len(path)-1-i]
			}
			weave := 0.2 * math.Sin(float64(i)/7+float64(lap))
			if p[1] > 0.2 {
				p[0] += weave
			} else {
				p[1] += weave
			}
			d.Observations = append(d.Observations, float32(p[0]), float32(p[1]), 0, 0)
			d.Actions = append(d.Actions, 0, 0)
			d.Rewards = append(d.Rewards, 0)
			d.Terminals = append(d.Terminals, false)
			d.Timeouts = append(d.Timeouts, false)
			d.N++
		}
	}
	return d
}

func TestTrainLearnsTheDataNotTheStraightLine(t *testing.T) {
	data := uTrack(60)
	tc := TrainConfig{Steps: 3000, Batch: 256, LR: 3e-3, MaxGap: 250, Expectile: 0.1, ValFrac: 0.1, Seed: 1}
	m, err := Train(context.Background(), data, Config{Hidden: 64, Layers: 2}, tc, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The tops of the two arms are 1 m apart in a straight line and 9 m
	// apart along the data; two points 1 m apart on one arm are 1 m apart
	// both ways.
	d := m.Distance([]float64{0, 3.5, 1, 3.5, 0, 3.5, 0, 2.5})
	across, along := d[0], d[1]
	if across < 3*along {
		t.Errorf("tops of the arms %.2f m apart, 1 m along an arm %.2f: want the arms' tops far apart, as the data has them", across, along)
	}
	// At the top of the left arm, a goal at the top of the right arm pulls
	// down the arm (−∂d/∂y > 0 means up, so want ∂d/∂y > 0), not across.
	grad := make([]float64, 2)
	m.DistanceGrad([]float64{0, 3.5, 1, 3.5}, grad)
	if !(grad[1] > math.Abs(grad[0])) {
		t.Errorf("gradient at the left top toward the right top = %v: want it to pull down the arm (∂d/∂y > |∂d/∂x|)", grad)
	}
	s := m.Summary
	if s == nil || s.Steps != tc.Steps || !(s.TrainLoss < s.FirstLoss) || len(s.LossCurve) == 0 || !(s.ValLoss > 0) {
		t.Errorf("summary %+v: want steps, a falling loss and a held-out loss", s)
	}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	m, err := New(Config{Hidden: 8, Layers: 2, Fourier: 3, FourierScale: 2}, testNorm(), 5)
	if err != nil {
		t.Fatal(err)
	}
	m.Summary = &Summary{Steps: 7, Command: "dfplan train-distance"}
	path := filepath.Join(t.TempDir(), "d.safetensors")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	pg := []float64{0.5, 1, 2, 3}
	if a, b := m.Distance(pg)[0], got.Distance(pg)[0]; a != b {
		t.Errorf("loaded model gives %g, saved one %g", b, a)
	}
	if got.Summary == nil || got.Summary.Steps != 7 || got.Normalization() != m.Normalization() || got.Config() != m.Config() {
		t.Errorf("loaded summary %+v, normalization %+v, config %+v: want the saved ones", got.Summary, got.Normalization(), got.Config())
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	m, err := New(Config{Hidden: 8, Layers: 2}, testNorm(), 5)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "d.safetensors")
	if err := m.Save(good); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), raw...)
	flipped[len(flipped)-1] ^= 0xff
	other, err := New(Config{Hidden: 8, Layers: 3}, testNorm(), 5)
	if err != nil {
		t.Fatal(err)
	}
	otherPath := filepath.Join(dir, "o.safetensors")
	if err := other.Save(otherPath); err != nil {
		t.Fatal(err)
	}
	otherRaw, _ := os.ReadFile(otherPath)
	// The deeper model's tensors under the shallower model's config.
	mismatched := []byte(strings.Replace(string(otherRaw), `\"layers\":3`, `\"layers\":2`, 1))
	for name, tc := range map[string]struct {
		b    []byte
		want string
	}{
		"truncated":  {raw[:len(raw)-10], "truncated"},
		"corrupted":  {flipped, "checksum"},
		"not a file": {[]byte("hello"), "shorter"},
		"mismatch":   {mismatched, "does not match"},
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, tc.b, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(p)
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: err = %v, want ErrFormat naming the file and %q", name, err, tc.want)
		}
	}
}

func TestTrainRejectsBadSettings(t *testing.T) {
	data := uTrack(2)
	for _, tc := range []struct {
		tc   TrainConfig
		want string
	}{
		{TrainConfig{Steps: 0, Batch: 8, LR: 1e-3, MaxGap: 10, Expectile: 0.1, ValFrac: 0.1}, "steps"},
		{TrainConfig{Steps: 1, Batch: 8, LR: 1e-3, MaxGap: 10, Expectile: 1, ValFrac: 0.1}, "expectile"},
		{TrainConfig{Steps: 1, Batch: 8, LR: 1e-3, MaxGap: 100000, Expectile: 0.1, ValFrac: 0.1}, "too few"},
	} {
		_, err := Train(context.Background(), data, Config{Hidden: 4, Layers: 1}, tc.tc, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want one naming %q", tc.tc, err, tc.want)
		}
	}
}

// lTrack drives back and forth along the bottom of an L, from (0, 0) to
// (2, 0), for laps laps, and then along its side, from (2, 0) to (2, 2):
// the data never drives from one end of the L to the other in one piece.
func lTrack(laps int) *d4rl.Dataset {
	const step = 0.05
	d := &d4rl.Dataset{ObsDim: 4, ActDim: 2}
	add := func(x, y float64) {
		d.Observations = append(d.Observations, float32(x), float32(y), 0, 0)
		d.Actions = append(d.Actions, 0, 0)
		d.Rewards = append(d.Rewards, 0)
		d.Terminals = append(d.Terminals, false)
		d.Timeouts = append(d.Timeouts, false)
		d.N++
	}
	for _, side := range []bool{false, true} {
		for lap := range laps {
			for i := range 40 {
				s := float64(i) * step
				if lap%2 == 1 {
					s = 2 - s
				}
				if side {
					add(2, s)
				} else {
					add(s, 0)
				}
			}
		}
	}
	return d
}

// Bootstrapping stitches the two legs of the L: the far ends are as far
// apart as the two legs together (4 m), not the straight line (2.8 m).
func TestTrainBootstrappingStitchesPaths(t *testing.T) {
	data := lTrack(100)
	tc := TrainConfig{Steps: 2500, Batch: 128, LR: 3e-3, MaxGap: 30, Expectile: 0.02, ValFrac: 0.05, Seed: 2,
		TDSteps: 10, RandomGoals: 0.5, TargetRate: 0.02}
	m, err := Train(context.Background(), data, Config{Hidden: 32, Layers: 2}, tc, nil)
	if err != nil {
		t.Fatal(err)
	}
	step := m.Normalization().StepLength
	d := m.Distance([]float64{0, 0, 2, 2, 1, 0, 2, 1})
	t.Logf("step length %.3f m; far ends %.2f, legs' midpoints %.2f", step, d[0], d[1])
	if d[0] < 3.4 || d[0] > 5 || d[1] < 1.6 || d[1] > 2.6 {
		t.Errorf("far ends of the L %.2f apart, the legs' midpoints %.2f: want about 4 and 2, along the legs", d[0], d[1])
	}
}
