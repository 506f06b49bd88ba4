// Command mcgeffect measures what Monte Carlo Guidance changes in a plan.
// From states a traced benchmark run visited, it replans with the planner
// settings shipped for the maze four times: as shipped (N sampled
// futures), from the same noise with plain guidance (N = 1) and without
// guidance, and with plain guidance from other noise. Against the plain
// plan, the first differs only by MCG, the second by guidance itself and
// the last by the sampling noise alone. It also reports how far MCG moved
// the guidance gradient (planner.Plan.MCGShift), how large the part of
// plain guidance's gradient that arrives through the future is
// (planner.Plan.ThroughFuture), and how much the network's clean
// prediction depends on the noise drawn at the top level, where MCG
// redraws, and at half noise.
//
//	dfplan bench --maze medium --task single --planner df --episodes 10 --seed 0 --batch 10 --trace medium-single.jsonl
//	go run ./tools/mcgeffect --maze medium --trace medium-single.jsonl
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"sort"

	"gopkg.in/yaml.v3"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/internal/bench"
	"github.com/dfplan/dfplan/models"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/robot"
)

func main() {
	maze := flag.String("maze", "", "built-in maze whose shipped model and planner settings plan (umaze, medium, large)")
	trace := flag.String("trace", "", "JSON Lines file from 'dfplan bench --trace': the states to replan from")
	limit := flag.Int("max", 300, "replan from at most this many states, spread evenly over the trace's guided plans")
	batch := flag.Int("batch", 50, "states planned together")
	seed := flag.Uint64("seed", 1, "noise seed of the first batch (batch i uses seed+i; the other noise seed+i+1000)")
	samples := flag.Int("mcg-samples", 0, "MCG samples to compare with plain guidance (0 = as shipped for the maze)")
	chain := flag.Bool("mcg-chain", false, "compare the chained MCG (planner key mcg_chain) with plain guidance")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "mcgeffect: unexpected argument %q (flags only; see -h)\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(*maze, *trace, *limit, *batch, *samples, *chain, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "mcgeffect:", err)
		os.Exit(1)
	}
}

// state is one replan's starting point.
type state struct{ obs, goal []float64 }

func run(maze, tracePath string, limit, batch, samples int, chain bool, seed uint64) error {
	if limit < 1 || batch < 1 {
		return fmt.Errorf("--max %d, --batch %d: want both ≥ 1", limit, batch)
	}
	if samples < 0 || samples == 1 {
		return fmt.Errorf("--mcg-samples %d: want ≥ 2, or 0 for the shipped number", samples)
	}
	if tracePath == "" {
		return errors.New("--trace: missing")
	}
	m, _, err := models.For(maze)
	if err != nil {
		return fmt.Errorf("--maze: %w", err)
	}
	conf := robot.DFPlannerConfig
	if data := models.PlanFor(maze); data != nil {
		if err := yaml.Unmarshal(data, &conf); err != nil {
			return fmt.Errorf("planner settings shipped for %s: %w", maze, err)
		}
	}
	if samples > 0 {
		conf.MCGSamples = samples
	}
	conf.MCGChain = chain
	p, err := planner.New(m, conf)
	if err != nil && samples > 0 {
		return fmt.Errorf("--mcg-samples %d: %w", samples, err)
	} else if err != nil {
		return fmt.Errorf("planner settings shipped for %s: %w", maze, err)
	}
	conf = p.Config() // with the defaults filled in
	if conf.Eta != 0 {
		// With η > 0 the DDIM steps draw noise from the generator MCG
		// also draws futures from, and the plans would part by more than MCG.
		return fmt.Errorf("planner settings shipped for %s: eta %g; the comparison needs η = 0", maze, conf.Eta)
	}
	if conf.MCGSamples < 2 {
		return fmt.Errorf("planner settings shipped for %s: MCG %d samples, nothing to compare", maze, conf.MCGSamples)
	}
	f, err := os.Open(tracePath)
	if err != nil {
		return fmt.Errorf("--trace: %w", err)
	}
	defer f.Close()
	states, err := readStates(f, m.Config().ObsDim)
	if err != nil {
		return fmt.Errorf("--trace %s: %w", tracePath, err)
	}
	if len(states) == 0 {
		return fmt.Errorf("--trace %s: no guided plans to replan from", tracePath)
	}
	if len(states) > limit {
		picked := make([]state, limit)
		for i := range picked {
			picked[i] = states[i*len(states)/limit]
		}
		states = picked
	}
	plain := conf
	plain.MCGSamples, plain.MCGChain = 1, false // the chain computes no split of the gradient
	unguided := plain
	unguided.GuidanceScale, unguided.StopWeight = 0, 0 // the stop term acts through guidance
	decomposed := plain                                // the same plans, also split by where their gradient comes from
	decomposed.Decompose = true
	var ms measures
	for lo := 0; lo < len(states); lo += batch {
		part := states[lo:min(lo+batch, len(states))]
		s := seed + uint64(lo/batch)
		withMCG, err := planAll(m, conf, s, part)
		if err != nil {
			return err
		}
		same, err := planAll(m, decomposed, s, part)
		if err != nil {
			return err
		}
		free, err := planAll(m, unguided, s, part)
		if err != nil {
			return err
		}
		other, err := planAll(m, plain, s+1000, part)
		if err != nil {
			return err
		}
		for i, st := range part {
			ms.add(st, same[i], withMCG[i], free[i], other[i], conf.OpenLoop)
		}
	}
	label := "shipped settings"
	if samples > 0 {
		label += fmt.Sprintf(" but --mcg-samples %d", samples)
	}
	if chain {
		label += ", MCG chained (--mcg-chain)"
	}
	fmt.Printf("%s, %d states from %s; %s: %d sampling steps, guidance %g, MCG %d, %d tokens, open loop %d\n\n",
		maze, len(states), tracePath, label, conf.SamplingSteps, conf.GuidanceScale, conf.MCGSamples, conf.HorizonTokens, conf.OpenLoop)
	ms.print(os.Stdout, chain)
	T := m.Schedule().T()
	for _, k := range []int{T, T / 2} {
		sp, err := spread(m, states, conf.HorizonTokens, k, 8, seed)
		if err != nil {
			return err
		}
		fmt.Printf("x̂0 of %d tokens all at noise level %d of %d, std over 8 draws of the noise (normalized units, the input's is 1): %.3f\n",
			conf.HorizonTokens, k, T, sp)
	}
	return nil
}

// spread is how much the network's clean prediction depends on the noise
// drawn: from each state, h tokens at level k are drawn r times around 0
// (x_k = √(1−ᾱ_k)·ε; MCG redraws around the previous x̂0, which at the
// top level weighs √ᾱ_T, next to nothing), and the std over the draws of
// every predicted feature is averaged in quadrature over features, tokens
// and states. MCG redraws only tokens at the top level: in the pyramid,
// a token whose level stays put for a row is one that has not started.
func spread(m *dynamics.Model, states []state, h, k, r int, seed uint64) (float64, error) {
	c, norm, sched := m.Config(), m.Normalization(), m.Schedule()
	d := c.TokenDim()
	rng := rand.New(rand.NewPCG(seed, 2))
	var sum float64
	var n int
	for _, st := range states {
		in := &dynamics.Input{B: r, H: h, Obs0: make([]float32, r*c.ObsDim), X: make([]float32, r*h*d), K: make([]int, r*h)}
		for i := 0; i < r; i++ {
			norm.NormalizeObs(in.Obs0[i*c.ObsDim:(i+1)*c.ObsDim], st.obs)
		}
		for i := range in.X {
			in.X[i] = float32(sched.QSample(0, rng.NormFloat64(), k))
		}
		for i := range in.K {
			in.K[i] = k
		}
		out, err := m.Predict(in)
		if err != nil {
			return 0, fmt.Errorf("spread: %w", err)
		}
		for j := 0; j < h*d; j++ {
			var mean, sq float64
			for i := 0; i < r; i++ {
				v := float64(out.X0[i*h*d+j])
				mean += v
				sq += v * v
			}
			mean /= float64(r)
			sum += (sq/float64(r) - mean*mean) * float64(r) / float64(r-1)
			n++
		}
	}
	return math.Sqrt(sum / float64(n)), nil
}

// readStates returns the states and goals of the trace's guided plans. A
// trace must come from one planner (not 'bench --planner all').
func readStates(r io.Reader, obsDim int) ([]state, error) {
	var out []state
	name := ""
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for n := 1; sc.Scan(); n++ {
		var l bench.TraceLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if len(l.State) != obsDim || len(l.Goal) != 2 {
			return nil, fmt.Errorf("line %d: state of %d values and goal of %d, want %d and 2", n, len(l.State), len(l.Goal), obsDim)
		}
		if n == 1 {
			name = l.Planner
		} else if l.Planner != name {
			return nil, fmt.Errorf("line %d: planner %q after %q; give a trace of one planner", n, l.Planner, name)
		}
		if l.Unguided > 0 || l.Ahead > 0 {
			continue // no guidance to average, or not planned from State
		}
		out = append(out, state{obs: l.State, goal: l.Goal})
	}
	return out, sc.Err()
}

// planAll plans from every state with a fresh planner seeded with seed, so
// that two configurations draw the same initial noise.
func planAll(m *dynamics.Model, conf planner.Config, seed uint64, states []state) ([]*planner.Plan, error) {
	conf.Seed = seed
	p, err := planner.New(m, conf)
	if err != nil {
		return nil, fmt.Errorf("planner: %w", err)
	}
	obs, goals := make([][]float64, len(states)), make([][]float64, len(states))
	for i, s := range states {
		obs[i], goals[i] = s.obs, s.goal
	}
	return p.PlanBatch(context.Background(), obs, goals)
}

// measures collects, per state, how far each variant moved the plain
// plan: MCG, guidance itself (removing it), and other noise.
type measures struct {
	shift     []float64
	through   []float64 // plain guidance's ‖g_f‖/‖g‖: the part through the future
	anyShift0 int
	// [variant] of: RMS difference of the executed actions, distance
	// between the positions at the open loop's end and at the plan's end.
	act, pos, end [3][]float64
	closer        []float64 // plain's end distance to the goal minus MCG's
	closerNoise   []float64 // the same, plain against plain with other noise
}

// The variants compared with the plain plan.
var variants = [3]string{"MCG vs plain, same noise", "unguided vs plain, same noise", "plain, other noise vs plain"}

func (ms *measures) add(s state, plain, withMCG, unguided, other *planner.Plan, openLoop int) {
	ms.shift = append(ms.shift, withMCG.MCGShift)
	ms.through = append(ms.through, plain.ThroughFuture)
	if withMCG.MCGShift == 0 {
		ms.anyShift0++
	}
	last := len(plain.Observations) - 1
	for v, p := range [3]*planner.Plan{withMCG, unguided, other} {
		ms.act[v] = append(ms.act[v], rmsDiff(p.Actions[:openLoop], plain.Actions[:openLoop]))
		ms.pos[v] = append(ms.pos[v], dist(p.Observations[openLoop-1], plain.Observations[openLoop-1]))
		ms.end[v] = append(ms.end[v], dist(p.Observations[last], plain.Observations[last]))
	}
	toGoal := func(p *planner.Plan) float64 { return dist(p.Observations[last], s.goal) }
	ms.closer = append(ms.closer, toGoal(plain)-toGoal(withMCG))
	ms.closerNoise = append(ms.closerNoise, toGoal(plain)-toGoal(other))
}

// print writes the table and the lines under it; the chained MCG reports
// no gradient shift (guidance.MonteCarlo.Chain).
func (ms *measures) print(w io.Writer, chained bool) {
	fmt.Fprintf(w, "| measure, median (quartiles) | %s | %s | %s | MCG / other noise | MCG / unguided |\n", variants[0], variants[1], variants[2])
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	row := func(name string, v [3][]float64) {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %.2f | %.2f |\n", name, dist3(v[0]), dist3(v[1]), dist3(v[2]),
			median(v[0])/median(v[2]), median(v[0])/median(v[1]))
	}
	row("executed actions, RMS difference", ms.act)
	row("position at the open loop's end, m", ms.pos)
	row("position at the plan's end, m", ms.end)
	fmt.Fprintln(w)
	mean, se := meanSE(ms.closer)
	nm, nse := meanSE(ms.closerNoise)
	fmt.Fprintf(w, "plan end nearer the goal with MCG than plain, same noise: %+.3f ± %.3f m (plain with other noise: %+.3f ± %.3f m)\n", mean, se, nm, nse)
	if chained {
		fmt.Fprintln(w, "gradient shift: not computed for the chained MCG")
	} else {
		fmt.Fprintf(w, "gradient shift ‖ḡ − g⁽⁰⁾‖/‖g⁽⁰⁾‖ on the tokens being denoised, mean over rows: median %.3f, quartiles %.3f–%.3f (0 on %d plans)\n",
			median(ms.shift), quantile(ms.shift, 0.25), quantile(ms.shift, 0.75), ms.anyShift0)
	}
	fmt.Fprintf(w, "plain guidance's gradient on those tokens arriving through the future, ‖g_f‖/‖g‖, mean over rows: median %.3f, quartiles %.3f–%.3f\n",
		median(ms.through), quantile(ms.through, 0.25), quantile(ms.through, 0.75))
}

func rmsDiff(a, b [][]float64) float64 {
	var s float64
	for i := range a {
		for j := range a[i] {
			d := a[i][j] - b[i][j]
			s += d * d
		}
	}
	return math.Sqrt(s / float64(len(a)))
}

func dist(a, b []float64) float64 { return math.Hypot(a[0]-b[0], a[1]-b[1]) }

// dist3 formats a sample's median and quartiles.
func dist3(v []float64) string {
	return fmt.Sprintf("%.3f (%.3f–%.3f)", median(v), quantile(v, 0.25), quantile(v, 0.75))
}

func median(v []float64) float64 { return quantile(v, 0.5) }

func quantile(v []float64, q float64) float64 {
	s := slices.Clone(v)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

func meanSE(v []float64) (mean, se float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	var ss float64
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	if len(v) > 1 {
		se = math.Sqrt(ss / float64(len(v)-1) / float64(len(v)))
	}
	return mean, se
}
