package planner

import "github.com/dfplan/dfplan/internal/strictyaml"

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
