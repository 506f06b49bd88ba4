package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/dfplan/dfplan/distance"
	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/internal/strictyaml"
	"github.com/dfplan/dfplan/models"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

func init() { newNodePolicy = newDFPolicy }

// dfOptions are what a command says about its df planner beyond the maze.
type dfOptions struct {
	// Preset names the planner preset the settings start from
	// (planner.Preset); "" is the node's, realtime.
	Preset string
	// Model is a checkpoint path; "" is the model shipped for the maze.
	Model string
	// Plan is a planner settings file; "" is the settings shipped with the
	// maze's model, if any, when Model is "". PlanFrom names where Plan
	// came from in messages ("--plan" if empty).
	Plan, PlanFrom string
	// StopWeight and Hold, when set, override the settings'.
	StopWeight, Hold *float64
	// Check builds the planner only to check the settings: nothing is
	// logged.
	Check bool
}

// defaultNodePreset is the planner preset dfplan node plans with unless
// --preset says otherwise.
const defaultNodePreset = planner.PresetRealtime

// newDFPolicy is the node's Diffusion Forcing planner for maze. Its
// settings are, each over the one before: the preset, the settings file
// (planSettings), the stop weight given, the df variant.
func newDFPolicy(maze *sim.Maze, o dfOptions) (planner.Policy, error) {
	if o.Preset == "" {
		o.Preset = defaultNodePreset
	}
	base, err := presetConfig(o.Preset)
	if err != nil {
		return nil, err
	}
	m, err := loadModel(o.Model, maze)
	if err != nil {
		return nil, err
	}
	from := o.PlanFrom
	if from == "" {
		from = "--plan"
	}
	conf, source, err := planSettings(maze, m, base, o.Model, o.Plan, from)
	if err != nil {
		return nil, err
	}
	if o.StopWeight != nil {
		conf.StopWeight = *o.StopWeight
	}
	if o.Hold != nil {
		conf.Hold = *o.Hold
	}
	if conf.Objective == planner.ObjectiveLearned {
		if conf.Distance, _, err = learnedDistance("", maze); err != nil {
			return nil, err
		}
	}
	if conf, err = planner.Variant(planner.VariantDF, conf); err != nil {
		return nil, err
	}
	p, err := planner.New(m, conf)
	if err != nil {
		return nil, err
	}
	// Logged once the settings are known to work: a bad one is the only
	// line a failed start prints.
	if !o.Check {
		logPlanSettings(o.Preset, source)
	}
	return p, nil
}

// presetConfig returns the Config of the planner preset name, or a usage
// error naming --preset and the presets there are.
func presetConfig(name string) (planner.Config, error) {
	c, err := planner.Preset(name)
	if err != nil {
		return c, usagef("--preset %s: want %s", name, planner.PresetList())
	}
	return c, nil
}

// logPlanSettings logs where a df planner's settings came from: the
// preset, and the settings file over it (source, "" for none).
func logPlanSettings(preset, source string) {
	args := []any{"preset", preset}
	if source != "" {
		args = append(args, "from", source)
	}
	slog.Info("planner settings", args...)
}

// planSettings returns the settings a df planner starts from: base (a
// preset's), overlaid with the YAML file at planPath (given as planFlag,
// e.g. "--plan") or, for the model shipped for the maze (modelPath ""),
// with the settings shipped beside it (models/shipped/MAZE.plan.yaml), if
// any. source names the overlay ("" for none). The result is checked
// against model, so a bad file is reported by name.
func planSettings(maze *sim.Maze, model *dynamics.Model, base planner.Config, modelPath, planPath, planFlag string) (conf planner.Config, source string, err error) {
	if conf, source, err = readPlanSettings(maze, base, modelPath, planPath, planFlag); err != nil || source == "" {
		return conf, source, err
	}
	// The learned distance is loaded after the settings (learnedDistance):
	// the file's other settings are checked with the straight line.
	check := conf
	if check.Objective == planner.ObjectiveLearned {
		check.Objective = ""
	}
	df, err := planner.Variant(planner.VariantDF, check)
	if err != nil {
		return conf, "", err
	}
	if _, err := planner.New(model, df); err != nil {
		return conf, "", settingError(source, err)
	}
	return conf, source, nil
}

// readPlanSettings is planSettings without the check against a model:
// the file's keys, types and values alone.
func readPlanSettings(maze *sim.Maze, base planner.Config, modelPath, planPath, planFlag string) (conf planner.Config, source string, err error) {
	conf = base
	var data []byte
	switch {
	case planPath != "":
		source = planFlag + " " + planPath
		if data, err = os.ReadFile(planPath); err != nil {
			return conf, "", fmt.Errorf("%s: %w", planFlag, err)
		}
	case modelPath == "":
		if data = models.PlanFor(maze.Name()); data == nil {
			return conf, "", nil
		}
		source = "planner settings shipped for " + maze.Name()
	default:
		return conf, "", nil
	}
	if conf, err = planner.DecodeConfig(data, conf); err != nil {
		var (
			fe *planner.FieldError
			fr *strictyaml.FractionError
		)
		if !errors.As(err, &fe) && !errors.As(err, &fr) { // the file's keys or types
			return conf, "", fmt.Errorf("%s: %s (want one mapping of planner settings such as sampling_steps: 10)", source, strictyaml.Describe(err, ""))
		}
		return conf, "", settingError(source, err)
	}
	return conf, source, nil
}

// settingError names the planner setting in source that err (from
// planner.DecodeConfig or planner.New) is about, if it is about one.
func settingError(source string, err error) error {
	if fe := (*planner.FieldError)(nil); errors.As(err, &fe) {
		return fmt.Errorf("%s: %s %v: %s", source, fe.Field, fe.Value, fe.Want)
	}
	return fmt.Errorf("%s: %w", source, err)
}

// loadModel reads the checkpoint at path, or the model shipped for the
// maze, and checks that it fits the maze.
func loadModel(path string, maze *sim.Maze) (*dynamics.Model, error) {
	var (
		m   *dynamics.Model
		err error
	)
	name := path
	if path != "" {
		m, _, err = dynamics.Load(path)
		if err != nil {
			return nil, fmt.Errorf("--model: %w", err)
		}
	} else {
		name = "shipped model for " + maze.Name()
		m, _, err = models.For(maze.Name())
		if err != nil {
			return nil, fmt.Errorf("--maze %s: %w", maze.Name(), err)
		}
	}
	if err := models.FitsMaze(m, maze); err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	return m, nil
}

// learnedDistance reads the learned distance at path, or the one shipped
// for maze when path is "", and names where it came from.
func learnedDistance(path string, maze *sim.Maze) (*distance.Model, string, error) {
	if path != "" {
		d, err := distance.Load(path)
		if err != nil {
			return nil, "", fmt.Errorf("--distance: %w", err)
		}
		return d, path, nil
	}
	d, err := models.DistanceFor(maze.Name())
	if err != nil {
		return nil, "", usagef("the learned objective (df-td, objective: learned): %v", err)
	}
	return d, "shipped for " + maze.Name(), nil
}
