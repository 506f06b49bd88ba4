package models

import (
	"fmt"
	"math"

	"github.com/dfplan/dfplan/dynamics"
	"github.com/dfplan/dfplan/sim"
)

// FitsMaze checks a model against the maze it is asked to plan in:
// 4-D observations and 2-D actions, and training positions spread like the
// maze's free cells (a model trained on another maze has its position
// normalization elsewhere). The check is loose — within three quarters of a cell of the
// free cells' centroid and within a factor 2 of their spread — because
// the data covers corridors unevenly.
func FitsMaze(m *dynamics.Model, maze *sim.Maze) error {
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
