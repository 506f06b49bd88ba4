package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/models"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

// tinyCheckpoint writes an untrained tiny model whose normalization fits
// the given position statistics, so the df planners can run end to end.
func tinyCheckpoint(t *testing.T, meanXY, stdXY float64, obsDim int) string {
	t.Helper()
	c := dynamics.DefaultConfig()
	c.ObsDim = obsDim
	c.FrameStack, c.ZDim, c.Hidden, c.Layers, c.EncoderHidden, c.EmbedDim, c.DiffusionSteps = 2, 8, 16, 1, 8, 8, 100
	d := c.FrameDim()
	norm := dynamics.IdentityNormalization(d)
	norm.Mean[0], norm.Mean[1], norm.Std[0], norm.Std[1] = meanXY, meanXY, stdXY, stdXY
	m, err := dynamics.New(c, norm, 1)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tiny.safetensors")
	if err := m.Save(path, dynamics.Provenance{Command: "test"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// readJSONObject reads the JSON object in the file at path.
func readJSONObject(t *testing.T, path string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, raw)
	}
	return got
}

func TestBenchExpertTableAndJSON(t *testing.T) {
	dir := t.TempDir()
	js, png := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.png")
	r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", "expert", "--episodes", "3", "--seed", "4", "--json", js, "--plot", png)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "expert") || !strings.Contains(r.stdout, "score") {
		t.Fatalf("table lacks the expert row:\n%s", r.stdout)
	}
	got := readJSONObject(t, js)
	for _, key := range []string{"maze", "task", "planner", "episodes", "seed", "normalized_score", "success_rate", "returns", "plan_latency_ms", "wall_s"} {
		if _, ok := got[key]; !ok {
			t.Errorf("JSON lacks %q", key)
		}
	}
	if n := len(got["returns"].([]any)); n != 3 {
		t.Errorf("%d returns, want 3", n)
	}
	if score := got["normalized_score"].(map[string]any)["mean"].(float64); score < 50 {
		t.Errorf("expert normalized score %.1f on umaze, want a reaching policy (≥ 50)", score)
	}
	if fi, err := os.Stat(png); err != nil || fi.Size() == 0 {
		t.Errorf("plot not written: %v", err)
	}
}

// A plan delay is said in the table's header and recorded in the JSON;
// mppi, which replans every step, scores less when its plans arrive 20
// steps late; and a planner whose plans are too short to outlast the
// delay (the expert plans one step) is refused with a clear error.
func TestBenchPlanDelay(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: two mppi benchmarks of 3 umaze episodes, about 15 s")
	}
	dir := t.TempDir()
	score := func(delay string) (float64, map[string]any, string) {
		js := filepath.Join(dir, "d"+delay+".json")
		r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", "mppi", "--episodes", "3", "--seed", "4", "--plan-delay", delay, "--json", js)
		if r.code != 0 {
			t.Fatalf("--plan-delay %s: exit %d: %s", delay, r.code, r.stderr)
		}
		got := readJSONObject(t, js)
		return got["normalized_score"].(map[string]any)["mean"].(float64), got, r.stdout
	}
	onTime, got, out := score("0")
	if _, ok := got["plan_delay_steps"]; ok || strings.Contains(out, "arrive") {
		t.Errorf("no delay: JSON has plan_delay_steps %v, or the header mentions one:\n%s", got["plan_delay_steps"], out)
	}
	late, got, out := score("20")
	if d, _ := got["plan_delay_steps"].(float64); d != 20 || !strings.Contains(out, "plans arrive 20 steps after they are asked for") {
		t.Errorf("delay 20: JSON plan_delay_steps %v, header:\n%s", got["plan_delay_steps"], out)
	}
	if late >= onTime {
		t.Errorf("mppi scores %.1f with plans 20 steps late, %.1f on time: want lower", late, onTime)
	}
	js := filepath.Join(dir, "expert.json")
	r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", "expert", "--episodes", "1", "--plan-delay", "1", "--json", js)
	if r.code != 1 || !strings.Contains(r.stderr, "a plan of 1 actions arrives 1 steps late") {
		t.Errorf("expert with --plan-delay 1: exit %d, stderr %q; want 1 and the plan's length", r.code, r.stderr)
	}
	if _, err := os.Stat(js); err == nil {
		t.Error("a failed run left a JSON file")
	}
}

// The df planners run end to end on a (tiny, untrained) model: this checks
// the wiring, not the score.
func TestBenchDFPlannersRun(t *testing.T) {
	model := tinyCheckpoint(t, 2, 1, 4)
	for _, p := range []string{"df", "df-nomcg", "fullseq"} {
		r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", p, "--model", model, "--episodes", "2", "--steps", "8",
			"--horizon-tokens", "3", "--sampling-steps", "2", "--mcg-samples", "2")
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", p, r.code, r.stderr)
		}
		if !strings.Contains(r.stdout, p) {
			t.Errorf("%s: table lacks its row:\n%s", p, r.stdout)
		}
	}
}

// The df planners run the network natively or on the gorgonia graph; the
// JSON says which, and both plan the same episodes to float rounding.
func TestBenchEngines(t *testing.T) {
	model := tinyCheckpoint(t, 2, 1, 4)
	dir := t.TempDir()
	finals := map[string][]any{}
	for _, engine := range []string{"native", "graph"} {
		js := filepath.Join(dir, engine+".json")
		r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", "df", "--model", model, "--episodes", "2", "--steps", "12",
			"--horizon-tokens", "3", "--sampling-steps", "2", "--mcg-samples", "2", "--engine", engine, "--json", js)
		if r.code != 0 {
			t.Fatalf("--engine %s: exit %d: %s", engine, r.code, r.stderr)
		}
		got := readJSONObject(t, js)
		if got["engine"] != engine {
			t.Errorf("--engine %s: JSON engine %v", engine, got["engine"])
		}
		finals[engine] = got["final_xy"].([]any)
	}
	for ep, n := range finals["native"] {
		g := finals["graph"][ep].([]any)
		for i, v := range n.([]any) {
			if d := math.Abs(v.(float64) - g[i].(float64)); d > 1e-3 {
				t.Errorf("episode %d: final position %v natively, %v on the graph", ep, n, g)
				break
			}
		}
	}
	js := filepath.Join(dir, "expert.json")
	if r := runCLI(t, "", "bench", "--maze", "umaze", "--planner", "expert", "--episodes", "1", "--json", js); r.code != 0 {
		t.Fatalf("expert: exit %d: %s", r.code, r.stderr)
	}
	if e, ok := readJSONObject(t, js)["engine"]; ok {
		t.Errorf("expert has no network, JSON says engine %v", e)
	}
}

// --trace writes one JSON line per plan: which episode, at which step,
// from which state, and the plan itself; replans follow the open loop.
func TestBenchTrace(t *testing.T) {
	model := tinyCheckpoint(t, 2, 1, 4)
	dir := t.TempDir()
	js, tr := filepath.Join(dir, "r.json"), filepath.Join(dir, "trace.jsonl")
	r := runCLI(t, "", "bench", "--maze", "umaze", "--task", "multi", "--planner", "df-nomcg", "--model", model,
		"--episodes", "2", "--steps", "9", "--horizon-tokens", "3", "--sampling-steps", "2", "--open-loop", "4",
		"--json", js, "--trace", tr)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	raw, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Start [][2]float64 `json:"start_xy"`
		Goal  [][2]float64 `json:"goal_xy"`
	}
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	raw, err = os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	steps := map[int][]int{}
	for i, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
		var l struct {
			Unguided *int        `json:"unguided"`
			Planner  string      `json:"planner"`
			Episode  int         `json:"episode"`
			Step     int         `json:"step"`
			State    []float64   `json:"state"`
			Goal     []float64   `json:"goal"`
			Obs      [][]float64 `json:"observations"`
			Actions  [][]float64 `json:"actions"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatalf("line %d: %v: %s", i+1, err, line)
		}
		if l.Planner != "df-nomcg" || len(l.State) != 4 || len(l.Obs) != 6 || len(l.Actions) != 6 || len(l.Obs[0]) != 4 || len(l.Actions[0]) != 2 {
			t.Fatalf("line %d: planner %q, %d state values, %d observations, %d actions; want df-nomcg, 4, 6 (3 tokens of 2 frames), 6",
				i+1, l.Planner, len(l.State), len(l.Obs), len(l.Actions))
		}
		if l.Unguided == nil || *l.Unguided != 0 {
			t.Fatalf("line %d: unguided %v, want 0 (guided plans)", i+1, l.Unguided)
		}
		if g := res.Goal[l.Episode]; math.Abs(l.Goal[0]-g[0]) > 1e-4 || math.Abs(l.Goal[1]-g[1]) > 1e-4 {
			t.Errorf("line %d: goal %v, the JSON says %v", i+1, l.Goal, g)
		}
		if s := res.Start[l.Episode]; l.Step == 0 && (math.Abs(l.State[0]-s[0]) > 1e-4 || math.Abs(l.State[1]-s[1]) > 1e-4) {
			t.Errorf("line %d: first plan from %v, the episode starts at %v", i+1, l.State[:2], s)
		}
		steps[l.Episode] = append(steps[l.Episode], l.Step)
	}
	for e := range 2 {
		if !slices.Equal(steps[e], []int{0, 4, 8}) {
			t.Errorf("episode %d planned at steps %v, want [0 4 8] (open loop 4, 9 steps)", e, steps[e])
		}
	}
}

// benchConfig runs bench with args (plus a one-episode, four-step run)
// and returns the planner config its JSON records.
func benchConfig(t *testing.T, args ...string) planner.Config {
	t.Helper()
	return benchJSONConfig[planner.Config](t, append([]string{"--planner", "df"}, args...)...)
}

// benchJSONConfig runs a one-episode, 4-step umaze bench with args (which
// win over those defaults) and decodes the config its JSON records into T.
func benchJSONConfig[T any](t *testing.T, args ...string) T {
	t.Helper()
	js := filepath.Join(t.TempDir(), "r.json")
	args = append([]string{"bench", "--maze", "umaze", "--episodes", "1", "--steps", "4", "--json", js}, args...)
	r := runCLI(t, "", args...)
	if r.code != 0 {
		t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
	}
	raw, err := os.ReadFile(js)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Config T `json:"config"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, raw)
	}
	return got.Config
}

// Without planner flags, bench plans with the ROS node's df settings for
// the same preset (for the shipped umaze model, with the settings shipped
// beside it), so that --preset realtime scores the planner a robot runs;
// the JSON records them. Flags win over a settings file.
func TestBenchPresetsAreTheNodes(t *testing.T) {
	maze, err := sim.LoadMaze("umaze")
	if err != nil {
		t.Fatal(err)
	}
	path := tinyCheckpoint(t, 2, 1, 4)
	plan := writeTemp(t, "plan.yaml", "sampling_steps: 3\nguidance_scale: 7\n")
	large, err := sim.LoadMaze("large")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		maze *sim.Maze
		args []string
		node dfOptions
	}{
		{"given model", maze, []string{"--model", path}, dfOptions{Model: path}},
		{"shipped model", maze, nil, dfOptions{}},
		{"shipped large model", large, []string{"--maze", "large"}, dfOptions{}},
		{"settings file", maze, []string{"--model", path, "--plan", plan}, dfOptions{Model: path, Plan: plan}},
	} {
		for _, preset := range planner.PresetNames {
			got := benchConfig(t, append(tc.args, "--preset", preset)...)
			tc.node.Preset = preset
			node, err := newDFPolicy(tc.maze, tc.node)
			if err != nil {
				t.Fatal(err)
			}
			want := node.(*planner.Planner).Config()
			want.Seed = got.Seed // bench seeds each run; the node does not
			if (want.Objective == planner.ObjectiveLearned) != (want.Distance != nil) {
				t.Errorf("%s, preset %s: the node plans with objective %q and distance %v", tc.name, preset, want.Objective, want.Distance)
			}
			want.Distance = nil // a model, not a setting: the JSON does not carry it
			if got != want {
				t.Errorf("%s, preset %s: bench planned with\n%+v\nthe node plans with\n%+v", tc.name, preset, got, want)
			}
		}
	}
	if got := benchConfig(t, "--model", path, "--plan", plan, "--guidance-scale", "2"); got.SamplingSteps != 3 || got.GuidanceScale != 2 {
		t.Errorf("--plan (3 steps, guidance 7) and --guidance-scale 2: planned with %d steps, guidance %g; want 3 and 2", got.SamplingSteps, got.GuidanceScale)
	}
	if got := benchConfig(t, "--model", path, "--discount", "0.99"); got.Discount != 0.99 {
		t.Errorf("--discount 0.99: planned with discount %g", got.Discount)
	}
	if got := benchConfig(t, "--model", path, "--unstick", "3"); got.Unstick != 3 {
		t.Errorf("--unstick 3: planned with unstick %d", got.Unstick)
	}
	// The ablations plan without MCG, whatever the flags say.
	if got := benchConfig(t, "--model", path, "--mcg-samples", "4", "--planner", "df-nomcg"); got.MCGSamples != 1 {
		t.Errorf("df-nomcg with --mcg-samples 4: recorded mcg_samples %d, want 1", got.MCGSamples)
	}
	// Without guidance an unstick from a settings file has nothing to take
	// away, and is no reason to refuse the run.
	unstick := filepath.Join(t.TempDir(), "unstick.yaml")
	if err := os.WriteFile(unstick, []byte("unstick: 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, "", "bench", "--model", path, "--plan", unstick, "--planner", "df", "--episodes", "1", "--steps", "2", "--horizon-tokens", "3", "--guidance-scale", "0"); r.code != 0 {
		t.Errorf("a file with unstick 10 and --guidance-scale 0: exit %d: %s", r.code, r.stderr)
	}
	// A flag given equal to its default still wins over the file.
	if got := benchConfig(t, "--model", path, "--plan", plan, "--sampling-steps", "10"); got.SamplingSteps != 10 || got.GuidanceScale != 7 {
		t.Errorf("--plan (3 steps, guidance 7) and --sampling-steps 10 (the default): planned with %d steps, guidance %g; want 10 and 7", got.SamplingSteps, got.GuidanceScale)
	}
}

// A df planner's settings are, each over the one before: the preset, the
// settings file (shipped or --plan), the planner flags given, the
// variant. The flags' defaults (paper's, in the help) are not given: they
// do not undo another preset.
func TestBenchPresetResolution(t *testing.T) {
	path := tinyCheckpoint(t, 2, 1, 4)
	plan := writeTemp(t, "plan.yaml", "sampling_steps: 3\n")
	paper, err := planner.Preset(planner.PresetPaper)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := planner.Preset(planner.PresetRealtime)
	if err != nil {
		t.Fatal(err)
	}
	ps, pm, pg := paper.SamplingSteps, paper.MCGSamples, paper.GuidanceScale
	rs, rm, rg := rt.SamplingSteps, rt.MCGSamples, rt.GuidanceScale
	for _, tc := range []struct {
		name     string
		args     []string
		steps    int
		mcg      int
		guidance float64
	}{
		{"the default preset, paper", []string{"--model", path}, ps, pm, pg},
		// The flags' defaults shown in --help are paper's: they must not
		// undo realtime where the two differ.
		{"realtime, not the flags' defaults", []string{"--model", path, "--preset", "realtime"}, rs, rm, rg},
		{"a file over the preset", []string{"--model", path, "--preset", "realtime", "--plan", plan}, 3, rm, rg},
		{"a flag over the file", []string{"--model", path, "--preset", "realtime", "--plan", plan, "--sampling-steps", "7"}, 7, rm, rg},
		{"the variant over the flags", []string{"--model", path, "--mcg-samples", "8", "--planner", "df-nomcg"}, ps, 1, pg},
		// umaze ships guidance 5: the preset's sampling stands.
		{"umaze's file over realtime", []string{"--preset", "realtime"}, rs, rm, 5},
		{"umaze's file over paper", []string{"--maze", "umaze"}, ps, pm, 5},
		// large ships 20 sampling steps (paper's already; realtime's 10 cost
		// it most), medium's keys and a goal discount.
		{"paper with large's shipped file", []string{"--maze", "large"}, ps, pm, pg},
		{"realtime with large's shipped file", []string{"--maze", "large", "--preset", "realtime"}, 20, rm, rg},
		// medium ships the stop term and unstick: the preset's sampling stands.
		{"realtime with medium's shipped file", []string{"--maze", "medium", "--preset", "realtime"}, rs, rm, rg},
		{"paper with medium's shipped file", []string{"--maze", "medium"}, ps, pm, pg},
	} {
		got := benchConfig(t, tc.args...)
		if got.SamplingSteps != tc.steps || got.MCGSamples != tc.mcg || got.GuidanceScale != tc.guidance {
			t.Errorf("%s: planned with %d steps, MCG %d, guidance %g; want %d, %d, %g", tc.name, got.SamplingSteps, got.MCGSamples, got.GuidanceScale, tc.steps, tc.mcg, tc.guidance)
		}
	}
}

// The table's header, the JSON and the planner settings line say which
// preset the df planners ran; planners without one say none.
func TestBenchRecordsPreset(t *testing.T) {
	path := tinyCheckpoint(t, 2, 1, 4)
	for _, tc := range []struct {
		args []string
		want string // "" = none
	}{
		{[]string{"--planner", "df", "--model", path, "--horizon-tokens", "3"}, "paper"},
		{[]string{"--planner", "fullseq", "--model", path, "--horizon-tokens", "3", "--preset", "realtime"}, "realtime"},
		{[]string{"--planner", "expert"}, ""},
		// Accepted, as the planner flags are, so that one command line
		// serves every planner (README, "Every cell").
		{[]string{"--planner", "expert", "--preset", "realtime"}, ""},
	} {
		js := filepath.Join(t.TempDir(), "r.json")
		r := runCLI(t, "", append([]string{"bench", "--maze", "umaze", "--episodes", "1", "--steps", "4", "--json", js}, tc.args...)...)
		if r.code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, r.code, r.stderr)
		}
		header := strings.SplitN(r.stdout, "\n", 2)[0]
		got, _ := readJSONObject(t, js)["preset"].(string)
		inHeader := strings.Contains(header, "preset")
		if tc.want != "" {
			inHeader = strings.Contains(header, ", planner preset "+tc.want)
		}
		if got != tc.want || inHeader != (tc.want != "") {
			t.Errorf("%v: JSON preset %q, header %q; want %q in both", tc.args, got, header, tc.want)
		}
		if logged := strings.Contains(r.stderr, "preset="+tc.want); tc.want != "" && !logged {
			t.Errorf("%v: the planner settings line does not name the preset:\n%s", tc.args, r.stderr)
		}
	}
}

// The settings shipped with each maze's model are what bench plans with:
// every key of the file, as the JSON records it.
func TestBenchUsesShippedPlanSettings(t *testing.T) {
	shipped := 0
	for _, maze := range []string{"umaze", "medium", "large"} {
		data := models.PlanFor(maze)
		if data == nil {
			continue
		}
		shipped++
		var file map[string]any
		if err := yaml.Unmarshal(data, &file); err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(benchConfig(t, "--maze", maze))
		if err != nil {
			t.Fatal(err)
		}
		var got map[string]any
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		for k, v := range file {
			if fmt.Sprint(got[k]) != fmt.Sprint(v) {
				t.Errorf("%s: shipped %s: %v, bench planned with %v", maze, k, v, got[k])
			}
		}
	}
	if shipped == 0 {
		t.Skip("no planner settings shipped for any maze")
	}
}

func TestBenchBadInput(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.safetensors")
	os.WriteFile(garbage, []byte("not a model"), 0o644)
	umazeModel := tinyCheckpoint(t, 2, 1, 4)
	otherMaze := tinyCheckpoint(t, 6, 2.5, 4)
	wrongDims := tinyCheckpoint(t, 2, 1, 3)
	badKey := writeTemp(t, "key.yaml", "samplingsteps: 10\n")
	badValue := writeTemp(t, "value.yaml", "mcg_samples: -3\n")
	zeroSteps := writeTemp(t, "zero.yaml", "sampling_steps: 0\n")
	twoDocs := writeTemp(t, "two.yaml", "sampling_steps: 4\n---\nsampling_steps: 6\n")
	fraction := writeTemp(t, "fraction.yaml", "open_loop: 2.5\n")
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown planner", []string{"--planner", "astar"}, 2, `--planner "astar"`},
		{"unknown preset", []string{"--preset", "fast"}, 2, "--preset fast: want paper or realtime"},
		// Checked before the model loads.
		{"unknown preset before the model", []string{"--preset", "fast", "--model", garbage}, 2, "--preset fast: want paper or realtime"},
		{"unknown preset before ROS", []string{"--preset", "fast", "--ros"}, 2, "--preset fast: want paper or realtime"},
		{"stray argument", []string{"extra"}, 2, `unknown command "extra" for "dfplan bench"`},
		{"lookahead given a number", []string{"--lookahead", "0"}, 2, `unknown command "0" for "dfplan bench"`},
		{"zero episodes", []string{"--planner", "expert", "--episodes", "0"}, 2, "--episodes 0"},
		{"negative steps", []string{"--planner", "expert", "--steps", "-5"}, 2, "--steps -5"},
		{"unknown maze", []string{"--planner", "expert", "--maze", "spiral"}, 2, "spiral"},
		{"bad task", []string{"--planner", "expert", "--task", "many"}, 2, "--task"},
		{"negative mcg samples", []string{"--mcg-samples", "-1"}, 2, "--mcg-samples -1"},
		// The shipped settings' log line must not come before the error.
		{"bad setting over the shipped ones", []string{"--maze", "medium", "--mcg-samples", "-2"}, 2, "--mcg-samples -2"},
		{"open loop beyond the horizon", []string{"--maze", "medium", "--open-loop", "151"}, 2, "--open-loop 151: exceeds the horizon of 150 frames"},
		{"eta above 1", []string{"--maze", "medium", "--eta", "2"}, 2, "--eta 2: want 0 … 1"},
		{"horizon beyond the episode", []string{"--maze", "umaze", "--horizon-tokens", "31"}, 2, "--horizon-tokens 31: plans 310 frames, longer than the 300-step episode"},
		{"batch beyond memory", []string{"--maze", "medium", "--episodes", "100000", "--batch", "0", "--horizon-tokens", "60", "--mcg-samples", "256"}, 2, "needs about"},
		{"negative stop weight", []string{"--stop-weight", "-2"}, 2, "--stop-weight -2"},
		{"NaN stop weight", []string{"--stop-weight", "NaN"}, 2, "--stop-weight NaN"},
		{"stop weight without guidance", []string{"--stop-weight", "2", "--guidance-scale", "0"}, 2, "--stop-weight 2: acts through guidance, and the guidance scale is 0"},
		{"negative stop radius", []string{"--stop-radius", "-1"}, 2, "--stop-radius -1"},
		{"NaN stop gate", []string{"--stop-gate", "NaN"}, 2, "--stop-gate NaN"},
		{"missing settings file", []string{"--plan", filepath.Join(dir, "none.yaml")}, 2, "--plan: open"},
		{"unknown settings key", []string{"--plan", badKey}, 2, "unknown key samplingsteps"},
		{"bad settings value", []string{"--plan", badValue}, 2, "mcg_samples -3"},
		{"fraction for an integer setting", []string{"--plan", fraction}, 2, "fraction.yaml: open_loop: 2.5, want a whole number"},
		{"zero steps in settings", []string{"--plan", zeroSteps}, 2, "zero.yaml: sampling_steps 0: want ≥ 1"},
		{"two settings documents", []string{"--plan", twoDocs}, 2, "more than one YAML document"},
		{"settings without a df planner", []string{"--planner", "expert", "--plan", badKey}, 2, "--plan " + badKey + ": planner settings are for df"},
		{"shipped stop weight without guidance", []string{"--guidance-scale", "0"}, 2, "planner settings shipped for umaze: stop_weight 2: acts through guidance"},
		{"open loop beyond horizon", []string{"--model", umazeModel, "--horizon-tokens", "2", "--open-loop", "500"}, 2, "--open-loop 500: exceeds the horizon of 4 frames"},
		{"goal in a wall", []string{"--planner", "expert", "--goal", "0,0"}, 2, "--goal 0,0: not in free space"},
		{"goal outside the maze", []string{"--planner", "expert", "--goal", "9,9"}, 2, "--goal 9,9: not in free space"},
		{"goal not a point", []string{"--planner", "expert", "--goal", "1;1"}, 2, "want x,y"},
		{"goal NaN", []string{"--planner", "expert", "--goal", "NaN,1"}, 2, "finite"},
		{"plot with all", []string{"--planner", "all", "--plot", filepath.Join(dir, "x.png")}, 2, "--plot"},
		{"missing model", []string{"--model", filepath.Join(dir, "nope.safetensors")}, 1, "nope.safetensors"},
		{"corrupt model", []string{"--model", garbage}, 1, "garbage.safetensors"},
		{"model of another maze", []string{"--model", otherMaze, "--maze", "umaze"}, 1, "trained on another maze"},
		{"model with other dims", []string{"--model", wrongDims}, 1, "3-D observations"},
		{"discount above 1", []string{"--discount", "1.5"}, 2, "--discount 1.5: want 0 … 1"},
		{"negative unstick", []string{"--unstick", "-1"}, 2, "--unstick -1: want 0 … 100"},
		{"unstick above its bound", []string{"--unstick", "101"}, 2, "--unstick 101: want 0 … 100"},
		{"a removed experiment's flag", []string{"--mcg-chain"}, 2, "unknown flag: --mcg-chain"},
		{"a removed experiment's setting", []string{"--plan", writeTemp(t, "stall.yaml", "stall: 20\n")}, 2, "unknown key stall"},
		{"mcg samples above their bound", []string{"--mcg-samples", "300"}, 2, "--mcg-samples 300: want 1 … 256"},
		{"ros with a planner without a model", []string{"--planner", "mppi", "--ros"}, 2, "--ros runs the planning node's planners (df, df-nomcg, fullseq), not mppi"},
		{"ros with all", []string{"--planner", "all", "--ros"}, 2, "--ros runs one planner at a time"},
		{"ros with a plan delay", []string{"--ros", "--plan-delay", "3"}, 2, "--plan-delay with --ros"},
		{"ros with a trace", []string{"--ros", "--trace", "t.jsonl"}, 2, "--trace with --ros"},
		{"ros with a batch", []string{"--ros", "--batch", "4"}, 2, "--batch with --ros"},
		{"unknown engine", []string{"--planner", "expert", "--engine", "cuda"}, 2, `--engine "cuda": want native or graph`},
		{"negative plan delay", []string{"--planner", "expert", "--plan-delay", "-2"}, 2, "--plan-delay -2: want 0 … 1000"},
		{"plan delay above its bound", []string{"--planner", "expert", "--plan-delay", "5000"}, 2, "--plan-delay 5000: want 0 … 1000"},
		{"lookahead without a plan delay", []string{"--lookahead"}, 2, "--lookahead without --plan-delay or --ros"},
		{"unwritable trace", []string{"--planner", "expert", "--episodes", "1", "--steps", "2", "--trace", filepath.Join(dir, "missing", "t.jsonl")}, 1, "--trace"},
		// Checked before the model loads, so before any planning.
		{"unwritable json before the run", []string{"--model", garbage, "--json", filepath.Join(dir, "missing", "r.json")}, 1, "--json"},
		{"json is a directory", []string{"--planner", "expert", "--json", dir}, 1, "is a directory"},
		{"json and trace the same file", []string{"--planner", "expert", "--json", filepath.Join(dir, "r.out"), "--trace", filepath.Join(dir, "r.out")}, 2, "the same file as"},
		{"unwritable json after a bad maze", []string{"--maze", "spiral", "--json", filepath.Join(dir, "missing", "r.json")}, 2, "--maze"},
		{"unwritable json", []string{"--planner", "expert", "--episodes", "1", "--json", filepath.Join(dir, "missing", "r.json")}, 1, "--json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, "", append([]string{"bench"}, c.args...)...)
			if r.code != c.code {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, c.code, r.stderr)
			}
			if lines := strings.Count(strings.TrimSpace(r.stderr), "\n") + 1; lines != 1 || !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q: want one line mentioning %q", r.stderr, c.want)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 { // only garbage.safetensors
		t.Errorf("files left behind: %v", entries)
	}
}
