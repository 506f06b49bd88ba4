package planner

import (
	"fmt"
	"strings"

	"github.com/dfplan/dfplan/internal/strictyaml"
)

// The planner presets: named planner settings that dfplan bench and dfplan
// node start from (--preset), before any settings file or flag.
const (
	// PresetPaper is the planner the benchmark scores: the settings
	// that scored best, whatever they cost. dfplan bench's default.
	PresetPaper = "paper"
	// PresetRealtime is the planner a robot runs: one robot's plan
	// arrives within the node's plan deadline on a laptop-class CPU.
	// dfplan node's default.
	PresetRealtime = "realtime"
)

// PresetNames lists the presets, in the order messages name them.
var PresetNames = []string{PresetPaper, PresetRealtime}

// presets is what each preset sets over DefaultConfig: the one place the
// presets' values are kept.
var presets = map[string]func(c *Config){
	PresetPaper:    paper,
	PresetRealtime: realtime,
}

// realtime is what a robot runs: one robot's plan must arrive within the
// node's plan deadline (robot.DefaultPlanDeadline) on a laptop-class CPU,
// in as few control ticks as the model allows, because the robot keeps
// executing its last plan meanwhile. Every field it decides is written
// out; the values are those that scored best with the shipped medium
// model on the tuning seeds 777 and 31337 when plans arrive as late as
// they take to make (dfplan bench --plan-delay --lookahead;
// experiments/presets/README.md, "Session 22").
func realtime(c *Config) {
	paper(c)
	// 10 DDIM steps and plain guidance: a third of paper's compute per
	// plan. With plans arriving 7 ticks late they scored 60.5 / 83.8,
	// against 15.2 / 58.4 for paper's settings arriving 15 ticks late;
	// 5 steps (5 ticks late) scored 30.8 / 51.9.
	c.SamplingSteps = 10
	c.MCGSamples = 1
	// 0 = one token, a replan every 10 frames: about one per plan the
	// node can make.
	c.OpenLoop = 0
	// A robot within 0.5 m of its goal (D4RL's goal radius) brakes
	// instead of executing its plan, and plans on. The model's plans
	// never stand still (its data does not), and with a replan every
	// token its robots spent only 35–80 % of the steps after arriving at
	// their goal: +45.1 ± 2.4 over 240 pairs on the tuning seeds, +44.5 ±
	// 3.5 over 120 on the fresh seed 5151 (experiments/brake/README.md).
	// paper leaves it off: the benchmark's df executes its plans, as the
	// paper's method does.
	c.Hold = 0.5
}

// paper is the benchmark's quality setting: the settings that scored
// best, whatever they cost, with the simulator waiting for each plan.
// Every field it decides is written out; the values are those that
// scored best with the correctly trained medium model on the tuning
// seeds 777 and 31337 (experiments/presets/README.md, "Session 22").
func paper(c *Config) {
	// The method's schedule: near future sharp, far future fuzzy.
	c.Schedule = Pyramid
	// 20 DDIM steps: 10 scored −39.4 ± 7.0 paired over 40 episodes;
	// with a smaller correct model, 40 scored no higher and 5 far lower.
	c.SamplingSteps = 20
	// 150 frames; 30 tokens did worse (docs/results.md, "A longer
	// horizon did not help").
	c.HorizonTokens = 15
	// Guidance 10, what the correct models were tuned with; 5 scored
	// −7.2 ± 7.7 on medium's multi-task goals.
	c.GuidanceScale = 10
	// Two sampled futures for Monte Carlo Guidance's average: 4 scored
	// −18.0 ± 7.1 on single-task goals, 1 −4.6 ± 5.5.
	c.MCGSamples = 2
	// A replan every 5 frames, half a token: a correct model's plans
	// keep moving, and a robot at its goal must be caught sooner than
	// every 10 (experiments/scaling/README.md, "What a correctly trained
	// model needs from the planner").
	c.OpenLoop = 5
}

// Preset returns the planner Config the named preset stands for:
// DefaultConfig with the preset's settings (PresetNames).
func Preset(name string) (Config, error) {
	set, ok := presets[name]
	if !ok {
		return Config{}, fmt.Errorf("planner preset %q: want %s", name, PresetList())
	}
	c := DefaultConfig
	set(&c)
	return c, nil
}

// PresetList is PresetNames as a message names them: "paper or realtime".
func PresetList() string {
	n := len(PresetNames)
	if n < 2 {
		return strings.Join(PresetNames, "")
	}
	return strings.Join(PresetNames[:n-1], ", ") + " or " + PresetNames[n-1]
}

// DecodeConfig overlays planner settings written in YAML (one mapping,
// keys as Config's yaml tags: sampling_steps, guidance_scale, ...) on
// base, and validates the result (Config.Validate). Unknown keys, a second
// document and a fraction for an integer setting are errors
// (internal/strictyaml); so is a value that cannot work (*FieldError).
// On any error it returns base unchanged.
func DecodeConfig(data []byte, base Config) (Config, error) {
	c := base
	if err := strictyaml.Decode(data, &c); err != nil {
		return base, err
	}
	if err := c.Validate(); err != nil {
		return base, err
	}
	return c, nil
}
