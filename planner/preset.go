package planner

import (
	"fmt"
	"strings"

	"github.com/dfplan/dfplan/internal/strictyaml"
)

// The planner presets: named planner settings that dfplan bench and dfplan
// node start from (--preset), before any settings file or flag.
const (
	// PresetPaper is the planner the benchmark scores: it samples more
	// than realtime, nearer the method as published. dfplan bench's
	// default.
	PresetPaper = "paper"
	// PresetRealtime is the planner a robot runs: one robot's plan
	// arrives within the node's plan deadline on a laptop-class CPU.
	// dfplan node's default.
	PresetRealtime = "realtime"
)

// PresetNames lists the presets, in the order messages name them.
var PresetNames = []string{PresetPaper, PresetRealtime}

// presets is what each preset sets over DefaultConfig, and why: the one
// place the presets' values are kept. Every field a preset decides is
// written out, even where it equals DefaultConfig's.
var presets = map[string]func(c *Config){
	PresetPaper: func(c *Config) {
		// The method's schedule: near future sharp, far future fuzzy.
		c.Schedule = Pyramid
		// Twice realtime's DDIM steps: a finer sampler; on umaze the
		// steps mattered most (docs/ros.md: 18.6 with 5, 69.4 with 10).
		// To be set from measurements.
		c.SamplingSteps = 10
		// 150 frames; 30 tokens did worse (docs/results.md, "A longer
		// horizon did not help").
		c.HorizonTokens = 15
		// The guidance the defaults were chosen with (docs/results.md,
		// "How the defaults were chosen").
		c.GuidanceScale = 3
		// Twice realtime's sampled futures for Monte Carlo Guidance's
		// average, as umaze's shipped settings have. To be set from
		// measurements.
		c.MCGSamples = 4
		// 0 = one token: a replan every 10 frames, the design's default.
		c.OpenLoop = 0
	},
	PresetRealtime: func(c *Config) {
		// DefaultConfig, field for field: what a robot runs, sized so
		// that one robot's plan arrives within a few control ticks (13 ms
		// on medium and large with the native passes, docs/ros.md).
		c.Schedule = Pyramid
		// 5 steps, MCG 2 and guidance 3 scored above 10 steps, MCG 4 and
		// guidance 10 on five of the six cells of the seed the defaults
		// were chosen on, in under half the time (docs/results.md, "How
		// the defaults were chosen").
		c.SamplingSteps = 5
		// As paper.
		c.HorizonTokens = 15
		// Chosen with the steps above.
		c.GuidanceScale = 3
		// The fewest samples that still average: twice plain guidance's
		// cost, not four times.
		c.MCGSamples = 2
		// As paper; the node replans as the settings say unless
		// --open-loop is given.
		c.OpenLoop = 0
	},
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
