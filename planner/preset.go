package planner

import (
	"fmt"

	"github.com/dfplan/dfplan/internal/strictyaml"
)

// The Diffusion Forcing planner and its ablations, by the names dfplan
// bench and dfplan node give them (Preset).
const (
	PresetDF      = "df"       // pyramid schedule, Monte Carlo Guidance
	PresetDFNoMCG = "df-nomcg" // pyramid schedule, plain guidance
	PresetFullSeq = "fullseq"  // full-sequence schedule, plain guidance: Diffuser-like
)

// Preset returns c as the named planner runs it. The method and its
// ablations differ only in schedule and Monte Carlo samples; everything
// else is c's.
func Preset(name string, c Config) (Config, error) {
	switch name {
	case PresetDF:
		if c.Schedule == "" {
			c.Schedule = Pyramid
		}
	case PresetDFNoMCG:
		if c.Schedule == "" {
			c.Schedule = Pyramid
		}
		c.MCGSamples = 1
	case PresetFullSeq:
		c.Schedule = FullSequence
		c.Uncertainty = 0
		c.MCGSamples = 1
	default:
		return c, fmt.Errorf("planner preset %q: want %s, %s or %s", name, PresetDF, PresetDFNoMCG, PresetFullSeq)
	}
	return c, nil
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
