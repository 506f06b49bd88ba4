// Command fieldcheck scores a learned distance (dfplan train-distance)
// against the maze's true shortest paths, which only this check reads: for
// random pairs of free positions it prints how well the learned distance
// and the straight line rank the pairs by shortest-path length, and how
// often the direction each objective pulls a plan (its negative gradient)
// points along a shortest path, over all pairs and over pairs whose
// straight line is blocked.
//
//	go run ./experiments/distance/fieldcheck MAZE DIST.safetensors [PAIRS [DATA.npz]]
//
// With "at GX,GY X,Y ...", it prints instead the distance from each X,Y
// to the goal GX,GY: its value, ratio to the straight line and pull.
//
// DIST may name several models joined by commas; their mean distance
// (and mean gradient) is checked.
//
// With DATA.npz, the positions are drawn from the data's observations
// (where a model's plans mostly go) instead of uniformly over free space.
package main

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/d4rl"
	"github.com/dfplan/dfplan/distance"
	"github.com/dfplan/dfplan/sim"
)

const res = 0.05 // grid resolution (m)

type grid struct {
	x0, y0 float64
	nx, ny int
	free   []bool
}

func newGrid(m *sim.Maze) *grid {
	b := m.Bounds()
	g := &grid{x0: b.X.Lo, y0: b.Y.Lo, nx: int((b.X.Hi - b.X.Lo) / res), ny: int((b.Y.Hi - b.Y.Lo) / res)}
	g.free = make([]bool, g.nx*g.ny)
	for i := range g.nx {
		for j := range g.ny {
			g.free[i*g.ny+j] = m.IsFree(g.at(i, j))
		}
	}
	return g
}

func (g *grid) at(i, j int) r2.Point {
	return r2.Point{X: g.x0 + (float64(i)+0.5)*res, Y: g.y0 + (float64(j)+0.5)*res}
}

func (g *grid) cell(p r2.Point) int {
	return int((p.X-g.x0)/res)*g.ny + int((p.Y-g.y0)/res)
}

type item struct {
	c int
	d float64
}
type pq []item

func (q pq) Len() int           { return len(q) }
func (q pq) Less(i, j int) bool { return q[i].d < q[j].d }
func (q pq) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *pq) Push(x any)        { *q = append(*q, x.(item)) }
func (q *pq) Pop() any          { o := *q; it := o[len(o)-1]; *q = o[:len(o)-1]; return it }

// dijkstra returns shortest-path lengths (8-connected grid) to cell c.
func (g *grid) dijkstra(c int) []float64 {
	d := make([]float64, len(g.free))
	for i := range d {
		d[i] = math.Inf(1)
	}
	d[c] = 0
	q := &pq{{c, 0}}
	for q.Len() > 0 {
		it := heap.Pop(q).(item)
		if it.d > d[it.c] {
			continue
		}
		i, j := it.c/g.ny, it.c%g.ny
		for di := -1; di <= 1; di++ {
			for dj := -1; dj <= 1; dj++ {
				a, b := i+di, j+dj
				if (di == 0 && dj == 0) || a < 0 || b < 0 || a >= g.nx || b >= g.ny {
					continue
				}
				n := a*g.ny + b
				// No corner cutting.
				if !g.free[n] || !g.free[a*g.ny+j] || !g.free[i*g.ny+b] {
					continue
				}
				nd := it.d + res*math.Hypot(float64(di), float64(dj))
				if nd < d[n] {
					d[n] = nd
					heap.Push(q, item{n, nd})
				}
			}
		}
	}
	return d
}

// descent is the unit direction of steepest descent of field d at cell c.
func (g *grid) descent(d []float64, c int) (float64, float64) {
	i, j := c/g.ny, c%g.ny
	best, bx, by := d[c], 0.0, 0.0
	for di := -1; di <= 1; di++ {
		for dj := -1; dj <= 1; dj++ {
			a, b := i+di, j+dj
			if a < 0 || b < 0 || a >= g.nx || b >= g.ny {
				continue
			}
			if v := d[a*g.ny+b]; v < best {
				best, bx, by = v, float64(di), float64(dj)
			}
		}
	}
	n := math.Hypot(bx, by)
	if n == 0 {
		return 0, 0
	}
	return bx / n, by / n
}

func spearman(a, b []float64) float64 {
	rank := func(v []float64) []float64 {
		idx := make([]int, len(v))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(x, y int) bool { return v[idx[x]] < v[idx[y]] })
		r := make([]float64, len(v))
		for k, i := range idx {
			r[i] = float64(k)
		}
		return r
	}
	ra, rb := rank(a), rank(b)
	n := float64(len(a))
	var s float64
	for i := range ra {
		s += (ra[i] - rb[i]) * (ra[i] - rb[i])
	}
	return 1 - 6*s/(n*(n*n-1))
}

// posOf, if set, draws the positions the pairs start from.
var posOf func(r *rand.Rand) r2.Point

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: fieldcheck MAZE DIST.safetensors [PAIRS [DATA.npz]] | fieldcheck MAZE DIST.safetensors at GX,GY X,Y [X,Y ...]")
		os.Exit(2)
	}
	maze, err := sim.LoadMaze(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "fieldcheck:", err)
		os.Exit(1)
	}
	var model meanField
	for _, path := range strings.Split(os.Args[2], ",") {
		m, err := distance.Load(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "fieldcheck:", err)
			os.Exit(1)
		}
		model = append(model, m)
	}
	if len(os.Args) > 3 && os.Args[3] == "at" {
		probe(model, os.Args[4:])
		return
	}
	pairs := 2000
	if len(os.Args) > 3 {
		if pairs, err = strconv.Atoi(os.Args[3]); err != nil || pairs < 1 {
			fmt.Fprintf(os.Stderr, "fieldcheck: PAIRS %q: want a positive whole number\n", os.Args[3])
			os.Exit(2)
		}
	}
	var dataPos []int
	if len(os.Args) > 4 {
		ds, err := d4rl.Read(os.Args[4])
		if err != nil {
			fmt.Fprintln(os.Stderr, "fieldcheck:", err)
			os.Exit(1)
		}
		for i := 0; i < ds.N; i += 7 {
			dataPos = append(dataPos, i)
		}
		defer func() { _ = ds }()
		posOf = func(r *rand.Rand) r2.Point {
			i := dataPos[r.IntN(len(dataPos))]
			return r2.Point{X: float64(ds.Observations[i*ds.ObsDim]), Y: float64(ds.Observations[i*ds.ObsDim+1])}
		}
	}
	g := newGrid(maze)
	var freeCells []int
	for c, f := range g.free {
		if f {
			freeCells = append(freeCells, c)
		}
	}
	r := rand.New(rand.NewPCG(7, 7))
	const perGoal = 20
	var geo, learned, line []float64
	var cosL, cosS, cosLb, cosSb, cosM, cosMb []float64
	bins := []float64{1, 3, math.Inf(1)}
	var rOpen, rBlocked []float64   // learned / straight line
	var gradLen, gradLenB []float64 // ‖∇d‖
	binL, binS := make([][]float64, len(bins)), make([][]float64, len(bins))
	for len(geo) < pairs {
		gc := freeCells[r.IntN(len(freeCells))]
		dg := g.dijkstra(gc)
		gp := g.at(gc/g.ny, gc%g.ny)
		for range perGoal {
			pc := freeCells[r.IntN(len(freeCells))]
			if posOf != nil {
				if pc = g.cell(posOf(r)); !g.free[pc] {
					continue
				}
			}
			if math.IsInf(dg[pc], 1) || dg[pc] < 0.3 {
				continue
			}
			pp := g.at(pc/g.ny, pc%g.ny)
			grad := make([]float64, 2)
			d := model.DistanceGrad([]float64{pp.X, pp.Y, gp.X, gp.Y}, grad)[0]
			e := math.Hypot(gp.X-pp.X, gp.Y-pp.Y)
			geo, learned, line = append(geo, dg[pc]), append(learned, d), append(line, e)
			tx, ty := g.descent(dg, pc)
			ln := math.Hypot(grad[0], grad[1])
			gradLen = append(gradLen, ln)
			cl := 0.0
			if ln > 0 {
				cl = (-grad[0]*tx - grad[1]*ty) / ln
			}
			cs := ((gp.X-pp.X)*tx + (gp.Y-pp.Y)*ty) / e
			// The learned distance's slope over ±smooth, a plan's scale.
			const smooth = 0.2
			q := model.Distance([]float64{pp.X + smooth, pp.Y, gp.X, gp.Y, pp.X - smooth, pp.Y, gp.X, gp.Y,
				pp.X, pp.Y + smooth, gp.X, gp.Y, pp.X, pp.Y - smooth, gp.X, gp.Y})
			sx, sy := q[0]-q[1], q[2]-q[3]
			cm := 0.0
			if n := math.Hypot(sx, sy); n > 0 {
				cm = (-sx*tx - sy*ty) / n
			}
			cosM = append(cosM, cm)
			for b, hi := range bins {
				if dg[pc] < hi {
					binL[b], binS[b] = append(binL[b], cl), append(binS[b], cs)
					break
				}
			}
			cosL, cosS = append(cosL, cl), append(cosS, cs)
			if dg[pc] < 1.05*e {
				rOpen = append(rOpen, d/e)
			} else if dg[pc] > 1.3*e {
				rBlocked = append(rBlocked, d/e)
			}
			if dg[pc] > 1.3*e {
				cosLb, cosSb, cosMb = append(cosLb, cl), append(cosSb, cs), append(cosMb, cm)
				gradLenB = append(gradLenB, ln)
			}
		}
	}
	share := func(v []float64, t float64) float64 {
		n := 0
		for _, x := range v {
			if x > t {
				n++
			}
		}
		return float64(n) / float64(max(len(v), 1))
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(max(len(v), 1))
	}
	ratio := make([]float64, len(geo))
	for i := range geo {
		ratio[i] = learned[i] / geo[i]
	}
	sort.Float64s(ratio)
	fmt.Printf("maze %s, model %s, %d pairs (%d with the straight line ≥ 1.3× shorter than the shortest path)\n",
		maze.Name(), os.Args[2], len(geo), len(cosLb))
	fmt.Printf("rank correlation with shortest-path length: learned %.3f, straight line %.3f\n", spearman(learned, geo), spearman(line, geo))
	fmt.Printf("learned / shortest path: median %.2f, 10th–90th percentile %.2f–%.2f\n", ratio[len(ratio)/2], ratio[len(ratio)/10], ratio[len(ratio)*9/10])
	fmt.Printf("pull along a shortest path (cos > 0.5): all pairs learned %.2f, straight line %.2f; mean cos %.2f vs %.2f\n",
		share(cosL, 0.5), share(cosS, 0.5), mean(cosL), mean(cosS))
	fmt.Printf("                          blocked pairs learned %.2f, straight line %.2f; mean cos %.2f vs %.2f\n",
		share(cosLb, 0.5), share(cosSb, 0.5), mean(cosLb), mean(cosSb))
	pct := func(v []float64) string {
		sort.Float64s(v)
		if len(v) == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f / %.2f / %.2f", v[len(v)/10], v[len(v)/2], v[len(v)*9/10])
	}
	fmt.Printf("learned / straight line, 10th / 50th / 90th percentile: open pairs %s, blocked pairs %s\n", pct(rOpen), pct(rBlocked))
	lo := 0.3
	for b, hi := range bins {
		fmt.Printf("shortest path %.1f–%.0f m: %4d pairs, pull along it learned %.2f, straight line %.2f\n", lo, hi, len(binL[b]), share(binL[b], 0.5), share(binS[b], 0.5))
		lo = hi
	}
	fmt.Printf("learned slope over ±0.2 m (cos > 0.5): all pairs %.2f, blocked pairs %.2f\n", share(cosM, 0.5), share(cosMb, 0.5))
	fmt.Printf("learned gradient's length (1 for a true distance), 10th / 50th / 90th percentile: all pairs %s, blocked pairs %s\n", pct(gradLen), pct(gradLenB))
}

// meanField is the average of several distances and of their gradients.
type meanField []*distance.Model

func (e meanField) Distance(pg []float64) []float64 {
	var sum []float64
	for _, m := range e {
		d := m.Distance(pg)
		if sum == nil {
			sum = make([]float64, len(d))
		}
		for i, v := range d {
			sum[i] += v / float64(len(e))
		}
	}
	return sum
}

func (e meanField) DistanceGrad(pg []float64, grad []float64) []float64 {
	clear(grad)
	g := make([]float64, len(grad))
	var sum []float64
	for _, m := range e {
		d := m.DistanceGrad(pg, g)
		if sum == nil {
			sum = make([]float64, len(d))
		}
		for i, v := range d {
			sum[i] += v / float64(len(e))
		}
		for i, v := range g {
			grad[i] += v / float64(len(e))
		}
	}
	return sum
}

// probe prints the distance from each position of args[1:] to the goal
// args[0] (all "X,Y"): its value, the straight line, their ratio as
// df-td's blend takes it (the straight line floored at 1 m), and the
// direction and length of the pull −∇d.
func probe(model meanField, args []string) {
	pts := make([][2]float64, len(args))
	for i, a := range args {
		if _, err := fmt.Sscanf(a, "%g,%g", &pts[i][0], &pts[i][1]); err != nil {
			fmt.Fprintf(os.Stderr, "fieldcheck at: position %q: want X,Y\n", a)
			os.Exit(2)
		}
	}
	if len(pts) < 2 {
		fmt.Fprintln(os.Stderr, "fieldcheck at: want a goal GX,GY and at least one position X,Y")
		os.Exit(2)
	}
	goal := pts[0]
	for _, p := range pts[1:] {
		g := make([]float64, 2)
		d := model.DistanceGrad([]float64{p[0], p[1], goal[0], goal[1]}, g)[0]
		line := math.Hypot(p[0]-goal[0], p[1]-goal[1])
		n := math.Hypot(g[0], g[1])
		fmt.Printf("(%.1f, %.1f) → (%g, %g): d %.2f, straight line %.2f, ratio %.2f; pull (%.2f, %.2f), |∇d| %.2f\n",
			p[0], p[1], goal[0], goal[1], d, line, d/math.Max(line, 1), -g[0]/n, -g[1]/n, n)
	}
}
