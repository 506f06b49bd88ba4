package main

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/internal/d4rl"
	"github.com/dfplan/dfplan/internal/strictyaml"
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
		initPath              string
		steps, batch, threads int
		seed                  int64
		resume                bool
		every                 time.Duration
	)
	cmd := &cobra.Command{
		Use:   "train --data FILE.npz --out MODEL.safetensors",
		Short: "Train a Diffusion Forcing dynamics model on a D4RL-style dataset",
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
			case threads < 0:
				return usagef("--threads %d: must be ≥ 0 (0 = all cores)", threads)
			case every <= 0:
				return usagef("--checkpoint-every %v: must be a positive duration such as 5m", every)
			}
			if threads > 0 {
				prev := runtime.GOMAXPROCS(threads)
				defer runtime.GOMAXPROCS(prev)
			}
			var file trainFile
			if configPath != "" {
				var err error
				if file, err = readTrainFile(configPath); err != nil {
					return err
				}
			}

			// Resume state, if any, comes first: it supplies the configs.
			var ckpt []byte
			if resume {
				b, err := os.ReadFile(out)
				switch {
				case errors.Is(err, fs.ErrNotExist):
					slog.Info("no checkpoint to resume; starting fresh", "out", out)
				case err != nil:
					return fmt.Errorf("--resume: %w", err)
				default:
					ckpt = b
				}
			} else if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("--out %s exists; pass --resume to continue training it, or choose another file", out)
			}
			if err := checkWritableDir(out); err != nil {
				return err
			}

			cfg, tc := dynamics.DefaultConfig(), dynamics.DefaultTrainConfig()
			var (
				meta      *dynamics.Meta
				initModel *dynamics.Model
				initMeta  *dynamics.Meta
			)
			if initPath != "" {
				var err error
				if initModel, initMeta, err = dynamics.Load(initPath); err != nil {
					return fmt.Errorf("--init: %w", err)
				}
				cfg = initMeta.Config
				if initMeta.Provenance.Train != nil {
					tc = *initMeta.Provenance.Train
				}
			}
			if ckpt != nil {
				var err error
				if _, meta, err = dynamics.LoadBytes(ckpt, out); err != nil {
					return fmt.Errorf("--resume: %w", err)
				}
				if meta.Provenance.Train == nil || !meta.Resumable {
					return fmt.Errorf("--resume: %s holds no training state; train into a new --out", out)
				}
				cfg, tc = meta.Config, *meta.Provenance.Train
				if initMeta != nil && meta.Provenance.InitChecksum != initMeta.Checksum {
					return fmt.Errorf("--resume: %s was not fine-tuned from --init %s (checksums differ); drop --init to continue it, or choose another --out", out, initPath)
				}
			} else if initMeta != nil && !f.Changed("steps") {
				return usagef("--init needs --steps: the number of fine-tuning steps")
			}
			if err := decodeSection(file.Model, &cfg, configPath, "model"); err != nil {
				return err
			}
			if err := decodeSection(file.Train, &tc, configPath, "train"); err != nil {
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
			if tc.Shards > tc.Batch {
				tc.Shards = tc.Batch
			}
			if err := cfg.Validate(); err != nil {
				return usagef("%v", err)
			}
			if err := tc.Validate(); err != nil {
				return usagef("%v", err)
			}
			if meta != nil && meta.Config != cfg {
				return fmt.Errorf("--resume: the model config differs from the checkpoint's %+v; drop the model section or start a new --out", meta.Config)
			}
			if initMeta != nil && initMeta.Config != cfg {
				return fmt.Errorf("--init %s: the model config differs from the init's %+v; drop the model section", initPath, initMeta.Config)
			}

			sum, err := fileSHA256(data)
			if err != nil {
				return fmt.Errorf("--data: %w", err)
			}
			if meta != nil && meta.Provenance.DataSHA256 != "" && meta.Provenance.DataSHA256 != sum {
				return fmt.Errorf("--resume: %s was trained on data with SHA-256 %s, but --data %s has %s", out, meta.Provenance.DataSHA256, data, sum)
			}
			dd, err := readDataset(data)
			if err != nil {
				return err
			}
			ds := dd
			if ds.ObsDim != cfg.ObsDim || ds.ActDim != cfg.ActDim {
				return fmt.Errorf("--data %s: observations have %d and actions %d columns, the model config wants obs_dim %d and act_dim %d",
					data, ds.ObsDim, ds.ActDim, cfg.ObsDim, cfg.ActDim)
			}
			prov := dynamics.Provenance{Command: commandLine(cmd), Data: data, DataSHA256: sum}
			var tr *dynamics.Trainer
			switch {
			case ckpt != nil:
				tr, _, err = dynamics.ResumeTrainer(out, ckpt, tc, dd)
				prov.Init, prov.InitChecksum = meta.Provenance.Init, meta.Provenance.InitChecksum
			case initModel != nil:
				tr, err = dynamics.FineTuneTrainer(initModel, tc, dd)
				prov.Init, prov.InitChecksum = initPath, initMeta.Checksum
			default:
				tr, err = dynamics.NewTrainer(cfg, tc, dd)
			}
			if err != nil {
				return fmt.Errorf("train on %s: %w", data, err)
			}
			nTrain, nVal := tr.Windows()
			slog.Info("training", "data", data, "frames", ds.N, "train_windows", nTrain, "val_windows", nVal,
				"parameters", tr.Model().NumParams(), "from_step", tr.Step(), "steps", tc.Steps,
				"batch", tc.Batch, "horizon", tc.Horizon, "threads", runtime.GOMAXPROCS(0))

			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			rep := newTrainReporter(cmd.ErrOrStderr(), tr.Step(), tc.Steps)
			s, err := tr.Run(ctx, dynamics.RunOptions{
				CheckpointPath:  out,
				CheckpointEvery: every,
				Provenance:      prov,
				Progress:        rep.update,
			})
			rep.done()
			if err != nil {
				if ctx.Err() != nil {
					return fmt.Errorf("interrupted at step %d; checkpoint in %s, continue with --resume", s.Steps, out)
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
	fl.IntVar(&threads, "threads", 0, "CPU threads to use (0 = all cores)")
	fl.DurationVar(&every, "checkpoint-every", 5*time.Minute, "wall time between checkpoints (e.g. 5m, 30s)")
	return cmd
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
		r.p.Describe(desc)
		r.p.Update(p.Step, p.Steps)
		return
	}
	if time.Since(r.last) >= 30*time.Second {
		r.last = time.Now()
		eta := time.Duration(0)
		if p.StepsPerSec > 0 {
			eta = time.Duration(float64(p.Steps-p.Step)/p.StepsPerSec) * time.Second
		}
		args := []any{"step", p.Step, "of", p.Steps, "loss", fmt.Sprintf("%.4f", p.TrainLoss),
			"steps_per_s", fmt.Sprintf("%.2f", p.StepsPerSec), "eta", eta.Round(time.Second), "lr", fmt.Sprintf("%.2e", p.LR)}
		if p.HasVal {
			args = append(args, "val_loss", fmt.Sprintf("%.4f", p.ValLoss))
		}
		slog.Info("train", args...)
	}
}

func (r *trainReporter) done() { r.p.Done() }

// readDataset reads a D4RL-schema .npz as training data.
func readDataset(path string) (*dynamics.Dataset, error) {
	ds, err := d4rl.Read(path)
	if err != nil {
		return nil, err
	}
	return &dynamics.Dataset{N: ds.N, ObsDim: ds.ObsDim, ActDim: ds.ActDim,
		Observations: ds.Observations, Actions: ds.Actions, Terminals: ds.Terminals, Timeouts: ds.Timeouts}, nil
}
