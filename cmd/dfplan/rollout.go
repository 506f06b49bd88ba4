package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/golang/geo/r2"
	"github.com/spf13/cobra"

	"github.com/dfplan/dfplan/sim"
)

func init() { subcommands = append(subcommands, newRolloutCmd) }

func newRolloutCmd() *cobra.Command {
	var mazeFlag, stateFlag, actionsFlag string
	cmd := &cobra.Command{
		Use:   "rollout --maze NAME|FILE --state x,y,vx,vy --actions FILE|-",
		Short: "Step the maze simulator through a list of actions and print the states as CSV",
		Long: `Rollout starts the D4RL maze2d point mass at --state (no reset noise) and
applies one action per line of --actions ("ax ay", separated by whitespace or
a comma; blank lines and lines starting with # are skipped), with D4RL's step
semantics: the action is clipped to [-1, 1] and the velocity to [-5, 5] before
each 0.01 s physics step. It prints CSV with the header step,x,y,vx,vy: row 0
is the start state, row k the state after action k.`,
		Example: `  printf '1 0\n1 0\n0.5,-0.5\n' | dfplan rollout --maze umaze --state 3,1,0,0 --actions -
  dfplan rollout --maze my-maze.txt --state 1,1,0,0 --actions actions.txt > states.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if mazeFlag == "" {
				return usagef("rollout: --maze is required (one of %s, or a layout file)", strings.Join(sim.BuiltinMazes(), ", "))
			}
			if stateFlag == "" {
				return usagef("rollout: --state is required (x,y,vx,vy)")
			}
			if actionsFlag == "" {
				return usagef("rollout: --actions is required (a file, or - for stdin)")
			}
			m, err := loadMazeFlag(mazeFlag)
			if err != nil {
				return err
			}
			s, err := parseState(stateFlag)
			if err != nil {
				return err
			}
			if err := checkStart(m, s, stateFlag); err != nil {
				return err
			}
			var in io.Reader = cmd.InOrStdin()
			name := "stdin"
			if actionsFlag != "-" {
				f, err := os.Open(actionsFlag)
				if err != nil {
					if errors.Is(err, fs.ErrNotExist) {
						return usagef("--actions %s: no such file", actionsFlag)
					}
					return fmt.Errorf("--actions: %w", err)
				}
				defer f.Close()
				in, name = f, actionsFlag
			}
			actions, err := readActions(in, name)
			if err != nil {
				return err
			}
			w := bufio.NewWriter(cmd.OutOrStdout())
			fmt.Fprintln(w, "step,x,y,vx,vy")
			writeStateRow(w, 0, s)
			for i, a := range actions {
				s = m.Step(s, a)
				writeStateRow(w, i+1, s)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&mazeFlag, "maze", "", "built-in maze name ("+strings.Join(sim.BuiltinMazes(), ", ")+") or layout file")
	cmd.Flags().StringVar(&stateFlag, "state", "", "start state x,y,vx,vy (positions in cells, velocities in cells/s)")
	cmd.Flags().StringVar(&actionsFlag, "actions", "", "file with one action 'ax ay' per line, or - for stdin")
	return cmd
}

// loadMazeFlag loads --maze; a name that is neither built in nor an existing
// file is a usage error.
func loadMazeFlag(v string) (*sim.Maze, error) {
	if !slices.Contains(sim.BuiltinMazes(), v) {
		if _, err := os.Stat(v); errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("--maze %q: not a built-in maze (%s) and no such layout file",
				v, strings.Join(sim.BuiltinMazes(), ", "))
		}
	}
	m, err := sim.LoadMaze(v)
	if err != nil {
		return nil, fmt.Errorf("--maze: %w", err)
	}
	return m, nil
}

// parseState parses "x,y,vx,vy".
func parseState(v string) (sim.State, error) {
	var s sim.State
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return s, usagef("--state %q: want 4 comma-separated numbers x,y,vx,vy", v)
	}
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return s, usagef("--state %q: component %d (%q) is not a finite number", v, i+1, p)
		}
		s[i] = f
	}
	return s, nil
}

// checkStart refuses a start the ball cannot be at: its centre inside a
// wall or outside the map. (A ball touching a wall is a fine start.)
func checkStart(m *sim.Maze, s sim.State, flag string) error {
	p := r2.Point{X: s[0], Y: s[1]}
	if m.IsFree(p) {
		return nil
	}
	where := "inside a wall"
	if !m.Bounds().ContainsPoint(p) {
		where = "outside the map"
	}
	free := m.FreeCells()[0].Center()
	return usagef("--state %s: position (%g, %g) is %s of maze %s; start in free space, e.g. a free cell centre such as %g,%g,0,0",
		flag, s[0], s[1], where, m.Name(), free.X, free.Y)
}

// readActions parses one action per line; blank lines and # comments are
// skipped. Errors name the line.
func readActions(r io.Reader, name string) ([]sim.Action, error) {
	var out []sim.Action
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if len(fields) != 2 {
			return nil, fmt.Errorf("actions %s line %d: %q: want two numbers 'ax ay'", name, line, text)
		}
		var a sim.Action
		for i, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("actions %s line %d: %q is not a finite number", name, line, f)
			}
			a[i] = v
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("actions %s: %w", name, err)
	}
	return out, nil
}

func writeStateRow(w io.Writer, step int, s sim.State) {
	b := make([]byte, 0, 128)
	b = strconv.AppendInt(b, int64(step), 10)
	for _, v := range s {
		b = append(b, ',')
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
	}
	b = append(b, '\n')
	w.Write(b)
}
