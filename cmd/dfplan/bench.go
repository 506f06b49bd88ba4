package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/internal/atomicfile"
	"github.com/dfplan/dfplan/internal/bench"
	"github.com/dfplan/dfplan/internal/sysmem"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

func init() { subcommands = append(subcommands, newBenchCmd) }

// defaultBenchBatch bounds the episodes planned in one batched call, so
// that the planner's memory does not grow with --episodes (all 1,000
// episodes at once took 1.6 GB; docs/performance.md).
const defaultBenchBatch = 32

// benchPlanners lists the planners `bench` knows, in table order.
var benchPlanners = []string{"df", "df-nomcg", "fullseq", "mppi", "expert", "random"}

// extraPlanners are planners `bench` knows that "all" leaves out: df-td,
// df guided by a learned distance (--distance), a row of its own until
// it beats df.
var extraPlanners = []string{planner.VariantDFTD}

// maxPlanDelay bounds --plan-delay: longer than any shipped plan (150
// frames), so a larger value is a typo.
const maxPlanDelay = 1000

type benchFlags struct {
	maze, plannerName, task, model, jsonPath, plotPath, goal string
	distance                                                 string
	planPath, tracePath, preset                              string
	episodes, steps, batch, delay                            int
	engine                                                   string
	ros, lookahead                                           bool
	seed                                                     int64
	plan                                                     planner.Config
}

func newBenchCmd() *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:         "bench",
		Annotations: map[string]string{usesNetwork: "yes"},
		Short:       "Benchmark planners on a maze (D4RL maze2d protocol)",
		Long: fmt.Sprintf(`Runs planners on the built-in maze simulator: seeded random starts (and goals
with --task multi), the maze's episode length, sparse reward, D4RL-normalized
score. Every planner sees the same starts and goals for the same --seed.

Planners: df (pyramid schedule + Monte Carlo Guidance), df-nomcg (pyramid,
plain guidance), fullseq (full-sequence schedule, plain guidance: the
Diffuser-like ablation), mppi (sampling MPC on the true simulator), expert
(D4RL's waypoint controller, reads the map), random; or all.

df, df-nomcg and fullseq use the model shipped for the maze unless --model
is given. Their settings are, each over the one before:
  1. the planner preset, --preset:
       %-9s %s (the default;
                 the flag defaults below)
       %-9s %s (dfplan node's)
  2. the settings shipped with the maze's model
     (models/shipped/MAZE.plan.yaml), or --plan FILE;
  3. the planner flags given on the command line;
  4. the planner's own: df-nomcg plans with MCG 1, fullseq with its schedule.
A table goes to stdout; logs and progress to stderr.`, planner.PresetPaper, presetSummary(planner.PresetPaper),
			planner.PresetRealtime, presetSummary(planner.PresetRealtime)),
		Example: `  # the Diffusion Forcing planner on the embedded medium-maze model
  dfplan bench --maze medium --planner df --episodes 10

  # every planner on the same 50 starts, JSON and a plot of the paths
  dfplan bench --maze umaze --planner all --episodes 50 --seed 1 --json umaze.json --plot umaze.png`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runBench(cmd.Context(), cmd, &f) // a signal ends the context (main)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.maze, "maze", "umaze", "built-in maze name ("+strings.Join(sim.BuiltinMazes(), ", ")+") or a layout file")
	fl.StringVar(&f.plannerName, "planner", "df", "planner: "+strings.Join(slices.Concat(benchPlanners, extraPlanners), ", ")+" or all")
	fl.StringVar(&f.distance, "distance", "", "learned distance model (.safetensors from dfplan train-distance) that df-td, and the df planners whose settings say objective: learned, are guided by; default: the one shipped for --maze")
	fl.StringVar(&f.task, "task", "single", "single (goal = the maze's G) or multi (random goal per episode)")
	fl.StringVar(&f.goal, "goal", "", `goal "x,y" in state coordinates for every episode, instead of the task's`)
	fl.IntVar(&f.episodes, "episodes", 10, "number of episodes")
	fl.Int64Var(&f.seed, "seed", 0, "seed for starts, goals and sampling noise")
	fl.IntVar(&f.steps, "steps", 0, "steps per episode (0 = the maze's D4RL episode length; scores are only comparable at 0)")
	fl.StringVar(&f.model, "model", "", "model checkpoint (.safetensors) for df planners; default: the one shipped for --maze")
	fl.StringVar(&f.jsonPath, "json", "", "also write results as JSON to this file")
	fl.StringVar(&f.plotPath, "plot", "", "also draw the maze, paths and last plans to this PNG (one planner only)")
	fl.StringVar(&f.tracePath, "trace", "", "also write every plan, with the state it was made from, to this file (JSON Lines, one plan per line)")
	fl.IntVar(&f.batch, "batch", defaultBenchBatch, "most episodes planned in one batched call; the planner's memory grows with it, not with --episodes (0 = all at once)")
	fl.BoolVar(&f.lookahead, "lookahead", false, "with --plan-delay or --ros: df planners plan from the state predicted for when the new plan arrives (the robot's state extrapolated at its velocity), and the new plan is executed from its first action then (dfplan node --lookahead). With --ros it is the node's automatic lookahead (--lookahead -1) and on by default, as in dfplan node (--lookahead=false turns it off); with --plan-delay it is off by default, as it helped umaze's single-task goal and cost its multi-task goals there (experiments/lookahead/README.md)")
	fl.IntVar(&f.delay, "plan-delay", 0, "plans arrive `N` steps after they are asked for, as on a robot whose planner is slower than its control loop (the ROS node): the robot keeps executing its current plan meanwhile, then the new one from its action N on; N must be below the plan length (expert and random plan one step) (0 = the simulator waits for the planner, D4RL's protocol)")
	fl.BoolVar(&f.ros, "ros", false, "run the episodes through the ROS planning node in real time, as a robot does: a simulator node and the planning node (dfplan node's) join the master of ROS_MASTER_URI in a private namespace, odometry and cmd_vel at 100 Hz, the planner as slow as it is on this machine (df, df-nomcg and fullseq)")
	fl.StringVar(&f.engine, "engine", dynamics.EngineNative, "how df planners run the network: native (hand-written passes) or graph (the gorgonia graph; results in results/ made before the native passes were, and reproduce exactly only on it)")
	fl.StringVar(&f.preset, "preset", defaultBenchPreset, "planner preset the df planners' settings start from: "+planner.PresetPaper+" (the benchmark's) or "+planner.PresetRealtime+" (dfplan node's)")
	fl.StringVar(&f.planPath, "plan", "", "YAML file of df planner settings (keys as in the JSON's config) over the preset's; default: the settings shipped with --maze's model, if any")
	// The defaults shown are the default preset's; only the flags given
	// count (withPlanFlags), over the preset the run starts from.
	shown, err := planner.Preset(defaultBenchPreset)
	if err != nil {
		panic(err)
	}
	addPlanFlags(fl, &f.plan, shown)
	return cmd
}

// defaultBenchPreset is the planner preset dfplan bench plans with unless
// --preset says otherwise.
const defaultBenchPreset = planner.PresetPaper

// presetSummary describes the planner preset name in a few words for help
// texts, e.g. "20 sampling steps, guidance 10, MCG 2, 15 tokens, open loop 5".
func presetSummary(name string) string {
	c, err := planner.Preset(name)
	if err != nil {
		return err.Error()
	}
	loop := fmt.Sprintf("open loop %d", c.OpenLoop)
	if c.OpenLoop == 0 {
		loop = "open loop one token"
	}
	s := fmt.Sprintf("%d sampling steps, guidance %g, MCG %d, %d tokens, %s", c.SamplingSteps, c.GuidanceScale, c.MCGSamples, c.HorizonTokens, loop)
	if c.Hold > 0 {
		s += fmt.Sprintf(", brakes within %g m of the goal", c.Hold)
	}
	return s
}

// addPlanFlags registers the df planner flags on fl, bound to c, with the
// defaults d.
func addPlanFlags(fl *pflag.FlagSet, c *planner.Config, d planner.Config) {
	fl.StringVar(&c.Schedule, "schedule", d.Schedule, "override the df planners' scheduling matrix (pyramid, full_sequence, autoregressive)")
	fl.IntVar(&c.SamplingSteps, "sampling-steps", d.SamplingSteps, "DDIM steps from noise to clean per token")
	fl.IntVar(&c.HorizonTokens, "horizon-tokens", d.HorizonTokens, fmt.Sprintf("tokens planned (0 = %d)", planner.DefaultConfig.HorizonTokens))
	fl.IntVar(&c.OpenLoop, "open-loop", d.OpenLoop, "planned frames executed before replanning (0 = one token)")
	fl.Float64Var(&c.Uncertainty, "uncertainty", d.Uncertainty, "pyramid uncertainty scale u (> 0; 0 means 1)")
	fl.Float64Var(&c.GuidanceScale, "guidance-scale", d.GuidanceScale, "goal guidance scale")
	fl.IntVar(&c.MCGSamples, "mcg-samples", d.MCGSamples, "Monte Carlo Guidance samples for df (df-nomcg and fullseq use 1)")
	fl.Float64Var(&c.Eta, "eta", d.Eta, "DDIM eta (0 = deterministic)")
	fl.Float64Var(&c.Discount, "discount", d.Discount, "df planners: weight plan frame f by discount^f in the goal objective, so the near future counts more (0 or 1 = all frames alike)")
	fl.Float64Var(&c.StopWeight, "stop-weight", d.StopWeight, "df planners: robots within --stop-gate of their goal also pay this weight × planned speed near it, so their plans stop there (0 = off; see the README)")
	fl.Float64Var(&c.StopRadius, "stop-radius", d.StopRadius, "df planners: the stop term's reach r: speed at distance d from the goal is charged exp(−d²/2r²) (0 = 0.5 m)")
	fl.Float64Var(&c.StopGate, "stop-gate", d.StopGate, "df planners: the stop term acts only for robots this close to their goal (0 = 2r)")
	fl.StringVar(&c.Objective, "objective", d.Objective, fmt.Sprintf("df planners: the distance to the goal that guidance shortens: %s (straight, the default) or %s (learned from the data: --distance, or the one shipped for the maze)", planner.ObjectiveLine, planner.ObjectiveLearned))
	fl.Float64Var(&c.DetourFrom, "detour-from", d.DetourFrom, "df-td: keep the straight line to the goal where the learned distance is under this many times it")
	fl.Float64Var(&c.DetourTo, "detour-to", d.DetourTo, fmt.Sprintf("df-td: use the learned distance where it is over this many times the straight line, blending from --detour-from (0 = %g … %g)", planner.DefaultDetour[0], planner.DefaultDetour[1]))
	fl.Float64Var(&c.Hold, "hold", d.Hold, "df planners: a robot within this distance (m) of its goal brakes from its own odometry instead of executing its plan, and plans on (0 = off)")
	fl.IntVar(&c.Unstick, "unstick", d.Unstick, "df planners: after an open loop that moved the robot under 5 cm where its plan said over 20 cm, plan this many replans without guidance (0 = off; see the README)")
}

// withPlanFlags returns base with the planner flags given on fl's command
// line applied over it.
func withPlanFlags(fl *pflag.FlagSet, base planner.Config) (planner.Config, error) {
	conf := base
	given := pflag.NewFlagSet("plan", pflag.ContinueOnError)
	addPlanFlags(given, &conf, base)
	var err error
	fl.Visit(func(f *pflag.Flag) {
		if given.Lookup(f.Name) != nil && err == nil {
			err = given.Set(f.Name, f.Value.String())
		}
	})
	return conf, err
}

func runBench(ctx context.Context, cmd *cobra.Command, f *benchFlags) error {
	names := []string{f.plannerName}
	if f.plannerName == "all" {
		names = benchPlanners
	} else if !slices.Contains(benchPlanners, f.plannerName) && !slices.Contains(extraPlanners, f.plannerName) {
		return usagef("--planner %q: unknown planner (want %s or all)", f.plannerName, strings.Join(slices.Concat(benchPlanners, extraPlanners), ", "))
	}
	base, err := presetConfig(f.preset)
	if err != nil {
		return err
	}
	if f.ros && !cmd.Flags().Changed("lookahead") {
		f.lookahead = true // as dfplan node by default
	}
	switch {
	case f.episodes < 1 || f.episodes > 100000:
		return usagef("--episodes %d: want 1 to 100000", f.episodes)
	case f.steps < 0:
		return usagef("--steps %d: want ≥ 0", f.steps)
	case f.batch < 0:
		return usagef("--batch %d: want ≥ 0", f.batch)
	case f.delay < 0 || f.delay > maxPlanDelay:
		return usagef("--plan-delay %d: want 0 … %d", f.delay, maxPlanDelay)
	case f.engine != dynamics.EngineNative && f.engine != dynamics.EngineGraph:
		return usagef("--engine %q: want %s or %s", f.engine, dynamics.EngineNative, dynamics.EngineGraph)
	case f.ros && !slices.ContainsFunc(names, usesModel):
		return usagef("--ros runs the planning node's planners (df, df-nomcg, fullseq), not %s", f.plannerName)
	case f.ros && f.plannerName == "all":
		return usagef("--ros runs one planner at a time; pick df, df-nomcg or fullseq with --planner")
	case f.lookahead && f.delay == 0 && !f.ros:
		return usagef("--lookahead without --plan-delay or --ros: plans arrive at once, there is nothing to look ahead to")
	case f.ros && f.delay != 0:
		return usagef("--plan-delay with --ros: plans arrive when the planner has them")
	case f.ros && f.tracePath != "":
		return usagef("--trace with --ros: the planning node publishes its plans on ~plan instead")
	case f.ros && cmd.Flags().Changed("batch"):
		return usagef("--batch with --ros: the planning node plans for one robot")
	case f.plotPath != "" && len(names) > 1:
		return usagef("--plot draws one planner; pick one with --planner")
	}
	task, err := sim.ParseTask(f.task)
	if err != nil {
		return usageError{fmt.Errorf("--task: %w", err)}
	}
	maze, err := sim.LoadMaze(f.maze)
	if err != nil {
		return usageError{fmt.Errorf("--maze: %w", err)}
	}
	goal, err := parsePoint("--goal", f.goal)
	if err != nil {
		return usageError{err}
	}
	if goal != nil && !maze.IsFree(*goal) {
		return usagef("--goal %s: not in free space of maze %s (inside a wall or outside the map)", f.goal, maze.Name())
	}
	if err := checkOutputs(map[string]string{"--json": f.jsonPath, "--trace": f.tracePath, "--plot": f.plotPath}); err != nil {
		return err
	}
	var model *dynamics.Model
	needModel := slices.ContainsFunc(names, usesModel)
	if f.planPath != "" && !needModel {
		return usagef("--plan %s: planner settings are for df, df-nomcg and fullseq; --planner %s uses none", f.planPath, f.plannerName)
	}
	source := ""
	if needModel {
		if model, err = loadModel(f.model, maze); err != nil {
			return err
		}
		if err := model.SetEngine(f.engine); err != nil {
			return usageError{fmt.Errorf("--engine: %w", err)}
		}
		if base, source, err = planSettings(maze, model, base, f.model, f.planPath, "--plan"); err != nil {
			return usageError{err}
		}
	}
	// Flags given on the command line win over the settings file.
	if f.plan, err = withPlanFlags(cmd.Flags(), base); err != nil {
		return usageError{err}
	}
	if err := f.plan.Validate(); err != nil {
		return planFlagError(cmd.Flags(), err, settingsFrom(source, f.preset))
	}
	learned := slices.Contains(names, planner.VariantDFTD) || (needModel && f.plan.Objective == planner.ObjectiveLearned)
	if f.distance != "" && !learned {
		return usagef("--distance %s: only df-td, and df planners with objective %s, use a learned distance", f.distance, planner.ObjectiveLearned)
	}
	if learned {
		if f.plan.Distance, f.distance, err = learnedDistance(f.distance, maze); err != nil {
			return err
		}
	}
	var master string
	if f.ros {
		if master, err = rosMaster(ctx); err != nil {
			return err
		}
	}
	var results []*bench.Result
	// Every planner is built, and its settings checked, before any runs:
	// a bad setting is the only line a failed run prints.
	policies, configs := make([]bench.Planner, len(names)), make([]any, len(names))
	for i, name := range names {
		if policies[i], configs[i], err = makeBenchPlanner(name, f, cmd.Flags(), settingsFrom(source, f.preset), maze, model); err != nil {
			return err
		}
	}
	if needModel {
		logPlanSettings(f.preset, source)
	}
	for i, name := range names {
		p := policies[i]
		bar := newProgress(cmd.ErrOrStderr(), fmt.Sprintf("%s on %s", name, maze.Name()))
		if f.ros {
			bar.Unit("episodes") // through ROS, episodes run one after another
		}
		c := bench.Config{
			Maze: maze, Task: task, Episodes: f.episodes, Seed: f.seed, Steps: f.steps,
			MaxBatch: f.batch, Progress: bar.Update, Goal: goal, Trace: f.tracePath != "",
			Delay: f.delay, Lookahead: f.lookahead,
		}
		var res *bench.Result
		if f.ros {
			res, err = rosBench(ctx, master, c, p, cmd.ErrOrStderr())
		} else {
			res, err = bench.Run(ctx, c, p)
		}
		bar.Done()
		if err != nil {
			return err
		}
		if usesModel(name) {
			res.Engine, res.Preset = f.engine, f.preset
		}
		s := res.Summarize()
		slog.Info("bench done", "planner", name, "maze", maze.Name(), "score", fmt.Sprintf("%.1f", s.ScoreMean), "success", fmt.Sprintf("%.0f%%", 100*s.SuccessRate), "wall", res.Wall.Round(1e6))
		results = append(results, res)
	}
	return writeBenchOutputs(cmd.OutOrStdout(), f, maze, results, configs)
}

// writeBenchOutputs prints the table to stdout and writes the files the
// flags ask for: --json (with each planner's config), --trace, --plot.
func writeBenchOutputs(stdout io.Writer, f *benchFlags, maze *sim.Maze, results []*bench.Result, configs []any) error {
	if err := bench.WriteTable(stdout, results); err != nil {
		return err
	}
	if f.jsonPath != "" {
		if err := atomicfile.Write(f.jsonPath, func(w io.Writer) error { return bench.WriteJSON(w, results, configs) }); err != nil {
			return fmt.Errorf("--json: %w", err)
		}
	}
	if f.tracePath != "" {
		if err := atomicfile.Write(f.tracePath, func(w io.Writer) error { return bench.WriteTrace(w, results) }); err != nil {
			return fmt.Errorf("--trace: %w", err)
		}
	}
	if f.plotPath != "" {
		if err := bench.PlotPNG(f.plotPath, maze, results[0]); err != nil {
			return fmt.Errorf("--plot: %w", err)
		}
	}
	return nil
}

// usesModel tells the planners that plan with the model.
func usesModel(name string) bool { return strings.HasPrefix(name, "df") || name == "fullseq" }

// checkOutputs fails at once for output paths (by flag; "" = not given)
// that could not be written at the end of a run: two flags naming the same
// file, or a path that atomicfile.Check refuses.
func checkOutputs(paths map[string]string) error {
	flags := slices.Sorted(maps.Keys(paths))
	seen := map[string]string{}
	for _, flag := range flags {
		p := paths[flag]
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return fmt.Errorf("%s %s: %w", flag, p, err)
		}
		if other, ok := seen[abs]; ok {
			return usagef("%s %s: the same file as %s", flag, p, other)
		}
		seen[abs] = flag
		if err := atomicfile.Check(p); err != nil {
			return fmt.Errorf("%s: %w", flag, err)
		}
	}
	return nil
}

// settingsFrom names where the df planners' settings under the flags came
// from, for messages: the settings file (source), or else the preset.
func settingsFrom(source, preset string) string {
	if source != "" {
		return source
	}
	return "--preset " + preset
}

// planFlagError turns a planner config error into a usage error that
// names the setting: by its flag if the flag was given (or source is ""),
// else by its key in source, where the settings under the flags came from
// (settingsFrom).
// Errors other than a *planner.FieldError are returned as they are.
func planFlagError(fl *pflag.FlagSet, err error, source string) error {
	var fe *planner.FieldError
	if !errors.As(err, &fe) {
		return err
	}
	flag := strings.ReplaceAll(fe.Field, "_", "-")
	if fl.Changed(flag) || source == "" {
		return usagef("--%s %v: %s", flag, fe.Value, fe.Want)
	}
	return usagef("%s: %s %v: %s", source, fe.Field, fe.Value, fe.Want)
}

// makeBenchPlanner builds the named planner and returns the config to
// record with its results. source is settingsFrom's.
func makeBenchPlanner(name string, f *benchFlags, fl *pflag.FlagSet, source string, maze *sim.Maze, model *dynamics.Model) (bench.Planner, any, error) {
	seed := uint64(f.seed)
	switch name {
	case "expert":
		return bench.Planner{Name: name, OpenLoop: 1, New: func(e int) (planner.Policy, error) {
			return bench.NewExpertPolicy(maze, seed*1000+uint64(e)), nil
		}}, nil, nil
	case "random":
		return bench.Planner{Name: name, OpenLoop: 1, New: func(e int) (planner.Policy, error) {
			return bench.NewRandomPolicy(seed*1000 + uint64(e)), nil
		}}, nil, nil
	case "mppi":
		conf := planner.MPPIConfig{Seed: seed}
		step := func(next, obs, act []float64) {
			s := maze.Step(sim.State{obs[0], obs[1], obs[2], obs[3]}, sim.Action{act[0], act[1]})
			copy(next, s[:])
		}
		return bench.Planner{Name: name, OpenLoop: 1, New: func(e int) (planner.Policy, error) {
			c := conf
			c.Seed = seed*1000 + uint64(e)
			return planner.NewMPPI(step, c)
		}}, conf, nil
	}
	// The variant last: df-nomcg and fullseq are themselves whatever the
	// preset, the settings file and the flags say.
	conf, err := planner.Variant(name, f.plan)
	if err != nil {
		return bench.Planner{}, nil, err
	}
	conf.Seed = seed
	p, err := planner.New(model, conf)
	if err != nil {
		if fe := (*planner.FieldError)(nil); errors.As(err, &fe) {
			return bench.Planner{}, nil, planFlagError(fl, err, source)
		}
		return bench.Planner{}, nil, usageError{fmt.Errorf("planner %s: %w", name, err)}
	}
	pc := p.Config()
	// Against the maze's episode, not --steps, which only cuts a run short.
	episode := maze.EpisodeLength()
	if frames := pc.HorizonTokens * model.Config().FrameStack; frames > episode {
		return bench.Planner{}, nil, planFlagError(fl, &planner.FieldError{Field: "horizon_tokens", Value: pc.HorizonTokens,
			Want: fmt.Sprintf("plans %d frames, longer than the %d-step episode", frames, episode)}, source)
	}
	batch := f.batch
	if batch == 0 {
		batch = f.episodes
	}
	rows := min(batch, f.episodes) * pc.MCGSamples * pc.HorizonTokens
	if need := dynamics.PredictMemory(model.Config(), rows); need > 0 {
		if avail, err := sysmem.Available(); err == nil && need > avail {
			return bench.Planner{}, nil, usagef("--batch %d: planning %d episodes at once with %d Monte Carlo samples of %d tokens needs about %s, but %s is available; lower --batch",
				f.batch, min(batch, f.episodes), pc.MCGSamples, pc.HorizonTokens, sysmem.Format(need), sysmem.Format(avail))
		}
	}
	if pc.Distance != nil {
		// The learned distance is a model, not a setting: record its file.
		return bench.Planner{Name: name, Batch: p, OpenLoop: pc.OpenLoop}, struct {
			planner.Config
			Distance string `json:"distance"`
		}{pc, f.distance}, nil
	}
	return bench.Planner{Name: name, Batch: p, OpenLoop: pc.OpenLoop}, pc, nil
}
