package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/dfplan/dfplan/d4rl"
	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/internal/atomicfile"
)

func init() { subcommands = append(subcommands, newModelCmd) }

func newModelCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "model",
		Short: "Inspect trained models",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("model: name a subcommand (see 'dfplan model --help')")
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "info MODEL.safetensors",
		Short: "Print a model's config, normalization and provenance as JSON",
		Long: `Info verifies the checkpoint (format, checksum, weights against config) and
prints JSON with the keys config, normalization, provenance (provenance.steps
is the number of optimizer steps taken), checksum, parameters and kind:
"checkpoint" for a training checkpoint (weights and optimizer state, what
'dfplan train --resume' continues) or "model" for weights only (what 'dfplan
model export' writes and what ships in the binary).`,
		Example: `  dfplan model info umaze.safetensors
  dfplan model info umaze.safetensors | jq .provenance.val_loss`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("model info: want exactly one MODEL file, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			_, meta, err := dynamics.Load(args[0])
			if err != nil {
				return err
			}
			b, err := json.MarshalIndent(meta, "", "  ")
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), string(b))
			return nil
		},
	})
	cmd.AddCommand(newModelEvalCmd(), newModelExportCmd())
	return cmd
}

func newModelExportCmd() *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "export CHECKPOINT.safetensors --out MODEL.safetensors",
		Short: "Write the weights-only model of a training checkpoint",
		Long: `Export verifies a checkpoint and writes, atomically, a model file with its
weights, normalization and provenance but without the optimizer state: about
a third of the size, what the planner reads and what ships in the binary. The
export cannot be resumed; keep the checkpoint for that.`,
		Example: `  dfplan model export medium-ckpt.safetensors --out models/shipped/medium.safetensors`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("model export: want exactly one CHECKPOINT file, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usagef("model export: --out is required (the weights-only .safetensors to write)")
			}
			if same, err := sameFile(args[0], out); err != nil {
				return err
			} else if same {
				return usagef("model export: --out %s is the checkpoint itself; choose another file", out)
			}
			m, meta, err := dynamics.Load(args[0])
			if err != nil {
				return err
			}
			if err := m.Save(out, meta.Provenance); err != nil {
				return err
			}
			in, _ := os.Stat(args[0])
			ex, err := os.Stat(out)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "exported %s (%s, %d bytes) to %s (%s, %d bytes, %d parameters)\n",
				args[0], meta.Kind, in.Size(), out, dynamics.KindModel, ex.Size(), meta.Parameters)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "weights-only model file to write (.safetensors)")
	return cmd
}

// sameFile reports whether a and b name the same existing file (b may not
// exist yet).
func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, fmt.Errorf("load model: %w", err)
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, nil
	}
	return os.SameFile(sa, sb), nil
}

func newModelEvalCmd() *cobra.Command {
	var (
		data, jsonPath   string
		noise            []float64
		windows, horizon int
		seed             uint64
	)
	cmd := &cobra.Command{
		Use:         "eval MODEL.safetensors --data FILE.npz",
		Annotations: map[string]string{usesNetwork: "yes"},
		Short:       "Measure how well a model recovers clean tokens at given noise levels",
		Long: `Eval noises every token of random windows of --data to one noise level,
lets the model predict the clean tokens, and prints the error next to that of
predicting the data mean (normalized MSE, and position RMSE in data units).
Use data the model was not trained on, e.g. 'dfplan gen' with another seed.`,
		Example: `  dfplan gen --maze umaze --steps 100000 --seed 99 --out heldout.npz
  dfplan model eval umaze.safetensors --data heldout.npz --noise 0.1,0.5,0.9`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("model eval: want exactly one MODEL file, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case data == "":
				return usagef("model eval: --data is required")
			case windows < 1:
				return usagef("--windows %d: want ≥ 1", windows)
			case horizon < 1:
				return usagef("--horizon %d: want ≥ 1", horizon)
			}
			for _, f := range noise {
				if !(f >= 0 && f <= 1) {
					return usagef("--noise %g: want fractions in [0, 1]", f)
				}
			}
			m, _, err := dynamics.Load(args[0])
			if err != nil {
				return err
			}
			d, err := d4rl.Read(data)
			if err != nil {
				return fmt.Errorf("--data: %w", err)
			}
			res, err := dynamics.EvalReconstruction(m, d, noise, windows, horizon, seed)
			if err != nil {
				return fmt.Errorf("eval %s on %s: %w", args[0], data, err)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "noise\tlevel\tmodel mse\tmean mse\tmodel pos rmse\tmean pos rmse\t")
			for _, r := range res {
				fmt.Fprintf(tw, "%.0f%%\t%d\t%.4f\t%.4f\t%.4f\t%.4f\t\n", 100*r.Fraction, r.Level, r.ModelMSE, r.MeanMSE, r.ModelPosRMSE, r.MeanPosRMSE)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if jsonPath != "" {
				return atomicfile.Write(jsonPath, func(w io.Writer) error {
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					return enc.Encode(res)
				})
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "dataset (.npz, D4RL keys) the model was not trained on")
	fl.Float64SliceVar(&noise, "noise", []float64{0.1, 0.5, 0.9}, "noise levels as fractions of T")
	fl.IntVar(&windows, "windows", 512, "number of random windows")
	fl.IntVar(&horizon, "horizon", 32, "tokens per window")
	fl.Uint64Var(&seed, "seed", 1, "seed for windows and noise")
	fl.StringVar(&jsonPath, "json", "", "also write the results as JSON to this file")
	return cmd
}
