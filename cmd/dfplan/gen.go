package main

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"os"
	"os/signal"
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
each action before clipping (D4RL's noisy datasets use 0.5). The same flags
always give the same file.`,
		Example: `  dfplan gen --maze umaze --steps 1000000 --out umaze.npz
  dfplan gen --maze medium --steps 2000000 --noise 0.5 --seed 1 --out medium-noisy.npz`,
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
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return runGen(ctx, cmd, sim.GenConfig{Maze: m, Steps: steps, Noise: noise, Seed: seed}, out)
		},
	}
	cmd.Flags().StringVar(&mazeFlag, "maze", "", "built-in maze name ("+strings.Join(sim.BuiltinMazes(), ", ")+") or layout file")
	cmd.Flags().IntVar(&steps, "steps", 1000000, "number of transitions (env steps) to record")
	cmd.Flags().Float64Var(&noise, "noise", 0, "standard deviation of Gaussian action noise, in action units")
	cmd.Flags().Int64Var(&seed, "seed", 0, "random seed (resets, goals, waypoint jitter, noise)")
	cmd.Flags().StringVar(&out, "out", "", "output .npz file (written atomically)")
	return cmd
}

func runGen(ctx context.Context, cmd *cobra.Command, cfg sim.GenConfig, out string) error {
	bar := newProgress(cmd.ErrOrStderr(), "gen "+cfg.Maze.Name())
	cfg.Progress = func(done int) { bar.Update(done, cfg.Steps) }
	defer bar.Done()
	start := time.Now()
	d, err := sim.Generate(ctx, cfg)
	if err != nil {
		return err
	}
	if err := d.Write(out); err != nil {
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
