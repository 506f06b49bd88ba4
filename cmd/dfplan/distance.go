package main

import (
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/dfplan/dfplan/d4rl"
	"github.com/dfplan/dfplan/distance"
)

func init() { subcommands = append(subcommands, newTrainDistanceCmd) }

func newTrainDistanceCmd() *cobra.Command {
	var (
		data, out, configPath string
		steps                 int
		seed                  uint64
	)
	cmd := &cobra.Command{
		Use:         "train-distance --data FILE.npz --out DIST.safetensors",
		Annotations: map[string]string{usesNetwork: "yes"},
		Short:       "Train the learned goal distance that the df-td planner is guided by",
		Long: `Train-distance fits a goal-conditioned temporal distance (distance package)
to the positions in a .npz dataset: for two positions the data passes k
steps apart, the target is k times the data's mean step length, bounded by
bootstrapping from where the data is a few steps further on, and fitted by
a low expectile so that the quickest connection the data shows wins. It
reads no map; the distance runs around walls because the data does. The
defaults are the recipe of the shipped distance models
(models/shipped/distance.md): 13–19 minutes on one core for maze2d.

--config FILE.yaml overrides the defaults, with the sections model:
(hidden, layers, fourier, fourier_scale) and train: (steps, batch, lr,
max_gap, expectile, val_frac, seed, td_steps, random_goals, target_rate).
--steps and --seed override the file. Runs on one thread; the model is
written atomically at the end (an interrupted run writes nothing).`,
		Example: `  dfplan train-distance --data medium.npz --out medium.distance.safetensors`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			if data == "" || out == "" {
				return usagef("train-distance: --data and --out are required")
			}
			cfg, tc := distance.DefaultConfig(), distance.DefaultTrainConfig()
			if configPath != "" {
				// The same two sections as dfplan train's, with the
				// distance package's keys.
				file, err := readTrainFile(configPath)
				if err != nil {
					return err
				}
				if err := decodeSection(file.Model, &cfg, configPath, "model"); err != nil {
					return err
				}
				if err := decodeSection(file.Train, &tc, configPath, "train"); err != nil {
					return err
				}
			}
			if f.Changed("steps") {
				tc.Steps = steps
			}
			if f.Changed("seed") {
				tc.Seed = seed
			}
			if err := cfg.Validate(); err != nil {
				return usagef("%v", err)
			}
			if err := tc.Validate(); err != nil {
				return usagef("%v", err)
			}
			if err := checkWritableDir(out); err != nil {
				return err
			}
			sum, err := fileSHA256(data)
			if err != nil {
				return fmt.Errorf("--data: %w", err)
			}
			ds, err := d4rl.Read(data)
			if err != nil {
				return err
			}
			prev := runtime.GOMAXPROCS(1)
			defer runtime.GOMAXPROCS(prev)
			slog.Info("training distance", "data", data, "frames", ds.N, "hidden", cfg.Hidden, "layers", cfg.Layers,
				"steps", tc.Steps, "batch", tc.Batch, "max_gap", tc.MaxGap, "expectile", tc.Expectile)
			p := newProgress(cmd.ErrOrStderr(), "train-distance")
			m, err := distance.Train(cmd.Context(), ds, cfg, tc, func(pt distance.Point) {
				p.Describe(fmt.Sprintf("loss %.4f val %.4f", pt.Train, pt.Val))
				p.Update(pt.Step, tc.Steps)
				if !p.Terminal() {
					slog.Info("train-distance", "step", pt.Step, "of", tc.Steps, "loss", fmt.Sprintf("%.4f", pt.Train), "val_loss", fmt.Sprintf("%.4f", pt.Val))
				}
			})
			p.Done()
			if err != nil {
				return fmt.Errorf("train-distance on %s: %w", data, err)
			}
			m.Summary.Command, m.Summary.Data, m.Summary.DataSHA256 = commandLine(cmd), data, sum
			m.Summary.Date = time.Now().UTC().Format(time.RFC3339)
			if err := m.Save(out); err != nil {
				return err
			}
			s := m.Summary
			fmt.Fprintf(cmd.OutOrStdout(), "trained %s: %d parameters, %d steps × %d pairs, loss %.4f → %.4f, held-out %.4f, %.0f s\n",
				out, s.Params, s.Steps, s.Batch, s.FirstLoss, s.TrainLoss, s.ValLoss, s.Seconds)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "training dataset (.npz with D4RL keys)")
	fl.StringVar(&out, "out", "", "distance model to write (.safetensors)")
	fl.StringVar(&configPath, "config", "", "YAML file overriding model and train settings (see --help)")
	fl.IntVar(&steps, "steps", distance.DefaultTrainConfig().Steps, "Adam steps")
	fl.Uint64Var(&seed, "seed", distance.DefaultTrainConfig().Seed, "random seed (initialization and pairs)")
	return cmd
}
