// Command goalstats counts how a dataset behaves near a goal: how many of
// its frames lie within a radius of the goal, and what share of those are
// slow. A planner can only plan to stop where the model has seen the robot
// slow down; this measures how often it has.
//
//	go run ./tools/goalstats --data umaze.npz --maze umaze
package main

import (
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/dfplan/dfplan/d4rl"
	"github.com/dfplan/dfplan/sim"
)

func main() {
	data := flag.String("data", "", "dataset (.npz with D4RL keys)")
	maze := flag.String("maze", "umaze", "built-in maze name or layout file; its single-task goal is measured, and the mean over its free cells")
	radius := flag.Float64("radius", 0.5, "distance from the goal that counts as near")
	speed := flag.Float64("speed", 1, "speed below which a frame counts as slow")
	flag.Parse()
	if err := run(*data, *maze, *radius, *speed); err != nil {
		fmt.Fprintln(os.Stderr, "goalstats:", err)
		os.Exit(1)
	}
}

func run(path, mazeName string, radius, speed float64) error {
	if path == "" {
		return fmt.Errorf("--data: missing")
	}
	if !(radius > 0) || !(speed > 0) {
		return fmt.Errorf("--radius %g, --speed %g: want both > 0", radius, speed)
	}
	m, err := sim.LoadMaze(mazeName)
	if err != nil {
		return fmt.Errorf("--maze: %w", err)
	}
	d, err := d4rl.Read(path)
	if err != nil {
		return fmt.Errorf("--data: %w", err)
	}
	if d.ObsDim != 4 {
		return fmt.Errorf("--data %s: %d-D observations, want x, y, vx, vy", path, d.ObsDim)
	}
	count := func(gx, gy float64) (near, slow int) {
		for i := 0; i < d.N; i++ {
			o := d.Observations[i*4 : i*4+4]
			if math.Hypot(float64(o[0])-gx, float64(o[1])-gy) < radius {
				near++
				if math.Hypot(float64(o[2]), float64(o[3])) < speed {
					slow++
				}
			}
		}
		return near, slow
	}
	pct := func(a, b int) float64 { return 100 * float64(a) / float64(max(b, 1)) }
	g := m.DefaultGoal()
	near, slow := count(g.X, g.Y)
	fmt.Printf("%s, goal (%g, %g): %d of %d frames within %g (%.2f%%); %d of them (%.1f%%) slower than %g\n",
		m.Name(), g.X, g.Y, near, d.N, radius, pct(near, d.N), slow, pct(slow, near), speed)
	var allNear, allSlow int
	for _, c := range m.FreeCells() {
		n, s := count(c.Center().X, c.Center().Y)
		allNear += n
		allSlow += s
	}
	fmt.Printf("%s, all %d free-cell centres: %.1f%% of the frames within %g of one are slower than %g\n",
		m.Name(), len(m.FreeCells()), pct(allSlow, allNear), radius, speed)
	return nil
}
