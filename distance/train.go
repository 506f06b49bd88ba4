package distance

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/dfplan/dfplan/d4rl"
	"github.com/dfplan/dfplan/internal/nn"
)

// TrainConfig is how Train fits a model.
type TrainConfig struct {
	// Steps is the number of Adam steps and Batch the pairs per step.
	Steps int `json:"steps" yaml:"steps"`
	Batch int `json:"batch" yaml:"batch"`
	// LR is the peak learning rate: linear warm-up over the first 2 % of
	// the steps, then cosine decay to LR/10.
	LR float64 `json:"lr" yaml:"lr"`
	// MaxGap is the most steps apart two positions of a pair may be; it
	// should exceed the longest quickest path in the maze (in steps).
	MaxGap int `json:"max_gap" yaml:"max_gap"`
	// Expectile τ: overestimates weigh 1 − τ, underestimates τ. Below 0.5
	// the fit follows the quicker of the connections the data shows.
	Expectile float64 `json:"expectile" yaml:"expectile"`
	// ValFrac is the share of the data, at its end, held out for the
	// validation loss.
	ValFrac float64 `json:"val_frac" yaml:"val_frac"`
	// Seed draws the initial weights and the pairs.
	Seed uint64 `json:"seed" yaml:"seed"`
	// TDSteps n, when > 0, also bootstraps: a pair's target is the lesser
	// of its steps apart and n steps plus the distance from where the data
	// is n steps on toward the goal, as a slowly updated copy of the
	// network estimates it. The low expectile then takes the quickest
	// continuation the data shows from near each place, and stitches
	// paths the data never drove in one piece. 0 is Monte Carlo only.
	TDSteps int `json:"td_steps,omitempty" yaml:"td_steps"`
	// RandomGoals is the share of pairs, with TDSteps > 0, whose goal is
	// any position in the data, learned by bootstrapping alone.
	RandomGoals float64 `json:"random_goals,omitempty" yaml:"random_goals"`
	// TargetRate is how fast the bootstrapping copy follows the network
	// (per step); 0 means 0.005.
	TargetRate float64 `json:"target_rate,omitempty" yaml:"target_rate"`
}

// DefaultTrainConfig is the recipe of the shipped distance models
// (experiments/distance): bootstrapped 20 steps on, half the goals drawn
// from anywhere, expectile 0.02; 13–19 minutes on one core for maze2d.
func DefaultTrainConfig() TrainConfig {
	return TrainConfig{Steps: 30000, Batch: 1024, LR: 1e-3, MaxGap: 1000, Expectile: 0.02, ValFrac: 0.02, Seed: 1,
		TDSteps: 20, RandomGoals: 0.5}
}

// Validate reports a field that cannot work.
func (c TrainConfig) Validate() error {
	switch {
	case c.Steps < 1:
		return fmt.Errorf("distance training: steps %d, want ≥ 1", c.Steps)
	case c.Batch < 1 || c.Batch > 1<<20:
		return fmt.Errorf("distance training: batch %d, want 1 … %d", c.Batch, 1<<20)
	case !(c.LR > 0) || !finite(c.LR):
		return fmt.Errorf("distance training: lr %g, want > 0", c.LR)
	case c.MaxGap < 1:
		return fmt.Errorf("distance training: max_gap %d, want ≥ 1", c.MaxGap)
	case !(c.Expectile > 0 && c.Expectile < 1):
		return fmt.Errorf("distance training: expectile %g, want in (0, 1)", c.Expectile)
	case !(c.ValFrac > 0 && c.ValFrac < 0.5):
		return fmt.Errorf("distance training: val_frac %g, want in (0, 0.5)", c.ValFrac)
	case c.TDSteps < 0 || c.TDSteps > c.MaxGap:
		return fmt.Errorf("distance training: td_steps %d, want 0 … max_gap (%d)", c.TDSteps, c.MaxGap)
	case !(c.RandomGoals >= 0 && c.RandomGoals < 1):
		return fmt.Errorf("distance training: random_goals %g, want in [0, 1)", c.RandomGoals)
	case c.RandomGoals > 0 && c.TDSteps == 0:
		return fmt.Errorf("distance training: random_goals %g needs td_steps > 0 (they are learned by bootstrapping)", c.RandomGoals)
	case !(c.TargetRate >= 0 && c.TargetRate <= 1):
		return fmt.Errorf("distance training: target_rate %g, want in [0, 1] (0 = 0.005)", c.TargetRate)
	}
	return nil
}

// valPairs is the size of the fixed validation set.
const valPairs = 8192

// Train fits a distance model of shape cfg to the positions (the first two
// observation features) of data, a single stream of consecutive steps (as
// maze2d's datasets are: the robot is never reset). progress, if not nil,
// is called every few hundred steps. It stops with ctx's error when ctx
// ends.
func Train(ctx context.Context, data *d4rl.Dataset, cfg Config, tc TrainConfig, progress func(Point)) (*Model, error) {
	if err := tc.Validate(); err != nil {
		return nil, err
	}
	if data.ObsDim < 2 {
		return nil, fmt.Errorf("distance training: observations have %d features, want x and y first", data.ObsDim)
	}
	nVal := int(float64(data.N) * tc.ValFrac)
	nTrain := data.N - nVal
	if nVal <= tc.MaxGap || nTrain <= max(tc.MaxGap, 2*tc.TDSteps) {
		return nil, fmt.Errorf("distance training: %d steps of data, too few for pairs up to %d steps apart with %g held out", data.N, tc.MaxGap, tc.ValFrac)
	}
	pos := make([]float64, 2*data.N)
	for i := range data.N {
		pos[2*i] = float64(data.Observations[i*data.ObsDim])
		pos[2*i+1] = float64(data.Observations[i*data.ObsDim+1])
	}
	m, err := New(cfg, normalization(pos[:2*nTrain]), tc.Seed)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	r := rand.New(rand.NewPCG(tc.Seed, 0x9a125))
	val := newBatch(valPairs)
	val.draw(rand.New(rand.NewPCG(tc.Seed, 0x7a1)), pos[2*nTrain:], tc.MaxGap, m.norm.StepLength, 0, 0)
	b := newBatch(tc.Batch)
	opt := newAdam(m)
	var target *Model
	rate := tc.TargetRate
	if rate == 0 {
		rate = 0.005
	}
	if tc.TDSteps > 0 {
		target = m.clone()
	}
	s := &Summary{Steps: tc.Steps, Batch: tc.Batch, Params: m.NumParams(), Seed: tc.Seed, Train: tc}
	every := max(tc.Steps/50, 1)
	var recent []float64
	for step := range tc.Steps {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("distance training stopped at step %d: %w", step, err)
		}
		b.draw(r, pos[:2*nTrain], tc.MaxGap, m.norm.StepLength, tc.TDSteps, tc.RandomGoals)
		if target != nil {
			b.bootstrap(target)
		}
		loss := opt.step(b, tc.Expectile, tc.lr(step))
		if target != nil {
			target.follow(m, rate)
		}
		if math.IsNaN(loss) || math.IsInf(loss, 0) {
			return nil, fmt.Errorf("distance training: loss %g at step %d (diverged: lower lr)", loss, step)
		}
		if step < every {
			s.FirstLoss += loss / float64(min(every, tc.Steps))
		}
		recent = append(recent, loss)
		if len(recent) > every {
			recent = recent[1:]
		}
		if (step+1)%every == 0 || step == tc.Steps-1 {
			pt := Point{Step: step + 1, Train: mean(recent), Val: m.loss(val, tc.Expectile)}
			s.LossCurve = append(s.LossCurve, pt)
			if progress != nil {
				progress(pt)
			}
		}
	}
	s.Pairs = int64(tc.Steps) * int64(tc.Batch)
	s.TrainLoss = mean(recent)
	s.ValLoss = s.LossCurve[len(s.LossCurve)-1].Val
	s.Seconds = time.Since(start).Seconds()
	m.Summary = s
	return m, nil
}

func (c TrainConfig) lr(step int) float64 {
	warm := max(c.Steps/50, 1)
	if step < warm {
		return c.LR * float64(step+1) / float64(warm)
	}
	f := float64(step-warm) / float64(max(c.Steps-warm, 1))
	return c.LR * (0.1 + 0.9*0.5*(1+math.Cos(math.Pi*f)))
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(max(len(v), 1))
}

// normalization is the mean and spread of the positions (x, y per pair)
// and their mean step.
func normalization(pos []float64) Normalization {
	var n Normalization
	k := len(pos) / 2
	for i := range k {
		n.Mean[0] += pos[2*i] / float64(k)
		n.Mean[1] += pos[2*i+1] / float64(k)
	}
	for i := range k {
		for j := range 2 {
			d := pos[2*i+j] - n.Mean[j]
			n.Std[j] += d * d / float64(k)
		}
	}
	for j := range 2 {
		n.Std[j] = max(math.Sqrt(n.Std[j]), 1e-6)
	}
	for i := 1; i < k; i++ {
		n.StepLength += math.Hypot(pos[2*i]-pos[2*i-2], pos[2*i+1]-pos[2*i-1]) / float64(k-1)
	}
	if !(n.StepLength > 0) {
		n.StepLength = 1
	}
	return n
}

// batch is a set of position pairs and their targets.
type batch struct {
	pg     []float64 // px, py, gx, gy per pair
	target []float32 // steps apart × step length (+Inf: a random goal)
	// With bootstrapping: next holds, per pair, the position and goal
	// (4 values) from where the data is some steps on toward the goal, and
	// nextLen that many steps × step length.
	next    []float64
	nextLen []float32
}

func newBatch(n int) *batch {
	return &batch{pg: make([]float64, 4*n), target: make([]float32, n), next: make([]float64, 4*n), nextLen: make([]float32, n)}
}

// bootstrap lowers each target to nextLen + the target network's distance
// from next.
func (b *batch) bootstrap(target *Model) {
	d := target.Distance(b.next)
	for i, v := range d {
		b.target[i] = min(b.target[i], b.nextLen[i]+float32(max(v, 0)))
	}
}

// draw fills b with pairs from the stream pos: a gap k, half the time
// log-uniform (near pairs, which shape the local gradient) and half
// uniform in 1…maxGap, a start uniform over the positions with a partner k
// steps later, and the pair's order flipped half the time (positions alone
// say nothing of direction, and a point mass can drive a path backwards).
//
// With td > 0, a share randomGoals of the pairs instead pairs a position
// with a goal anywhere in pos (target +Inf until bootstrapped), and every
// pair records where the data is min(td, k) steps on from its position
// toward its goal (or, for a random goal, td steps on either way).
func (b *batch) draw(r *rand.Rand, pos []float64, maxGap int, stepLength float64, td int, randomGoals float64) {
	n := len(pos) / 2
	for i := range b.target {
		if td > 0 && r.Float64() < randomGoals {
			a, c := td+r.IntN(n-2*td), r.IntN(n)
			dir := 1 - 2*r.IntN(2)
			copy(b.pg[4*i:4*i+2], pos[2*a:2*a+2])
			copy(b.pg[4*i+2:4*i+4], pos[2*c:2*c+2])
			b.target[i] = float32(math.Inf(1))
			copy(b.next[4*i:4*i+2], pos[2*(a+dir*td):2*(a+dir*td)+2])
			copy(b.next[4*i+2:4*i+4], pos[2*c:2*c+2])
			b.nextLen[i] = float32(float64(td) * stepLength)
			continue
		}
		var k int
		if r.IntN(2) == 0 {
			k = int(math.Exp(r.Float64() * math.Log(float64(maxGap)+1)))
		} else {
			k = 1 + r.IntN(maxGap)
		}
		k = min(max(k, 1), maxGap)
		a := r.IntN(n - k)
		c := a + k
		if r.IntN(2) == 0 {
			a, c = c, a
		}
		copy(b.pg[4*i:4*i+2], pos[2*a:2*a+2])
		copy(b.pg[4*i+2:4*i+4], pos[2*c:2*c+2])
		b.target[i] = float32(float64(k) * stepLength)
		if td > 0 {
			j := min(td, k)
			on := a + j
			if c < a {
				on = a - j
			}
			copy(b.next[4*i:4*i+2], pos[2*on:2*on+2])
			copy(b.next[4*i+2:4*i+4], pos[2*c:2*c+2])
			b.nextLen[i] = float32(float64(j) * stepLength)
		}
	}
}

// expectileGrad returns the expectile loss of predictions d against the
// targets, mean over pairs, and writes ∂L/∂d into g when g is not nil.
func expectileGrad(d, target []float32, tau float64, g []float32) float64 {
	loss := 0.0
	n := float64(len(d))
	for i, v := range d {
		u := float64(target[i] - v)
		w := tau
		if u < 0 {
			w = 1 - tau
		}
		loss += w * u * u / n
		if g != nil {
			g[i] = float32(-2 * w * u / n)
		}
	}
	return loss
}

// loss is the expectile loss on b.
func (m *Model) loss(b *batch, tau float64) float64 {
	return expectileGrad(m.run(b.pg).out, b.target, tau, nil)
}

// adam is the optimizer state.
type adam struct {
	m        *Model
	grads    []nn.Dense
	mom, vel [][]float32
	t        int
}

func newAdam(m *Model) *adam {
	a := &adam{m: m}
	for _, l := range m.layers {
		a.grads = append(a.grads, nn.Dense{W: make([]float32, len(l.W)), B: make([]float32, len(l.B)), In: l.In, Out: l.Out})
		a.mom = append(a.mom, make([]float32, len(l.W)), make([]float32, len(l.B)))
		a.vel = append(a.vel, make([]float32, len(l.W)), make([]float32, len(l.B)))
	}
	return a
}

// step takes one Adam step on b and returns the batch's loss.
func (a *adam) step(b *batch, tau, lr float64) float64 {
	n := len(b.target)
	p := a.m.run(b.pg)
	g := make([]float32, n)
	loss := expectileGrad(p.out, b.target, tau, g)
	for _, gl := range a.grads {
		clear(gl.W)
		clear(gl.B)
	}
	a.m.backward(p, g, a.grads, false)
	a.t++
	const b1, b2, eps = 0.9, 0.999, 1e-8
	c1 := 1 - math.Pow(b1, float64(a.t))
	c2 := 1 - math.Pow(b2, float64(a.t))
	k := 0
	for li, l := range a.m.layers {
		for j, w := range [][]float32{l.W, l.B} {
			gr := a.grads[li].W
			if j == 1 {
				gr = a.grads[li].B
			}
			mo, ve := a.mom[k], a.vel[k]
			for i, gv := range gr {
				mo[i] = b1*mo[i] + (1-b1)*gv
				ve[i] = b2*ve[i] + (1-b2)*gv*gv
				w[i] -= float32(lr * float64(mo[i]) / c1 / (math.Sqrt(float64(ve[i])/c2) + eps))
			}
			k++
		}
	}
	return loss
}

// clone returns a copy of m's weights.
func (m *Model) clone() *Model {
	c := &Model{cfg: m.cfg, norm: m.norm, freq: append([]float32(nil), m.freq...)}
	for _, l := range m.layers {
		c.layers = append(c.layers, nn.Dense{W: append([]float32(nil), l.W...), B: append([]float32(nil), l.B...), In: l.In, Out: l.Out})
	}
	return c
}

// follow moves m's weights a share rate of the way to src's.
func (m *Model) follow(src *Model, rate float64) {
	f := float32(rate)
	for i, l := range m.layers {
		for j, w := range [][]float32{l.W, l.B} {
			s := src.layers[i].W
			if j == 1 {
				s = src.layers[i].B
			}
			for k := range w {
				w[k] += f * (s[k] - w[k])
			}
		}
	}
}
