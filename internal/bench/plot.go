package bench

import (
	"bytes"
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/dfplan/dfplan/internal/atomicfile"
	"github.com/dfplan/dfplan/sim"
)

// PlotPNG draws the maze, every episode's start, goal and executed path,
// and the last plan of each episode (dashed), and writes a PNG atomically.
func PlotPNG(path string, m *sim.Maze, r *Result) error {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s on %s (%s task)", r.Planner, r.Maze, r.Task)
	p.X.Label.Text = "x"
	p.Y.Label.Text = "y"
	b := m.Bounds()
	p.X.Min, p.X.Max = b.X.Lo, b.X.Hi
	p.Y.Min, p.Y.Max = b.Y.Lo, b.Y.Hi

	for _, w := range m.WallRects() {
		poly, err := plotter.NewPolygon(plotter.XYs{
			{X: w.X.Lo, Y: w.Y.Lo}, {X: w.X.Hi, Y: w.Y.Lo}, {X: w.X.Hi, Y: w.Y.Hi}, {X: w.X.Lo, Y: w.Y.Hi},
		})
		if err != nil {
			return fmt.Errorf("plot %s: %w", path, err)
		}
		poly.Color = color.Gray{Y: 90}
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	palette := []color.Color{
		color.RGBA{R: 31, G: 119, B: 180, A: 255}, color.RGBA{R: 255, G: 127, B: 14, A: 255},
		color.RGBA{R: 44, G: 160, B: 44, A: 255}, color.RGBA{R: 214, G: 39, B: 40, A: 255},
		color.RGBA{R: 148, G: 103, B: 189, A: 255}, color.RGBA{R: 140, G: 86, B: 75, A: 255},
		color.RGBA{R: 227, G: 119, B: 194, A: 255}, color.RGBA{R: 23, G: 190, B: 207, A: 255},
	}
	for e, path := range r.Paths {
		col := palette[e%len(palette)]
		xy := make(plotter.XYs, len(path))
		for i, q := range path {
			xy[i] = plotter.XY{X: q.X, Y: q.Y}
		}
		line, err := plotter.NewLine(xy)
		if err != nil {
			return err
		}
		line.Color, line.Width = col, vg.Points(1.2)
		p.Add(line)
		if pl := r.LastPlans[e]; pl != nil && len(pl.Observations) > 1 {
			pxy := make(plotter.XYs, len(pl.Observations))
			for i, o := range pl.Observations {
				pxy[i] = plotter.XY{X: o[0], Y: o[1]}
			}
			pline, err := plotter.NewLine(pxy)
			if err != nil {
				return err
			}
			pline.Color, pline.Width, pline.Dashes = col, vg.Points(0.8), []vg.Length{vg.Points(3), vg.Points(2)}
			p.Add(pline)
		}
		start, err := plotter.NewScatter(plotter.XYs{{X: r.Specs[e].Start[0], Y: r.Specs[e].Start[1]}})
		if err != nil {
			return err
		}
		start.Color, start.Shape, start.Radius = col, draw.CircleGlyph{}, vg.Points(3)
		goal, err := plotter.NewScatter(plotter.XYs{{X: r.Specs[e].Goal.X, Y: r.Specs[e].Goal.Y}})
		if err != nil {
			return err
		}
		goal.Color, goal.Shape, goal.Radius = col, draw.CrossGlyph{}, vg.Points(5)
		p.Add(start, goal)
	}
	wt, err := p.WriterTo(5*vg.Inch*vg.Length(b.X.Hi-b.X.Lo)/vg.Length(b.Y.Hi-b.Y.Lo)+vg.Inch, 5*vg.Inch, "png")
	if err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return fmt.Errorf("plot %s: %w", path, err)
	}
	return atomicfile.WriteBytes(path, buf.Bytes())
}
