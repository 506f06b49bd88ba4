package planner

import (
	"fmt"
	"math"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/guidance"
)

// Config configures a Diffusion Forcing planner. A zero field takes its
// default where the field says so; DefaultConfig holds the defaults.
type Config struct {
	// Schedule is the scheduling matrix: pyramid (default), full_sequence
	// or autoregressive.
	Schedule string `json:"schedule" yaml:"schedule"`
	// SamplingSteps is S, the number of DDIM steps a token takes from pure
	// noise to clean. 0 means DefaultConfig's (5).
	SamplingSteps int `json:"sampling_steps" yaml:"sampling_steps"`
	// Uncertainty is u, the pyramid's slope: token t starts denoising u·t
	// rows after token 0. 0 means 1 for the pyramid.
	Uncertainty float64 `json:"uncertainty" yaml:"uncertainty"`
	// HorizonTokens is the number of tokens planned. 0 means
	// DefaultConfig's (15).
	HorizonTokens int `json:"horizon_tokens" yaml:"horizon_tokens"`
	// OpenLoop is the number of planned frames executed before replanning.
	// 0 means the model's frame stack (one token). Must not exceed the
	// horizon.
	OpenLoop int `json:"open_loop" yaml:"open_loop"`
	// Eta is DDIM's η: 0 is deterministic given the initial noise.
	Eta float64 `json:"eta" yaml:"eta"`
	// GuidanceScale multiplies the goal-reaching gradient; 0 samples
	// without guidance. DefaultConfig's is 3.
	GuidanceScale float64 `json:"guidance_scale" yaml:"guidance_scale"`
	// MCGSamples is N, the number of sampled futures the guidance gradient
	// is averaged over; 1 is plain guidance, and 0 means 1. DefaultConfig's
	// is 2.
	MCGSamples int `json:"mcg_samples" yaml:"mcg_samples"`
	// Discount weights plan frame f by Discount^f in the goal objective;
	// 0 or 1 weights all frames alike.
	Discount float64 `json:"discount" yaml:"discount"`
	// StopWeight λ, when > 0, makes a robot that is within StopGate of
	// its goal plan to stop there: its goal objective also charges
	// λ·φ·huber(speed) for every planned frame, φ = exp(−d²/(2r²)) at
	// distance d from the goal (guidance.GoalReaching). It acts through
	// guidance, so only with GuidanceScale > 0. 0 is off.
	StopWeight float64 `json:"stop_weight" yaml:"stop_weight"`
	// StopRadius is r above. 0 means 0.5, D4RL maze2d's goal radius.
	StopRadius float64 `json:"stop_radius" yaml:"stop_radius"`
	// StopGate is how close to its goal a robot must be for its plans to
	// pay the stop term. 0 means 2·StopRadius; at StopRadius the term only
	// acts once the robot has arrived, and never slows its approach.
	StopGate float64 `json:"stop_gate" yaml:"stop_gate"`
	// Hold, when > 0, stops a robot at its goal: within Hold (m) of its
	// goal the robot brakes, action −(vx, vy) clamped to [−1, 1] (the
	// maze2d ball loses about a quarter of its speed a tick), instead of
	// executing its plan; it plans on as before, and executes its plans
	// again once it is further out or its goal changes. The Executor
	// applies it (ExecutorConf.Hold) from the robot's own odometry. The
	// model's plans cannot stand still (its data never does), so without
	// it a robot circles its goal at about 1 m/s. 0 is off.
	Hold float64 `json:"hold,omitempty" yaml:"hold"`
	// Unstick, when > 0, frees a robot pinned against something its model
	// does not know, such as a wall its plans run through: when the
	// open loop just executed moved the robot less than PinnedMoved
	// while its plan said more than PinnedPlanned, the next Unstick
	// replans of that robot are sampled without guidance, from the model
	// alone. The Executor applies it (ExecutorConf.Unstick); it reads only
	// the robot's own observations, never a map. A robot within StopRadius
	// of its goal is never taken for pinned. 0 is off.
	Unstick int `json:"unstick" yaml:"unstick"`
	// Seed seeds the sampling noise.
	Seed uint64 `json:"seed" yaml:"seed"`
	// Objective is the distance to the goal that guidance shortens:
	// ObjectiveLine (the default, "" too) or ObjectiveLearned, the
	// distance learned from the data (Distance), which the df-td variant
	// always uses. A settings file may choose it for every df planner.
	Objective string `json:"objective,omitempty" yaml:"objective"`
	// Distance is the learned distance (distance.Model) for
	// ObjectiveLearned and df-td. It is not a setting of a file but a
	// model, given by the command line or shipped with the maze.
	Distance guidance.Field `json:"-" yaml:"-"`
	// DetourFrom and DetourTo, when DetourTo > 0, keep the straight line
	// where the learned distance is under DetourFrom times it (nothing in
	// the way) and use the learned distance where it is over DetourTo
	// times it (a wall in the way), blending between
	// (guidance.GoalReaching). df-td's 0 means DefaultDetour.
	DetourFrom float64 `json:"detour_from,omitempty" yaml:"detour_from"`
	DetourTo   float64 `json:"detour_to,omitempty" yaml:"detour_to"`
}

// The objectives (Config.Objective).
const (
	ObjectiveLine    = "line"    // the straight line to the goal
	ObjectiveLearned = "learned" // the distance learned from the data
)

// DefaultConfig fills the zero fields of a Config given to New (pyramid
// schedule, Monte Carlo Guidance): 15 tokens, 5 sampling steps, guidance
// 3, MCG 2, the settings the first, smaller models planned best with.
// dfplan bench and dfplan node do not start from it but from a named
// preset (Preset: paper, realtime), over which they lay the settings
// shipped with a maze's model (models/shipped/MAZE.plan.yaml) or given
// with --plan; docs/method.md, "Planner settings".
var DefaultConfig = Config{
	Schedule:      Pyramid,
	SamplingSteps: 5,
	HorizonTokens: 15,
	GuidanceScale: 3,
	MCGSamples:    2,
}

// A robot is pinned when its last open loop moved it less than
// PinnedMoved (m) while its plan moved it more than PinnedPlanned (m).
const (
	PinnedMoved   = 0.05
	PinnedPlanned = 0.20
)

// Upper bounds that keep a typo from allocating the machine away.
const (
	MaxHorizonTokens = 1000
	MaxMCGSamples    = 256
	// MaxUnstick bounds Config.Unstick.
	MaxUnstick = 100
)

// defaultStopRadius is Config.StopRadius's default (m).
const defaultStopRadius = 0.5

// FieldError is a Config field that cannot work. Field is its key in plan
// files and in the JSON config (sampling_steps, stop_weight, ...), so a
// command can name its flag or the setting in a file.
type FieldError struct {
	Field string
	Value any
	// Want says what would work, e.g. "want ≥ 1".
	Want string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("planner config: %s %v: %s", e.Field, e.Value, e.Want)
}

// withDefaults fills zero fields with their defaults for model config mc.
func (c Config) withDefaults(mc dynamics.Config) Config {
	if c.Schedule == "" {
		c.Schedule = DefaultConfig.Schedule
	}
	if c.SamplingSteps == 0 {
		c.SamplingSteps = DefaultConfig.SamplingSteps
	}
	if c.Uncertainty == 0 && c.Schedule == Pyramid {
		c.Uncertainty = 1
	}
	if c.HorizonTokens == 0 {
		c.HorizonTokens = DefaultConfig.HorizonTokens
	}
	if c.OpenLoop == 0 {
		c.OpenLoop = mc.FrameStack
	}
	if c.MCGSamples == 0 {
		c.MCGSamples = 1
	}
	if c.StopRadius == 0 {
		c.StopRadius = defaultStopRadius
	}
	if c.StopGate == 0 {
		c.StopGate = 2 * c.StopRadius
	}
	return c
}

// Validate returns a *FieldError for the first field of c that cannot
// work whatever the model, or nil. Zero fields that mean a default pass;
// SamplingSteps and MCGSamples must be given (≥ 1), as in a plan file or
// on a command line, where a 0 is a mistake. New checks the same rules
// after filling in defaults, and those that need the model.
func (c Config) Validate() error {
	bad := func(field string, v any, want string) error { return &FieldError{field, v, want} }
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case c.SamplingSteps < 1:
		return bad("sampling_steps", c.SamplingSteps, "want ≥ 1")
	case c.HorizonTokens < 0 || c.HorizonTokens > MaxHorizonTokens:
		return bad("horizon_tokens", c.HorizonTokens, fmt.Sprintf("want 1 … %d (0 = %d)", MaxHorizonTokens, DefaultConfig.HorizonTokens))
	case c.OpenLoop < 0:
		return bad("open_loop", c.OpenLoop, "want ≥ 1 (0 = one token)")
	case c.MCGSamples < 1 || c.MCGSamples > MaxMCGSamples:
		return bad("mcg_samples", c.MCGSamples, fmt.Sprintf("want 1 … %d", MaxMCGSamples))
	case !(c.Eta >= 0 && c.Eta <= 1):
		return bad("eta", c.Eta, "want 0 … 1")
	case !(c.GuidanceScale >= 0) || !finite(c.GuidanceScale):
		return bad("guidance_scale", c.GuidanceScale, "want ≥ 0")
	case !(c.Discount >= 0 && c.Discount <= 1):
		return bad("discount", c.Discount, "want 0 … 1")
	case !(c.StopWeight >= 0) || !finite(c.StopWeight):
		return bad("stop_weight", c.StopWeight, "want ≥ 0")
	case !(c.StopRadius >= 0) || !finite(c.StopRadius):
		return bad("stop_radius", c.StopRadius, "want > 0 (0 = 0.5)")
	case !(c.StopGate >= 0) || !finite(c.StopGate):
		return bad("stop_gate", c.StopGate, "want > 0 (0 = 2 × stop_radius)")
	case c.StopWeight > 0 && c.GuidanceScale == 0:
		return bad("stop_weight", c.StopWeight, "acts through guidance, and the guidance scale is 0")
	case c.Objective != "" && c.Objective != ObjectiveLine && c.Objective != ObjectiveLearned:
		return bad("objective", c.Objective, fmt.Sprintf("want %s or %s", ObjectiveLine, ObjectiveLearned))
	case c.DetourTo != 0 && !(c.DetourFrom > 0 && c.DetourTo > c.DetourFrom && finite(c.DetourTo)):
		return bad("detour_to", c.DetourTo, fmt.Sprintf("want > detour_from (%g) > 0, or 0 (off)", c.DetourFrom))
	case !(c.Hold >= 0) || !finite(c.Hold):
		return bad("hold", c.Hold, "want ≥ 0 (0 = off)")
	case c.Unstick < 0 || c.Unstick > MaxUnstick:
		return bad("unstick", c.Unstick, fmt.Sprintf("want 0 … %d", MaxUnstick))
	}
	return nil
}

// validate is Validate for a config with its defaults filled in, plus the
// rules that need the model config mc.
func (c Config) validate(mc dynamics.Config) error {
	if err := c.Validate(); err != nil {
		return err
	}
	switch {
	case c.SamplingSteps > mc.DiffusionSteps:
		return &FieldError{"sampling_steps", c.SamplingSteps, fmt.Sprintf("exceeds the model's %d diffusion steps", mc.DiffusionSteps)}
	case c.OpenLoop > c.HorizonTokens*mc.FrameStack:
		return &FieldError{"open_loop", c.OpenLoop, fmt.Sprintf("exceeds the horizon of %d frames", c.HorizonTokens*mc.FrameStack)}
	case c.StopWeight > 0 && (mc.ObsDim < 4 || mc.RelativeDims > 2):
		return &FieldError{"stop_weight", c.StopWeight, fmt.Sprintf("needs observations x, y, vx, vy with absolute velocities; the model has %d features, %d relative", mc.ObsDim, mc.RelativeDims)}
	case mc.ObsDim < 2:
		return fmt.Errorf("planner: model observations have %d features, need x and y", mc.ObsDim)
	}
	return nil
}
