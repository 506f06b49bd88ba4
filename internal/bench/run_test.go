package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

func umaze(t *testing.T) *sim.Maze {
	t.Helper()
	m, err := sim.LoadMaze("umaze")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// runExpert plays c with one D4RL expert per episode.
func runExpert(t *testing.T, c Config) *Result {
	t.Helper()
	r, err := Run(context.Background(), c, Planner{Name: "expert", OpenLoop: 1,
		New: func(e int) (planner.Policy, error) { return NewExpertPolicy(c.Maze, uint64(e)), nil }})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Every planner must face the same starts and goals for the same seed.
func TestRunSameSeedSameEpisodes(t *testing.T) {
	m := umaze(t)
	c := Config{Maze: m, Task: sim.MultiTask, Episodes: 5, Seed: 11, Steps: 20}
	expert := runExpert(t, c)
	random, err := Run(context.Background(), c, Planner{Name: "random", OpenLoop: 1,
		New: func(e int) (planner.Policy, error) { return NewRandomPolicy(uint64(e)), nil }})
	if err != nil {
		t.Fatal(err)
	}
	for e := range expert.Specs {
		if expert.Specs[e] != random.Specs[e] {
			t.Fatalf("episode %d: expert saw %+v, random %+v", e, expert.Specs[e], random.Specs[e])
		}
		if p := expert.Paths[e][0]; p.X != expert.Specs[e].Start[0] || p.Y != expert.Specs[e].Start[1] {
			t.Fatalf("episode %d path starts at %v, not at the start %v", e, p, expert.Specs[e].Start)
		}
		if len(expert.Paths[e]) != c.Steps+1 {
			t.Fatalf("episode %d: %d path points, want %d", e, len(expert.Paths[e]), c.Steps+1)
		}
	}
}

// obsBatcher is a fake batch planner: plans for observations.
type obsBatcher interface {
	PlanBatch(ctx context.Context, obs, goals [][]float64) ([]*planner.Plan, error)
}

// batch makes an obsBatcher a BatchPolicy: it plans for each request's
// Obs and Goal.
type batch struct{ obsBatcher }

func (b batch) Plan(ctx context.Context, obs, goal []float64) (*planner.Plan, error) {
	plans, err := b.PlanBatch(ctx, [][]float64{obs}, [][]float64{goal})
	if err != nil {
		return nil, err
	}
	return plans[0], nil
}

func (b batch) PlanRequests(ctx context.Context, reqs []planner.Request) ([]*planner.Plan, error) {
	obs, goals := make([][]float64, len(reqs)), make([][]float64, len(reqs))
	for i, r := range reqs {
		obs[i], goals[i] = r.Obs, r.Goal
	}
	return b.PlanBatch(ctx, obs, goals)
}

// batchCounter plans a constant action and records call sizes.
type batchCounter struct{ sizes []int }

func (b *batchCounter) PlanBatch(_ context.Context, obs, _ [][]float64) ([]*planner.Plan, error) {
	b.sizes = append(b.sizes, len(obs))
	plans := make([]*planner.Plan, len(obs))
	for i := range plans {
		plans[i] = &planner.Plan{Actions: [][]float64{{0, 0}, {0, 0}, {0, 0}}, Observations: make([][]float64, 3)}
	}
	return plans, nil
}

func TestRunBatchesAndCapsBatch(t *testing.T) {
	m := umaze(t)
	bc := &batchCounter{}
	_, err := Run(context.Background(), Config{Maze: m, Episodes: 5, Steps: 6, MaxBatch: 2}, Planner{Name: "const", Batch: batch{bc}, OpenLoop: 3})
	if err != nil {
		t.Fatal(err)
	}
	// Replans at steps 0 and 3, each split into calls of 2, 2, 1.
	want := []int{2, 2, 1, 2, 2, 1}
	if len(bc.sizes) != len(want) {
		t.Fatalf("call sizes %v, want %v", bc.sizes, want)
	}
	for i := range want {
		if bc.sizes[i] != want[i] {
			t.Fatalf("call sizes %v, want %v", bc.sizes, want)
		}
	}
}

func TestSummarize(t *testing.T) {
	r := &Result{
		Returns:   []float64{0, 10, 20, 30},
		Scores:    []float64{10, 20, 30, 40},
		Success:   []bool{false, true, true, true},
		Latencies: []time.Duration{4, 1, 3, 2, 100},
		BatchSize: []int{4, 1},
	}
	s := r.Summarize()
	if s.ScoreMean != 25 || math.Abs(s.ScoreStderr-math.Sqrt(500.0/3)/2) > 1e-12 {
		t.Errorf("score %g ± %g, want 25 ± %g", s.ScoreMean, s.ScoreStderr, math.Sqrt(500.0/3)/2)
	}
	if s.SuccessRate != 0.75 {
		t.Errorf("success %g, want 0.75", s.SuccessRate)
	}
	if s.LatencyP50 != 3 || s.LatencyP99 != 100 {
		t.Errorf("latency p50 %v p99 %v, want 3 and 100", s.LatencyP50, s.LatencyP99)
	}
	if s.MeanBatch != 2.5 {
		t.Errorf("mean batch %g, want 2.5", s.MeanBatch)
	}
}

func TestSummarizeHoldRate(t *testing.T) {
	r := &Result{Steps: 100, Returns: []float64{0, 5, 10}, FirstReach: []int{-1, 90, 80}, Success: []bool{false, true, true}}
	// 5 + 10 rewarded steps out of the 10 + 20 from the first reaches on.
	if h := r.Summarize().HoldRate; h != 0.5 {
		t.Errorf("hold rate %g, want 0.5", h)
	}
	r = &Result{Steps: 100, Returns: []float64{0}, FirstReach: []int{-1}, Success: []bool{false}}
	if h := r.Summarize().HoldRate; !math.IsNaN(h) {
		t.Errorf("nobody reached the goal: hold rate %g, want NaN", h)
	}
}

// A robot that starts on its goal and does not move reaches it at step 0
// and holds it throughout; one whose goal is across the maze never does.
func TestRunRecordsFirstReach(t *testing.T) {
	m := umaze(t)
	start := sim.EpisodeSpecs(m, sim.SingleTask, 3, 1)[0].Start
	for _, tc := range []struct {
		goal  r2.Point
		first int
		hold  float64
	}{
		{r2.Point{X: start[0], Y: start[1]}, 0, 1},
		{r2.Point{X: start[0] + 20, Y: start[1]}, -1, math.NaN()},
	} {
		c := Config{Maze: m, Episodes: 1, Seed: 3, Steps: 12, Goal: &tc.goal}
		r, err := Run(context.Background(), c, Planner{Name: "still", Batch: batch{&batchCounter{}}, OpenLoop: 3})
		if err != nil {
			t.Fatal(err)
		}
		h := r.Summarize().HoldRate
		if r.FirstReach[0] != tc.first || !(h == tc.hold || math.IsNaN(h) && math.IsNaN(tc.hold)) {
			t.Errorf("goal %v: first reach %d, hold %g; want %d, %g", tc.goal, r.FirstReach[0], h, tc.first, tc.hold)
		}
	}
}

func TestRunRejects(t *testing.T) {
	m := umaze(t)
	if _, err := Run(context.Background(), Config{Maze: m, Episodes: 0}, Planner{Name: "x", OpenLoop: 1, Batch: batch{&batchCounter{}}}); err == nil {
		t.Error("0 episodes: want error")
	}
	if _, err := Run(context.Background(), Config{Maze: m, Episodes: 1}, Planner{Name: "x", OpenLoop: 0, Batch: batch{&batchCounter{}}}); err == nil {
		t.Error("open loop 0: want error")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Config{Maze: m, Episodes: 1}, Planner{Name: "x", OpenLoop: 1, Batch: batch{&batchCounter{}}}); err == nil {
		t.Error("cancelled context: want error")
	}
}

// simPlanner plans a fixed action and predicts the observations with the
// true simulator, shifted by shift along x.
type simPlanner struct {
	m     *sim.Maze
	shift float64
}

func (p simPlanner) PlanBatch(_ context.Context, obs, _ [][]float64) ([]*planner.Plan, error) {
	plans := make([]*planner.Plan, len(obs))
	for i, o := range obs {
		s := sim.State{o[0], o[1], o[2], o[3]}
		pl := &planner.Plan{}
		for range 4 {
			a := []float64{0.5, -0.3}
			s = p.m.Step(s, sim.Action{a[0], a[1]})
			pl.Actions = append(pl.Actions, a)
			pl.Observations = append(pl.Observations, []float64{s[0] + p.shift, s[1], s[2], s[3]})
		}
		plans[i] = pl
	}
	return plans, nil
}

func TestRunMeasuresPlanDrift(t *testing.T) {
	m := umaze(t)
	for _, shift := range []float64{0, 0.1} {
		r, err := Run(context.Background(), Config{Maze: m, Episodes: 3, Steps: 9}, Planner{Name: "sim", Batch: batch{simPlanner{m, shift}}, OpenLoop: 3})
		if err != nil {
			t.Fatal(err)
		}
		// Plans at steps 0, 3 and 6, each ending its open loop: 3 per episode.
		if len(r.Drift) != 9 {
			t.Fatalf("shift %g: %d drift samples, want 9", shift, len(r.Drift))
		}
		if d := r.Summarize().DriftMean; math.Abs(d-shift) > 1e-9 {
			t.Errorf("plans off by %g: mean drift %g", shift, d)
		}
	}
	// Plans without observations have no drift.
	r, err := Run(context.Background(), Config{Maze: m, Episodes: 2, Steps: 4}, Planner{Name: "random", OpenLoop: 1,
		New: func(e int) (planner.Policy, error) { return NewRandomPolicy(uint64(e)), nil }})
	if err != nil {
		t.Fatal(err)
	}
	if d := r.Summarize().DriftMean; !math.IsNaN(d) {
		t.Errorf("random policy: drift %g, want NaN (nothing predicted)", d)
	}
}

// Planned positions inside walls or off the map are counted, per plan in
// a trace and pooled in the summary; the true simulator's never are.
func TestRunCountsPlannedFramesInWalls(t *testing.T) {
	m := umaze(t)
	for _, tc := range []struct {
		shift float64
		want  int // in-wall frames per plan (of 4)
	}{{0, 0}, {-10, 4}} {
		r, err := Run(context.Background(), Config{Maze: m, Episodes: 2, Steps: 6, Trace: true}, Planner{Name: "sim", Batch: batch{simPlanner{m, tc.shift}}, OpenLoop: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Replans) != 4 {
			t.Fatalf("shift %g: %d traced plans, want 4 (2 episodes × steps 0, 3)", tc.shift, len(r.Replans))
		}
		for _, rp := range r.Replans {
			if rp.InWall != tc.want {
				t.Errorf("shift %g: episode %d step %d: %d frames in walls, want %d", tc.shift, rp.Episode, rp.Step, rp.InWall, tc.want)
			}
		}
		if got, want := r.Summarize().InWallRate, float64(tc.want)/4; got != want {
			t.Errorf("shift %g: in-wall rate %g, want %g", tc.shift, got, want)
		}
	}
	r, err := Run(context.Background(), Config{Maze: m, Episodes: 1, Steps: 2}, Planner{Name: "random", OpenLoop: 1,
		New: func(e int) (planner.Policy, error) { return NewRandomPolicy(uint64(e)), nil }})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Summarize().InWallRate; !math.IsNaN(got) || r.Replans != nil {
		t.Errorf("random policy, no trace: in-wall rate %g, %d traced plans; want NaN, none", got, len(r.Replans))
	}
}

// The JSON records each episode's start, goal and where the robot ended: at the
// goal for the expert, short of it for a robot that does not move.
func TestJSONRecordsGoalAndFinalPosition(t *testing.T) {
	m := umaze(t)
	c := Config{Maze: m, Task: sim.MultiTask, Episodes: 3, Seed: 5, Steps: 300}
	expert := runExpert(t, c)
	still, err := Run(context.Background(), c, Planner{Name: "still", Batch: batch{&batchCounter{}}, OpenLoop: 3})
	if err != nil {
		t.Fatal(err)
	}
	je, js := expert.ToJSON(nil), still.ToJSON(nil)
	if len(je.Start) != 3 || len(je.Goal) != 3 || len(je.Final) != 3 || len(js.Final) != 3 {
		t.Fatalf("start_xy %d, goal_xy %d, final_xy %d / %d entries, want 3", len(je.Start), len(je.Goal), len(je.Final), len(js.Final))
	}
	for e, spec := range expert.Specs {
		goal := r2.Point{X: je.Goal[e][0], Y: je.Goal[e][1]}
		if goal != spec.Goal {
			t.Errorf("episode %d: goal_xy %v, the episode's goal is %v", e, goal, spec.Goal)
		}
		if d := (r2.Point{X: je.Final[e][0], Y: je.Final[e][1]}).Sub(spec.Goal).Norm(); d > 0.5 {
			t.Errorf("episode %d: the expert ended %.2f from its goal", e, d)
		}
		start := r2.Point{X: spec.Start[0], Y: spec.Start[1]}
		if got := (r2.Point{X: je.Start[e][0], Y: je.Start[e][1]}); got != start {
			t.Errorf("episode %d: start_xy %v, the episode's start is %v", e, got, start)
		}
		final := r2.Point{X: js.Final[e][0], Y: js.Final[e][1]}
		if final != still.Paths[e][len(still.Paths[e])-1] || final.Sub(start).Norm() > 0.5 {
			t.Errorf("episode %d: the still robot's final_xy %v, started at %v", e, final, start)
		}
	}
}

// pinning plans stand still (zero actions) where their positions say
// 1 m per frame, and have the unstick rule Unstick 2 (planner.Config): a
// robot executing them is pinned at every replan it judges.
type pinning struct{ batchCounter }

func (f *pinning) PlanBatch(ctx context.Context, obs, goals [][]float64) ([]*planner.Plan, error) {
	plans, err := f.batchCounter.PlanBatch(ctx, obs, goals)
	for i, p := range plans {
		for j := range p.Observations {
			p.Observations[j] = []float64{obs[i][0] + float64(j+1), obs[i][1], 0, 0}
		}
	}
	return plans, err
}

// withRule is a batch planner with a planner.Config, from which the
// executors take their unstick rule (planner.ExecutorConfFor).
type withRule struct {
	batch
	conf planner.Config
}

func (w withRule) Config() planner.Config { return w.conf }

// The result counts the executed plans sampled without guidance
// (planner.Config.Unstick), and the JSON gives their share.
func TestRunCountsUnguidedPlans(t *testing.T) {
	res, err := Run(context.Background(), Config{Maze: umaze(t), Episodes: 2, Steps: 6, Trace: true}, Planner{Name: "f", Batch: withRule{batch{&pinning{}}, planner.Config{Unstick: 2, StopRadius: 1e-9}}, OpenLoop: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Replans at steps 0, 2 and 4: the first guided, then pinned (2
	// unguided owed), then the second of them.
	if res.StartedPlans != 6 || res.UnguidedPlans != 4 {
		t.Fatalf("%d plans, %d unguided; want 6 and 4 (two episodes, three replans each, the last two unguided)", res.StartedPlans, res.UnguidedPlans)
	}
	if got := res.ToJSON(nil).PlansUnguided; got == nil || math.Abs(*got-4.0/6) > 1e-3 {
		t.Errorf("JSON plans_unguided %v, want 0.667", got)
	}
	var trace bytes.Buffer
	if err := WriteTrace(&trace, []*Result{res}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(trace.String(), `"unguided":2,`); n != 2 {
		t.Errorf("trace: %d plans with unguided 2, want 2:\n%s", n, trace.String())
	}
	// Per-episode planners (the baselines) cannot be asked for unguided
	// plans: null, not 0.
	res, err = Run(context.Background(), Config{Maze: umaze(t), Episodes: 2, Steps: 6}, Planner{Name: "b", OpenLoop: 2,
		New: func(int) (planner.Policy, error) { return batch{&batchCounter{}}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.ToJSON(nil).PlansUnguided; got != nil {
		t.Errorf("JSON plans_unguided %v for per-episode planners, want null", *got)
	}
}

// shiftedPlans gives the plans of the first observation of every call an
// MCG shift of 0.2 and the others none, as plain guidance would.
type shiftedPlans struct{ batchCounter }

func (f *shiftedPlans) PlanBatch(ctx context.Context, obs, goals [][]float64) ([]*planner.Plan, error) {
	plans, err := f.batchCounter.PlanBatch(ctx, obs, goals)
	if err == nil {
		plans[0].MCGShift = 0.2
	}
	return plans, err
}

// The JSON's mcg_shift averages over the plans that averaged over futures
// only, and is absent when none did.
func TestRunReportsMCGShift(t *testing.T) {
	res, err := Run(context.Background(), Config{Maze: umaze(t), Episodes: 2, Steps: 6, Trace: true}, Planner{Name: "s", Batch: batch{&shiftedPlans{}}, OpenLoop: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.MCGShift) != 3 {
		t.Fatalf("%d plans with a shift, want 3 (episode 0's three replans)", len(res.MCGShift))
	}
	if got := res.ToJSON(nil).MCGShift; got == nil || math.Abs(*got-0.2) > 1e-12 {
		t.Errorf("JSON mcg_shift %v, want 0.2", got)
	}
	var trace bytes.Buffer
	if err := WriteTrace(&trace, []*Result{res}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(trace.String(), `"mcg_shift":0.2,`); n != 3 {
		t.Errorf("trace: %d plans with mcg_shift 0.2, want 3:\n%s", n, trace.String())
	}
	res, err = Run(context.Background(), Config{Maze: umaze(t), Episodes: 2, Steps: 6}, Planner{Name: "b", Batch: batch{&batchCounter{}}, OpenLoop: 2})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(res.ToJSON(nil))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "mcg_shift") {
		t.Errorf("plans without a shift: JSON has mcg_shift: %s", data)
	}
}

// taggedPlanner numbers its plans (one episode: one plan per call) and
// makes action j of plan k tag(k, j), so the executed path tells which
// action of which plan ran at every step; it predicts position (j, 0) for
// frame j, so plan drift tells which frame a stretch ended on (twoD:
// positions only).
type taggedPlanner struct {
	length int
	plans  int
	twoD   bool
}

func tag(k, j int) []float64 { return []float64{0.05 * float64(k+1), 0.02*float64(j) - 0.1} }

func (p *taggedPlanner) PlanBatch(_ context.Context, obs, _ [][]float64) ([]*planner.Plan, error) {
	plans := make([]*planner.Plan, len(obs))
	for i := range plans {
		pl := &planner.Plan{}
		for j := range p.length {
			pl.Actions = append(pl.Actions, tag(p.plans, j))
			o := []float64{float64(j), 0, 0, 0}
			if p.twoD {
				o = o[:2]
			}
			pl.Observations = append(pl.Observations, o)
		}
		plans[i] = pl
		p.plans++
	}
	return plans, nil
}

// With a plan delay, a plan asked for at step s is executed from step
// s + delay, from its action delay on; the robot stands still before the
// first plan arrives and after a plan runs out; one plan is in flight at
// a time, so plans are asked for every max(open loop, delay) steps, or
// sooner when a plan runs out. Drift is measured where each plan's
// stretch ends, and the plan the robot waited for at rest is not handed
// to the next replan.
func TestRunDelaysPlans(t *testing.T) {
	m := umaze(t)
	for _, tc := range []struct {
		name                  string
		delay, openLoop, plan int
		period                int // steps between asks
		steps                 int
	}{
		{"delay longer than the open loop", 5, 3, 12, 5, 17},
		{"delay shorter than the open loop", 2, 4, 12, 4, 15},
		{"plans run out before the next arrives", 4, 2, 6, 4, 15},
		{"plans run out before the open loop", 2, 6, 4, 4, 15},
		{"no delay", 0, 3, 12, 3, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &taggedPlanner{length: tc.plan}
			r, err := Run(context.Background(), Config{Maze: m, Episodes: 1, Seed: 2, Steps: tc.steps, Delay: tc.delay, Trace: true},
				Planner{Name: "tagged", Batch: batch{p}, OpenLoop: tc.openLoop})
			if err != nil {
				t.Fatal(err)
			}
			s := r.Specs[0].Start
			for step := 0; step < tc.steps; step++ {
				a := []float64{0, 0}
				if step >= tc.delay {
					k := (step - tc.delay) / tc.period // the plan executing
					if j := step - k*tc.period; j < tc.plan {
						a = tag(k, j)
					}
				}
				s = m.Step(s, sim.Action{a[0], a[1]})
				if got := r.Paths[0][step+1]; got.X != s[0] || got.Y != s[1] {
					t.Fatalf("step %d: robot at %v, want (%g, %g) after action %v", step, got, s[0], s[1], a)
				}
			}
			for i, rp := range r.Replans {
				if rp.Step != i*tc.period {
					t.Fatalf("plan %d asked for at step %d, want %d", i, rp.Step, i*tc.period)
				}
			}
			if want := (tc.steps-1)/tc.period + 1; len(r.Replans) != want {
				t.Fatalf("%d plans, want %d", len(r.Replans), want)
			}
			// Plan k's stretch ends on its frame last, at step k·period + last.
			last := min(tc.delay+tc.period, tc.plan) - 1
			var want []float64
			for k := 0; k*tc.period+last < tc.steps; k++ {
				pos := r.Paths[0][k*tc.period+last+1]
				want = append(want, math.Hypot(pos.X-float64(last), pos.Y))
			}
			if !slices.Equal(r.Drift, want) {
				t.Fatalf("drift %v, want %v (each stretch ending on frame %d)", r.Drift, want, last)
			}
		})
	}
	if _, err := Run(context.Background(), Config{Maze: m, Episodes: 1, Delay: -1}, Planner{Name: "x", OpenLoop: 1, Batch: batch{&batchCounter{}}}); err == nil {
		t.Error("negative delay: want error")
	}
	// batchCounter's plans have 3 actions: nothing left after a delay of 3.
	_, err := Run(context.Background(), Config{Maze: m, Episodes: 1, Delay: 3}, Planner{Name: "x", OpenLoop: 1, Batch: batch{&batchCounter{}}})
	if err == nil || !strings.Contains(err.Error(), "a plan of 3 actions arrives 3 steps late") {
		t.Errorf("delay as long as the plan: error %v, want one naming the plan's length and the delay", err)
	}
}

// With Lookahead, a replan handed the plan being executed is made Delay
// steps ahead and is executed from its first action when it arrives; the
// first plans (none handed over, or one that came while at rest) are
// executed from their action Delay on, as without.
func TestRunLookahead(t *testing.T) {
	m := umaze(t)
	const delay, openLoop, length, steps = 4, 3, 12, 20
	p := &taggedPlanner{length: length}
	r, err := Run(context.Background(), Config{Maze: m, Episodes: 1, Seed: 2, Steps: steps, Delay: delay, Lookahead: true, Trace: true},
		Planner{Name: "tagged", Batch: batch{p}, OpenLoop: openLoop})
	if err != nil {
		t.Fatal(err)
	}
	// Plans are asked for every 4 steps and arrive 4 steps later; plans 0
	// and 1 run from action 4, plans 2 and 3 from action 0.
	s := r.Specs[0].Start
	for step := range steps {
		a := []float64{0, 0}
		if k := step/delay - 1; k >= 0 {
			j := step - (k+1)*delay
			if k < 2 {
				j += delay
			}
			a = tag(k, j)
		}
		s = m.Step(s, sim.Action{a[0], a[1]})
		if got := r.Paths[0][step+1]; got.X != s[0] || got.Y != s[1] {
			t.Fatalf("step %d: robot at %v, want (%g, %g) after action %v", step, got, s[0], s[1], a)
		}
	}
	var ahead []int
	for _, rp := range r.Replans {
		ahead = append(ahead, rp.Ask.Ahead)
	}
	if want := []int{0, 0, delay, delay, delay}; !slices.Equal(ahead, want) {
		t.Errorf("plans asked for %v ahead, want %v", ahead, want)
	}
	if j := r.ToJSON(nil); j.PlanDelay != delay || j.LookaheadSteps != delay {
		t.Errorf("JSON records plan delay %d and lookahead %d, want %d and %d", j.PlanDelay, j.LookaheadSteps, delay, delay)
	}
	// Lookahead extrapolates the robot's own state and reads nothing of
	// the plans: plans that predict positions only are made ahead alike.
	p = &taggedPlanner{length: length, twoD: true}
	r2d, err := Run(context.Background(), Config{Maze: m, Episodes: 1, Seed: 2, Steps: steps, Delay: delay, Lookahead: true},
		Planner{Name: "tagged", Batch: batch{p}, OpenLoop: openLoop})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r2d.Paths[0], r.Paths[0]) {
		t.Errorf("plans predicting positions only: path %v, want %v, as plans predicting the whole state", r2d.Paths[0], r.Paths[0])
	}
	// Baselines cannot look ahead, and the JSON does not say they did.
	r, err = Run(context.Background(), Config{Maze: m, Episodes: 1, Steps: 8, Delay: 2, Lookahead: true}, Planner{Name: "x", OpenLoop: 1,
		New: func(int) (planner.Policy, error) { return batch{&batchCounter{}}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if j := r.ToJSON(nil); j.LookaheadSteps != 0 {
		t.Errorf("a planner without previous plans: JSON records lookahead %d, want none", j.LookaheadSteps)
	}
}

// A run through ROS reports the node's own timing under the table and in
// the JSON: ticks per plan, tick jitter and skipped physics steps.
func TestReportShowsNodeTiming(t *testing.T) {
	m := umaze(t)
	c := Config{Maze: m, Task: sim.MultiTask, Episodes: 2, Seed: 5, Steps: 50}
	r := runExpert(t, c)
	r.Planner = "df"
	r.ROS = &ROSRun{SkippedSteps: 4, TickJitterP50MS: 0.25, TickJitterP99MS: 1.5, TicksPerPlanP50: 3, TicksPerPlanP99: 7}
	var buf bytes.Buffer
	if err := WriteTable(&buf, []*Result{r}); err != nil {
		t.Fatal(err)
	}
	want := "df in the node: control ticks per plan p50 3, p99 7; tick jitter p50 0.25 ms, p99 1.50 ms; physics steps skipped 4\n"
	if !strings.HasSuffix(buf.String(), want) {
		t.Errorf("table ends %q, want it to end with %q", buf.String(), want)
	}
	buf.Reset()
	if err := WriteJSON(&buf, []*Result{r}, nil); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"ticks_per_plan_p50": 3`, `"ticks_per_plan_p99": 7`} {
		if !strings.Contains(buf.String(), key) {
			t.Errorf("JSON lacks %s: %s", key, buf.String())
		}
	}
	r.ROS = nil
	buf.Reset()
	if err := WriteTable(&buf, []*Result{r}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "in the node") {
		t.Errorf("a simulator run reports node timing: %q", buf.String())
	}
}

// pushing plans full force along +x, as a model that never stands still
// would at its goal.
type pushing struct{ batchCounter }

func (f *pushing) PlanBatch(ctx context.Context, obs, goals [][]float64) ([]*planner.Plan, error) {
	plans, err := f.batchCounter.PlanBatch(ctx, obs, goals)
	for _, p := range plans {
		for j := range p.Actions {
			p.Actions[j] = []float64{1, 0.5}
		}
	}
	return plans, err
}

// With planner.Config.Hold a robot that starts at its goal brakes there
// and stays, whatever its plans say, and still asks for its plans; without
// it, the same plans drive it away.
func TestRunHoldBrakesAtTheGoal(t *testing.T) {
	m, err := sim.LoadMaze("open")
	if err != nil {
		t.Fatal(err)
	}
	start := sim.EpisodeSpecs(m, sim.SingleTask, 3, 1)[0].Start
	goal := r2.Point{X: start[0], Y: start[1]}
	run := func(hold float64) (*Result, *pushing) {
		p := &pushing{}
		c := Config{Maze: m, Episodes: 1, Seed: 3, Steps: 100, Goal: &goal}
		r, err := Run(context.Background(), c, Planner{Name: "push", Batch: withRule{batch{p}, planner.Config{Hold: hold}}, OpenLoop: 3})
		if err != nil {
			t.Fatal(err)
		}
		return r, p
	}
	held, p := run(0.5)
	if h := held.Summarize().HoldRate; h != 1 {
		t.Errorf("hold 0.5: %.2f of the steps at the goal, want all", h)
	}
	end := held.Paths[0][len(held.Paths[0])-1]
	if d := end.Sub(goal).Norm(); d >= 0.5 {
		t.Errorf("hold 0.5: ends %.2f m from the goal", d)
	}
	if len(p.sizes) != 34 {
		t.Errorf("hold 0.5: %d plans asked for in 100 steps at open loop 3, want 34", len(p.sizes))
	}
	free, _ := run(0)
	if h := free.Summarize().HoldRate; h >= 0.5 {
		t.Errorf("without hold: %.2f of the steps at the goal; the test's plans should drive the robot away", h)
	}
}
