// Command gradnorm prints how long the learned distance's gradient is:
// a shortest-path distance has a gradient of length 1 wherever it is
// smooth, as the straight line has. For random pairs of free positions
// (uniform over free space) it prints quantiles of ‖∇d‖ and of the
// learned distance against the straight line.
//
//	go run ./experiments/distance/gradnorm MAZE DIST.safetensors [PAIRS]
package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"sort"
	"strconv"

	"github.com/golang/geo/r2"

	"github.com/dfplan/dfplan/distance"
	"github.com/dfplan/dfplan/sim"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: gradnorm MAZE DIST.safetensors [PAIRS]")
		os.Exit(2)
	}
	m, err := sim.LoadMaze(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gradnorm:", err)
		os.Exit(1)
	}
	dm, err := distance.Load(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gradnorm:", err)
		os.Exit(1)
	}
	n := 2000
	if len(os.Args) > 3 {
		if n, err = strconv.Atoi(os.Args[3]); err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "gradnorm: pairs %q: want a positive integer\n", os.Args[3])
			os.Exit(2)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	b := m.Bounds()
	free := func() r2.Point {
		for {
			p := r2.Point{X: b.X.Lo + rng.Float64()*(b.X.Hi-b.X.Lo), Y: b.Y.Lo + rng.Float64()*(b.Y.Hi-b.Y.Lo)}
			if m.IsFree(p) {
				return p
			}
		}
	}
	pg := make([]float64, 0, 4*n)
	for range n {
		p, g := free(), free()
		pg = append(pg, p.X, p.Y, g.X, g.Y)
	}
	grad := make([]float64, 2*n)
	d := dm.DistanceGrad(pg, grad)
	var norms, ratios []float64
	for i := range n {
		line := math.Hypot(pg[4*i]-pg[4*i+2], pg[4*i+1]-pg[4*i+3])
		if line < 1 {
			continue
		}
		norms = append(norms, math.Hypot(grad[2*i], grad[2*i+1]))
		ratios = append(ratios, d[i]/line)
	}
	q := func(v []float64) string {
		sort.Float64s(v)
		at := func(f float64) float64 { return v[int(f*float64(len(v)-1))] }
		return fmt.Sprintf("p10 %.2f  p25 %.2f  median %.2f  p75 %.2f  p90 %.2f", at(0.1), at(0.25), at(0.5), at(0.75), at(0.9))
	}
	fmt.Printf("%s, %d pairs at least 1 m apart\n", os.Args[1], len(norms))
	fmt.Printf("‖∇d‖:          %s\n", q(norms))
	fmt.Printf("d / straight:  %s\n", q(ratios))
}
