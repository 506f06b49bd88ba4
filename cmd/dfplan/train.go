package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/dfplan/dfplan/d4rl"
	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/internal/strictyaml"
	"github.com/dfplan/dfplan/internal/sysmem"
)

func init() { subcommands = append(subcommands, newTrainCmd) }

// trainFile is the --config YAML: model architecture and training settings.
type trainFile struct {
	Model map[string]any `yaml:"model"`
	Train map[string]any `yaml:"train"`
}

func newTrainCmd() *cobra.Command {
	var (
		data, out, configPath string
		initPath, engine      string
		steps, batch, threads int
		seed                  int64
		resume                bool
		every                 time.Duration
	)
	cmd := &cobra.Command{
		Use:         "train --data FILE.npz --out MODEL.safetensors",
		Annotations: map[string]string{usesNetwork: "yes"},
		Short:       "Train a Diffusion Forcing dynamics model on a D4RL-style dataset",
		Long: `Train fits the causal Diffusion Forcing network (dynamics package) to the
trajectories in a .npz dataset: windows of tokens with independent noise
levels, weighted MSE on the predicted clean tokens, AdamW.

A resumable checkpoint (weights, optimizer state and random-number position)
is written atomically to --out every --checkpoint-every, on Ctrl-C and at
the end; after a crash, the same command with --resume continues the same
loss curve. The final summary goes to stdout and into the checkpoint's
provenance ('dfplan model info').

--config FILE.yaml overrides defaults, with two sections whose keys are the
snake_case fields of dynamics.Config and dynamics.TrainConfig:

  model:
    hidden: 256
    z_dim: 128
  train:
    horizon: 16
    lr: 5.0e-4

--steps, --batch and --seed override the file.

--init MODEL.safetensors starts a new run from another model's weights
(fine-tuning, e.g. with a changed token_decay): its architecture and
normalization are kept, its training settings are the starting point for
--config and the flags, and the optimizer and learning-rate schedule start
afresh. --steps is then required: the number of fine-tuning steps, counted
from 0, not from the init's step count. The init file is only read; its
name and checksum go into the new model's provenance. An interrupted
fine-tune continues with the same command plus --resume.`,
		Example: `  dfplan train --data umaze.npz --out umaze.safetensors --steps 20000
  dfplan train --data medium.npz --out medium.safetensors --config medium.yaml --checkpoint-every 10m
  dfplan train --data umaze.npz --out umaze.safetensors --steps 40000 --resume   # continue after a kill
  dfplan train --data large.npz --out large-ft.safetensors --init large.safetensors --config ft.yaml --steps 5000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			f := cmd.Flags()
			switch {
			case data == "":
				return usagef("train: --data is required (a .npz dataset, e.g. from 'dfplan gen')")
			case out == "":
				return usagef("train: --out is required (the .safetensors model to write)")
			case f.Changed("steps") && steps < 0:
				return usagef("--steps %d: must be ≥ 0", steps)
			case f.Changed("batch") && batch < 1:
				return usagef("--batch %d: must be ≥ 1", batch)
			case threads < 1:
				return usagef("--threads %d: must be ≥ 1 (this machine has %d cores)", threads, runtime.NumCPU())
			case f.Changed("engine") && engine != dynamics.EngineNative && engine != dynamics.EngineGraph:
				return usagef("--engine %q: want %q (the hand-written passes, default) or %q (gorgonia's graph, the reference)", engine, dynamics.EngineNative, dynamics.EngineGraph)
			case every <= 0:
				return usagef("--checkpoint-every %v: must be a positive duration such as 5m", every)
			}
			prev := runtime.GOMAXPROCS(threads)
			defer runtime.GOMAXPROCS(prev)
			var file trainFile
			if configPath != "" {
				var err error
				if file, err = readTrainFile(configPath); err != nil {
					return err
				}
			}
			if resume {
				if _, err := os.Stat(out); errors.Is(err, fs.ErrNotExist) {
					slog.Info("no checkpoint to resume; starting fresh", "out", out)
				}
			}
			if err := checkWritableDir(out); err != nil {
				return err
			}
			// The config file, then the flags, over the starting configs.
			overlay := func(cfg *dynamics.Config, tc *dynamics.TrainConfig) error {
				if err := decodeSection(file.Model, cfg, configPath, "model"); err != nil {
					return err
				}
				if err := decodeSection(file.Train, tc, configPath, "train"); err != nil {
					return err
				}
				if f.Changed("steps") {
					tc.Steps = steps
				}
				if f.Changed("batch") {
					tc.Batch = batch
				}
				if f.Changed("seed") {
					tc.Seed = seed
				}
				if f.Changed("engine") {
					tc.Engine = engine
				}
				return nil
			}
			start, err := dynamics.Resolve(dynamics.RunSpec{Out: out, Resume: resume, Init: initPath, Overlay: overlay, StepsGiven: f.Changed("steps")})
			if err != nil {
				return startError(err, out)
			}
			cfg, tc := start.Config, start.Train

			sum, err := fileSHA256(data)
			if err != nil {
				return fmt.Errorf("--data: %w", err)
			}
			if err := start.CheckData("--data "+data, sum); err != nil {
				return startError(err, out)
			}
			ds, err := d4rl.Read(data)
			if err != nil {
				return err
			}
			if ds.ObsDim != cfg.ObsDim || ds.ActDim != cfg.ActDim {
				return fmt.Errorf("--data %s: observations have %d and actions %d columns, the model config wants obs_dim %d and act_dim %d",
					data, ds.ObsDim, ds.ActDim, cfg.ObsDim, cfg.ActDim)
			}
			if need := dynamics.TrainMemory(cfg, tc, ds.N, threads); need > 0 {
				if avail, err := sysmem.Available(); err == nil && need > avail {
					return usagef("train: batch %d × horizon %d of a %d-parameter model on %d frames needs about %s, but %s is available; lower --batch or train.horizon",
						tc.Batch, tc.Horizon, dynamics.ParamCount(cfg), ds.N, sysmem.Format(need), sysmem.Format(avail))
				}
			}
			prov := dynamics.Provenance{Command: commandLine(cmd), Data: data, DataSHA256: sum}
			tr, err := start.NewTrainer(ds, &prov)
			if err != nil {
				return fmt.Errorf("train on %s: %w", data, err)
			}
			nTrain, nVal := tr.Windows()
			slog.Info("training", "data", data, "frames", ds.N, "train_windows", nTrain, "val_windows", nVal,
				"parameters", tr.Model().NumParams(), "from_step", tr.Step(), "steps", tc.Steps,
				"batch", tc.Batch, "horizon", tc.Horizon, "engine", tc.Engine, "threads", runtime.GOMAXPROCS(0))

			ctx := cmd.Context() // a signal ends it (main)
			rep := newTrainReporter(cmd.ErrOrStderr(), tr.Step(), tc.Steps)
			s, err := tr.Run(ctx, dynamics.RunOptions{
				CheckpointPath:  out,
				CheckpointEvery: every,
				Provenance:      prov,
				Progress:        rep.update,
				Checkpointed: func(step int, took time.Duration) {
					slog.Info("checkpoint written", "path", out, "step", step, "took", took.Round(time.Millisecond))
				},
			})
			rep.done()
			if err != nil {
				if ctx.Err() != nil {
					return fmt.Errorf("%v at step %d; checkpoint in %s, continue with --resume", context.Cause(ctx), s.Steps, out)
				}
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "trained %s: %s\n", out, s)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "training dataset (.npz with D4RL keys)")
	fl.StringVar(&out, "out", "", "model checkpoint to write (.safetensors); also the resume point")
	fl.IntVar(&steps, "steps", dynamics.DefaultTrainConfig().Steps, "optimizer steps to reach (a resumed run continues up to it)")
	fl.IntVar(&batch, "batch", dynamics.DefaultTrainConfig().Batch, "sequences per optimizer step")
	fl.Int64Var(&seed, "seed", 0, "random seed (initialization, windows, noise)")
	fl.StringVar(&configPath, "config", "", "YAML file overriding model and train settings (see --help)")
	fl.BoolVar(&resume, "resume", false, "continue from the checkpoint in --out (starts fresh if there is none)")
	fl.StringVar(&initPath, "init", "", "start a new run from this model's weights (fine-tuning; see --help)")
	fl.IntVar(&threads, "threads", runtime.NumCPU(), "CPU threads to use")
	fl.StringVar(&engine, "engine", dynamics.EngineNative, `gradient engine: "native" (hand-written passes) or "graph" (gorgonia, the reference)`)
	fl.DurationVar(&every, "checkpoint-every", 5*time.Minute, "wall time between checkpoints (e.g. 5m, 30s)")
	return cmd
}

// startError turns a dynamics.StartError into the command's terms: the
// setting it names becomes its flag, and a usage problem exits 2.
func startError(err error, out string) error {
	var se *dynamics.StartError
	if !errors.As(err, &se) {
		return err
	}
	if errors.Is(err, dynamics.ErrExists) {
		return fmt.Errorf("--out %s exists; pass --resume to continue training it, or choose another file", out)
	}
	msg := se.Err.Error()
	switch se.Setting {
	case "init":
		if se.Usage {
			msg = "--init needs --steps: " + msg
		} else {
			msg = "--init: " + msg
		}
	case "resume":
		msg = "--resume: " + msg
	}
	if se.Usage {
		return usagef("%s", msg)
	}
	return errors.New(msg)
}

// readTrainFile parses --config strictly: unknown sections are errors.
func readTrainFile(path string) (trainFile, error) {
	var tf trainFile
	b, err := os.ReadFile(path)
	if err != nil {
		return tf, fmt.Errorf("--config: %w", err)
	}
	if err := strictyaml.Decode(b, &tf); err != nil {
		return tf, fmt.Errorf("--config %s: %s (want sections model: and train:)", path, strictyaml.Describe(err, ""))
	}
	return tf, nil
}

// decodeSection overlays one YAML section on v, rejecting unknown keys.
func decodeSection(n map[string]any, v any, path, section string) error {
	if n == nil {
		return nil
	}
	b, err := yaml.Marshal(n)
	if err != nil {
		return fmt.Errorf("--config %s: %s: %v", path, section, err)
	}
	if err := strictyaml.Decode(b, v); err != nil {
		return fmt.Errorf("--config %s: %s", path, strictyaml.Describe(err, section+"."))
	}
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// commandLine reconstructs the invocation for provenance.
func commandLine(cmd *cobra.Command) string {
	parts := []string{cmd.CommandPath()}
	cmd.Flags().Visit(func(f *pflag.Flag) { parts = append(parts, "--"+f.Name+"="+f.Value.String()) })
	return strings.Join(parts, " ")
}

// trainReporter shows a progress bar with the loss on a terminal, and
// otherwise logs one line every 30 s.
type trainReporter struct {
	p        *progress
	last     time.Time
	from     int
	lastLine dynamics.Progress
}

func newTrainReporter(w io.Writer, from, total int) *trainReporter {
	r := &trainReporter{p: newProgress(w, "train"), last: time.Now(), from: from}
	r.p.Update(from, total)
	return r
}

func (r *trainReporter) update(p dynamics.Progress) {
	r.lastLine = p
	if r.p.bar != nil {
		desc := fmt.Sprintf("train loss %.4f", p.TrainLoss)
		if p.HasVal {
			desc += fmt.Sprintf(" val %.4f", p.ValLoss)
		}
		desc += fmt.Sprintf(" · %.0f tokens/s", p.TokensPerSec)
		r.p.Describe(desc)
		r.p.Update(p.Step, p.Steps)
		return
	}
	if time.Since(r.last) >= 30*time.Second {
		r.last = time.Now()
		args := []any{"step", p.Step, "of", p.Steps, "loss", fmt.Sprintf("%.4f", p.TrainLoss),
			"tokens_per_s", fmt.Sprintf("%.0f", p.TokensPerSec), "steps_per_s", fmt.Sprintf("%.2f", p.StepsPerSec),
			"remaining", p.Remaining.Round(time.Second), "lr", fmt.Sprintf("%.2e", p.LR)}
		if p.HasVal {
			args = append(args, "val_loss", fmt.Sprintf("%.4f", p.ValLoss))
		}
		slog.Info("train", args...)
	}
}

func (r *trainReporter) done() { r.p.Done() }
