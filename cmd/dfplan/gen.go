package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dfplan/dfplan/sim"
)

func init() { subcommands = append(subcommands, newGenCmd) }

func newGenCmd() *cobra.Command {
	var (
		mazeFlag, out string
		steps         int
		noise         float64
		seed          int64
	)
	cmd := &cobra.Command{
		Use:   "gen --maze NAME|FILE --steps N --out FILE.npz",
		Short: "Generate a D4RL-style maze2d dataset with the waypoint expert",
		Long: `Gen drives the simulated point mass with D4RL's waypoint expert in one
continuous stream, drawing a new random goal whenever the goal is reached or
the maze's episode length runs out, and writes the transitions as a .npz with
D4RL's keys: observations (N×4), actions (N×2), rewards (sparse), terminals,
timeouts (goal switches) and infos/goal (N×2). --noise adds Gaussian noise to
each action before clipping; its default, 0.5, is D4RL's maze2d-*-v1: with it
the data's velocity and action spreads match the normalization constants of
the Diffusion Forcing reference for medium and large within 0.4 % (with 0 the
velocity spreads are 1.4–3.4 % off; docs/results.md). --noise 0 is the noiseless expert the
shipped models were trained on. The same flags
always give the same file. The dataset is held in memory until it is
written (38 bytes a step): a --steps beyond the available memory is
refused before any work. Ctrl-C (SIGINT) or SIGTERM stops gen with status
130 or 143 and leaves no partial file.`,
		Example: `  dfplan gen --maze umaze --steps 1000000 --out umaze.npz
  dfplan gen --maze medium --steps 2000000 --noise 0 --seed 1 --out medium.npz   # the shipped model's data`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case mazeFlag == "":
				return usagef("gen: --maze is required (one of %s, or a layout file)", strings.Join(sim.BuiltinMazes(), ", "))
			case out == "":
				return usagef("gen: --out is required (the .npz file to write)")
			case steps < 0:
				return usagef("--steps %d: must be ≥ 0", steps)
			case noise < 0 || math.IsNaN(noise) || math.IsInf(noise, 0):
				return usagef("--noise %v: must be a finite standard deviation ≥ 0", noise)
			}
			m, err := loadMazeFlag(mazeFlag)
			if err != nil {
				return err
			}
			if err := checkWritableDir(out); err != nil {
				return err
			}
			if err := checkGenMemory(steps); err != nil {
				return err
			}
			return runGen(cmd.Context(), cmd, sim.GenConfig{Maze: m, Steps: steps, Noise: noise, Seed: seed}, out)
		},
	}
	cmd.Flags().StringVar(&mazeFlag, "maze", "", "built-in maze name ("+strings.Join(sim.BuiltinMazes(), ", ")+") or layout file")
	cmd.Flags().IntVar(&steps, "steps", 1000000, "number of transitions (env steps) to record")
	cmd.Flags().Float64Var(&noise, "noise", 0.5, "standard deviation of Gaussian action noise, in action units (0.5: D4RL's maze2d-v1)")
	cmd.Flags().Int64Var(&seed, "seed", 0, "random seed (resets, goals, waypoint jitter, noise)")
	cmd.Flags().StringVar(&out, "out", "", "output .npz file (written atomically)")
	return cmd
}

func runGen(ctx context.Context, cmd *cobra.Command, cfg sim.GenConfig, out string) error {
	bar := newProgress(cmd.ErrOrStderr(), "gen "+cfg.Maze.Name())
	cfg.Progress = func(done int) { bar.Update(done, cfg.Steps) }
	defer bar.Done()
	start := time.Now()
	slog.Info("gen started", "maze", cfg.Maze.Name(), "steps", cfg.Steps, "memory", formatBytes(genBytes(cfg.Steps)), "out", out)
	d, err := sim.Generate(ctx, cfg)
	if err != nil {
		return err
	}
	if err := d.WriteContext(ctx, out); err != nil {
		return err
	}
	elapsed := time.Since(start)
	st, err := os.Stat(out)
	if err != nil {
		return err
	}
	switches := 0
	for _, t := range d.Timeouts {
		if t {
			switches++
		}
	}
	if !bar.Terminal() {
		slog.Info("gen done", "maze", cfg.Maze.Name(), "steps", d.N, "goal_switches", switches,
			"out", out, "bytes", st.Size(), "elapsed", elapsed.Round(time.Millisecond))
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s: %d steps, %d goal switches, %.1f MB, %.2fs\n",
		out, d.N, switches, float64(st.Size())/1e6, elapsed.Seconds())
	return nil
}

// checkWritableDir fails early, before minutes of generation, when out's
// directory cannot take a new file.
func checkWritableDir(out string) error {
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return usagef("--out %s: is a directory, want a file name", out)
	}
	f, err := os.CreateTemp(filepath.Dir(out), ".dfplan-gen-check-*")
	if err != nil {
		return fmt.Errorf("--out %s: cannot write there: %w", out, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// genBytesPerStep is the memory one recorded step takes: observations (4)
// and actions (2), reward and goal (2) as float32, and two bool flags.
const genBytesPerStep = 4*4 + 2*4 + 4 + 2*4 + 2

// genBytes estimates the memory gen needs for steps steps. The dataset is
// held in memory until it is written; the write adds only fixed buffers.
func genBytes(steps int) float64 { return float64(steps) * genBytesPerStep }

// memAvailable returns the memory the kernel says is available for a new
// program without swapping (MemAvailable in /proc/meminfo), in bytes; ok
// is false where that is unknown. Tests replace it.
var memAvailable = func() (bytes float64, ok bool) {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		var kb float64
		if n, _ := fmt.Sscanf(line, "MemAvailable: %g kB", &kb); n == 1 {
			return kb * 1024, true
		}
	}
	return 0, false
}

// checkGenMemory refuses, before anything is allocated, a --steps whose
// dataset would not fit in the available memory (or, where that is
// unknown, in the address space).
func checkGenMemory(steps int) error {
	need := genBytes(steps)
	if avail, ok := memAvailable(); ok && need > avail {
		return usagef("--steps %d: the dataset needs %s in memory, and %s is available (MemAvailable in /proc/meminfo); generate at most %d steps per file",
			steps, formatBytes(need), formatBytes(avail), int(avail/genBytesPerStep))
	}
	if need > float64(math.MaxInt)/2 {
		return usagef("--steps %d: the dataset would need %s in memory", steps, formatBytes(need))
	}
	return nil
}

// formatBytes formats n bytes as "380.0 GB" (powers of 1000, as the wrote
// line's MB).
func formatBytes(n float64) string {
	for _, u := range []string{"B", "kB", "MB", "GB", "TB", "PB"} {
		if n < 1000 {
			return fmt.Sprintf("%.1f %s", n, u)
		}
		n /= 1000
	}
	return fmt.Sprintf("%.1f EB", n)
}
