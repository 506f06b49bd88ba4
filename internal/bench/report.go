package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
	"time"
)

// JSON is the machine-readable form of one result (the `--json` contract).
type JSON struct {
	Maze            string    `json:"maze"`
	Task            string    `json:"task"`
	Planner         string    `json:"planner"`
	Episodes        int       `json:"episodes"`
	Seed            int64     `json:"seed"`
	Steps           int       `json:"steps_per_episode"`
	NormalizedScore MeanErr   `json:"normalized_score"`
	Return          MeanErr   `json:"return"`
	SuccessRate     float64   `json:"success_rate"`
	Returns         []float64 `json:"returns"`
	// FirstReach is each episode's first rewarded step, -1 if none.
	FirstReach []int `json:"first_reach_step"`
	// Start, Goal and Final are each episode's start, goal and the robot's
	// position at its last step, (x, y) in maze units: where the robots
	// that never arrived ended up.
	Start [][2]float64 `json:"start_xy,omitempty"`
	Goal  [][2]float64 `json:"goal_xy,omitempty"`
	Final [][2]float64 `json:"final_xy,omitempty"`
	// HoldRate is the share of the steps from the first reach on spent in
	// the goal radius, pooled over the episodes that reached it.
	HoldRate      *float64 `json:"hold_rate"`
	PlanLatencyMS Latency  `json:"plan_latency_ms"`
	MeanBatch     float64  `json:"plans_per_call"`
	// PlanDriftM is the mean distance (maze units) between where the
	// open-loop actions took the robot and where the plan said they would;
	// null for planners whose plans predict no observations.
	PlanDriftM *float64 `json:"plan_drift_m"`
	// PlanInWall is the share of the executed plans' predicted positions
	// that lie inside a wall or outside the map (measured, never used to
	// plan); null for planners whose plans predict no observations.
	PlanInWall *float64 `json:"plan_in_wall"`
	// PlansUnguided is the share of the executed plans sampled without
	// guidance to free a pinned robot (planner.Config.Unstick); null for
	// planners that cannot tell a pinned robot.
	PlansUnguided *float64 `json:"plans_unguided"`
	// MCGShift is the mean, over the executed plans that averaged their
	// guidance over sampled futures, of how far that moved the gradient
	// from plain guidance's (planner.Plan.MCGShift); absent for planners
	// that do not (N = 1, no guidance, the baselines).
	MCGShift *float64 `json:"mcg_shift,omitempty"`
	WallS    float64  `json:"wall_s"`
	// PlanDelay is the steps every plan took to arrive (Config.Delay);
	// absent when 0, D4RL's protocol.
	PlanDelay int `json:"plan_delay_steps,omitempty"`
	// LookaheadSteps is how far ahead the df planners planned for their
	// late plans (Config.Lookahead: the delay); absent when they did not.
	LookaheadSteps int `json:"lookahead_steps,omitempty"`
	// Engine is how the network ran (dynamics.SetEngine), for planners
	// with a model. Results without it were made on the graph.
	Engine string `json:"engine,omitempty"`
	// Preset is the planner preset the planner's settings (Config)
	// started from, for the planners that have one (the df planners).
	// Results made before presets have none: theirs started from
	// planner.DefaultConfig, the realtime preset's settings.
	Preset string `json:"preset,omitempty"`
	// ROS is set for runs through the ROS node (dfplan bench --ros).
	ROS    *ROSRun `json:"ros,omitempty"`
	Config any     `json:"config,omitempty"`
}

// MeanErr is a mean with its standard error. NaN (unknown maze constants)
// is written as null.
type MeanErr struct {
	Mean   *float64 `json:"mean"`
	Stderr *float64 `json:"stderr"`
}

// Latency holds plan-call latency percentiles in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P99 float64 `json:"p99"`
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// specXY returns each episode's start and goal position.
func (r *Result) specXY() (starts, goals [][2]float64) {
	if len(r.Specs) == 0 {
		return nil, nil
	}
	starts, goals = make([][2]float64, len(r.Specs)), make([][2]float64, len(r.Specs))
	for i, s := range r.Specs {
		starts[i] = [2]float64{s.Start[0], s.Start[1]}
		goals[i] = [2]float64{s.Goal.X, s.Goal.Y}
	}
	return starts, goals
}

func (r *Result) finals() [][2]float64 {
	if len(r.Paths) == 0 {
		return nil
	}
	f := make([][2]float64, len(r.Paths))
	for i, p := range r.Paths {
		if len(p) > 0 {
			f[i] = [2]float64{p[len(p)-1].X, p[len(p)-1].Y}
		}
	}
	return f
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// ToJSON converts r; config, if non-nil, is recorded with it.
func (r *Result) ToJSON(config any) JSON {
	s := r.Summarize()
	starts, goals := r.specXY()
	return JSON{
		Maze: r.Maze, Task: r.Task.String(), Planner: r.Planner,
		Episodes: len(r.Returns), Seed: r.Seed, Steps: r.Steps,
		NormalizedScore: MeanErr{finite(s.ScoreMean), finite(s.ScoreStderr)},
		Return:          MeanErr{finite(s.ReturnMean), finite(s.ReturnStderr)},
		SuccessRate:     s.SuccessRate,
		Returns:         r.Returns,
		FirstReach:      r.FirstReach,
		Start:           starts,
		Goal:            goals,
		Final:           r.finals(),
		HoldRate:        finite(s.HoldRate),
		PlanLatencyMS:   Latency{ms(s.LatencyP50), ms(s.LatencyP99)},
		MeanBatch:       s.MeanBatch,
		PlanDriftM:      finite(s.DriftMean),
		PlanInWall:      finite(s.InWallRate),
		PlansUnguided:   finite(s.UnguidedRate),
		MCGShift:        finite(s.MCGShiftMean),
		WallS:           r.Wall.Seconds(),
		PlanDelay:       r.Delay,
		LookaheadSteps:  lookaheadSteps(r),
		Engine:          r.Engine,
		Preset:          r.Preset,
		ROS:             r.ROS,
		Config:          config,
	}
}

// WriteJSON writes one object for a single result, an array otherwise.
func WriteJSON(w io.Writer, results []*Result, configs []any) error {
	objs := make([]JSON, len(results))
	for i, r := range results {
		var c any
		if i < len(configs) {
			c = configs[i]
		}
		objs[i] = r.ToJSON(c)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if len(objs) == 1 {
		return enc.Encode(objs[0])
	}
	return enc.Encode(objs)
}

// WriteTable prints one row per result.
func WriteTable(w io.Writer, results []*Result) error {
	if len(results) == 0 {
		return nil
	}
	r0 := results[0]
	preset := ""
	for _, r := range results {
		if r.Preset != "" {
			preset = ", planner preset " + r.Preset
			break
		}
	}
	delay := ""
	if r0.Delay > 0 {
		delay = fmt.Sprintf(", plans arrive %d steps after they are asked for", r0.Delay)
		if r0.Lookahead {
			delay += "; df planners make them for that step (lookahead)"
		}
	}
	if r0.ROS != nil {
		delay = ", through the ROS node in real time"
		switch k := r0.ROS.Lookahead; {
		case k != nil && *k < 0:
			delay += " with its automatic lookahead"
		case k != nil && *k > 0:
			delay += fmt.Sprintf(" with lookahead %d ticks", *k)
		}
	}
	fmt.Fprintf(w, "maze %s, task %s, %d episodes of %d steps, seed %d%s%s\n",
		r0.Maze, r0.Task, len(r0.Returns), r0.Steps, r0.Seed, preset, delay)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "planner\tscore\t± s.e.\treturn\tsuccess\thold\tplan p50 ms\tplan p99 ms\tplans/call\tdrift m\twall s\t")
	for _, r := range results {
		s := r.Summarize()
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f\t%.0f%%\t%s\t%.2f\t%.2f\t%.1f\t%s\t%.1f\t\n",
			r.Planner, num(s.ScoreMean), num(s.ScoreStderr), s.ReturnMean, 100*s.SuccessRate, pct(s.HoldRate),
			ms(s.LatencyP50), ms(s.LatencyP99), s.MeanBatch, num2(s.DriftMean), r.Wall.Seconds())
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, r := range results {
		if ro := r.ROS; ro != nil {
			_, err := fmt.Fprintf(w, "%s in the node: control ticks per plan p50 %d, p99 %d; tick jitter p50 %.2f ms, p99 %.2f ms; physics steps skipped %d\n",
				r.Planner, ro.TicksPerPlanP50, ro.TicksPerPlanP99, ro.TickJitterP50MS, ro.TickJitterP99MS, ro.SkippedSteps)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// pct formats a fraction as a percentage, or "n/a" for NaN.
func pct(v float64) string { return numf(100*v, "%.0f%%") }

func num(v float64) string { return numf(v, "%.1f") }

func num2(v float64) string { return numf(v, "%.3f") }

// numf formats v, or "n/a" for NaN.
func numf(v float64, format string) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return fmt.Sprintf(format, v)
}

// TraceLine is one line of the `--trace` file (JSON Lines): one plan of one
// episode, with the state it was made from. Positions and velocities are in
// maze units, rounded to 1e-4.
type TraceLine struct {
	Planner string `json:"planner"`
	Episode int    `json:"episode"`
	Step    int    `json:"step"`
	State   vec    `json:"state"`
	Goal    vec    `json:"goal"`
	InWall  int    `json:"in_wall"`
	// Unguided is planner.Ask.Unguided: > 0 for a plan sampled without
	// guidance because the robot was pinned.
	Unguided int `json:"unguided"`
	// Ahead is planner.Ask.Ahead: > 0 for a plan made from the state
	// predicted that many steps after State (lookahead); its frames start
	// there.
	Ahead int `json:"ahead,omitempty"`
	// MCGShift is planner.Plan.MCGShift, absent when 0 (nothing averaged).
	MCGShift float64 `json:"mcg_shift,omitempty"`
	Obs      []vec   `json:"observations"`
	Actions  []vec   `json:"actions"`
}

// vec is a vector written with at most four decimals.
type vec []float64

func (v vec) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("trace: non-finite value %g", x)
		}
		b = strconv.AppendFloat(b, math.Round(x*1e4)/1e4, 'f', -1, 64)
	}
	return append(b, ']'), nil
}

func vecs(rows [][]float64) []vec {
	out := make([]vec, len(rows))
	for i, r := range rows {
		out[i] = r
	}
	return out
}

// WriteTrace writes every plan of results (run with Config.Trace) as JSON
// Lines, one TraceLine per plan.
func WriteTrace(w io.Writer, results []*Result) error {
	enc := json.NewEncoder(w)
	for _, r := range results {
		for _, rp := range r.Replans {
			g := r.Specs[rp.Episode].Goal
			line := TraceLine{
				Planner: r.Planner, Episode: rp.Episode, Step: rp.Step,
				State: rp.State[:], Goal: vec{g.X, g.Y}, InWall: rp.InWall, Unguided: rp.Ask.Unguided, Ahead: rp.Ask.Ahead,
				MCGShift: math.Round(rp.Plan.MCGShift*1e4) / 1e4,
				Obs:      vecs(rp.Plan.Observations), Actions: vecs(rp.Plan.Actions),
			}
			if err := enc.Encode(line); err != nil {
				return fmt.Errorf("trace: %s episode %d step %d: %w", r.Planner, rp.Episode, rp.Step, err)
			}
		}
	}
	return nil
}

func lookaheadSteps(r *Result) int {
	if r.Lookahead {
		return r.Delay
	}
	return 0
}
