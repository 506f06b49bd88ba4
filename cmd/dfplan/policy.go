package main

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/internal/strictyaml"
	"github.com/dfplan/dfplan/models"
	"github.com/dfplan/dfplan/planner"
	"github.com/dfplan/dfplan/sim"
)

func init() { newNodePolicy = newDFPolicy }

// Planner presets: the method and its ablations differ only in schedule and
// Monte Carlo samples; everything else comes from the flags.
func presetConfig(name string, base planner.Config) planner.Config {
	c := base
	switch name {
	case "df":
		if c.Schedule == "" {
			c.Schedule = planner.Pyramid
		}
	case "df-nomcg":
		if c.Schedule == "" {
			c.Schedule = planner.Pyramid
		}
		c.MCGSamples = 1
	case "fullseq":
		c.Schedule = planner.FullSequence
		c.Uncertainty = 0
		c.MCGSamples = 1
	}
	return c
}

// dfOptions are what a command says about its df planner beyond the maze.
type dfOptions struct {
	// Model is a checkpoint path; "" is the model shipped for the maze.
	Model string
	// Plan is a planner settings file; "" is the settings shipped with the
	// maze's model, if any, when Model is "". PlanFrom names where Plan
	// came from in messages ("--plan" if empty).
	Plan, PlanFrom string
	// StopWeight, when set, overrides the settings' stop weight.
	StopWeight *float64
	// Check builds the planner only to check the settings: nothing is
	// logged.
	Check bool
}

// newDFPolicy is the node's Diffusion Forcing planner for maze.
func newDFPolicy(maze *sim.Maze, o dfOptions) (planner.Policy, error) {
	m, err := loadModel(o.Model, maze)
	if err != nil {
		return nil, err
	}
	from := o.PlanFrom
	if from == "" {
		from = "--plan"
	}
	conf, source, err := planSettings(maze, m, o.Model, o.Plan, from)
	if err != nil {
		return nil, err
	}
	conf = presetConfig("df", conf)
	if o.StopWeight != nil {
		conf.StopWeight = *o.StopWeight
	}
	p, err := planner.New(m, conf)
	if err != nil {
		return nil, err
	}
	// Logged once the settings are known to work: a bad one is the only
	// line a failed start prints.
	if source != "" && !o.Check {
		slog.Info("planner settings", "from", source)
	}
	return p, nil
}

// planSettings returns the settings a df planner starts from: the node's
// (planner.DefaultConfig), overlaid with the YAML file at planPath (given
// as planFlag, e.g. "--plan") or, for the model shipped for the maze
// (modelPath ""), with the settings shipped beside it
// (models/shipped/MAZE.plan.yaml), if any. source names the overlay (""
// for none). The result is checked against model, so a bad file is
// reported by name.
func planSettings(maze *sim.Maze, model *dynamics.Model, modelPath, planPath, planFlag string) (conf planner.Config, source string, err error) {
	if conf, source, err = readPlanSettings(maze, modelPath, planPath, planFlag); err != nil || source == "" {
		return conf, source, err
	}
	if _, err := planner.New(model, presetConfig("df", conf)); err != nil {
		return conf, "", settingError(source, err)
	}
	return conf, source, nil
}

// readPlanSettings is planSettings without the check against a model:
// the file's keys, types and values alone.
func readPlanSettings(maze *sim.Maze, modelPath, planPath, planFlag string) (conf planner.Config, source string, err error) {
	conf = planner.DefaultConfig
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
	if err := strictyaml.Decode(data, &conf); err != nil {
		if fe := (*strictyaml.FractionError)(nil); errors.As(err, &fe) {
			return conf, "", fmt.Errorf("%s: %w", source, err)
		}
		return conf, "", fmt.Errorf("%s: %s (want one mapping of planner settings such as sampling_steps: 10)", source, strictyaml.Describe(err, ""))
	}
	if err := conf.Validate(); err != nil {
		return conf, "", settingError(source, err)
	}
	return conf, source, nil
}

// settingError names the planner setting in source that err (from
// planner.Config.Validate or planner.New) is about.
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
	if err := modelFitsMaze(m, maze); err != nil {
		return nil, fmt.Errorf("model %s: %w", name, err)
	}
	return m, nil
}

// modelFitsMaze checks a model against the maze it is asked to plan in:
// 4-D observations and 2-D actions, and training positions spread like the
// maze's free cells (a model trained on another maze has its position
// normalization elsewhere). The check is loose — within three quarters of a cell of the
// free cells' centroid and within a factor 2 of their spread — because
// the data covers corridors unevenly.
func modelFitsMaze(m *dynamics.Model, maze *sim.Maze) error {
	c := m.Config()
	if c.ObsDim != 4 || c.ActDim != 2 {
		return fmt.Errorf("trained on %d-D observations and %d-D actions; the maze simulator has 4 and 2", c.ObsDim, c.ActDim)
	}
	cells := maze.FreeCells()
	var mean, sq [2]float64
	for _, cell := range cells {
		p := cell.Center()
		mean[0] += p.X
		mean[1] += p.Y
		sq[0] += p.X * p.X
		sq[1] += p.Y * p.Y
	}
	n := m.Normalization()
	for i := range 2 {
		mu := mean[i] / float64(len(cells))
		sd := math.Sqrt(math.Max(sq[i]/float64(len(cells))-mu*mu, 1e-6)) + 0.3 // + spread within a cell
		if math.Abs(n.Mean[i]-mu) > 0.75 || n.Std[i] > 2*sd || n.Std[i] < sd/2 {
			return fmt.Errorf("trained on positions with mean (%.2f, %.2f) and std (%.2f, %.2f), which do not fit maze %s (free cells around %.2f ± %.2f on axis %d): trained on another maze? pass a --model trained on %s",
				n.Mean[0], n.Mean[1], n.Std[0], n.Std[1], maze.Name(), mu, sd, i, maze.Name())
		}
	}
	return nil
}
