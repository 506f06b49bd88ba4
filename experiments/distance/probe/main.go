// Command probe prints a learned distance (dfplan train-distance) at
// chosen positions for one goal: its value, the straight line, their
// ratio (over a straight line floored at 1 m, as df-td's blend takes it),
// and the direction and length of the pull −∇d.
//
//	go run ./experiments/distance/probe DIST.safetensors GX GY X,Y [X,Y ...]
package main

import (
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/dfplan/dfplan/distance"
)

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: probe DIST.safetensors GX GY X,Y [X,Y ...]")
		os.Exit(2)
	}
	dm, err := distance.Load(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "probe:", err)
		os.Exit(1)
	}
	var goal [2]float64
	for i, s := range os.Args[2:4] {
		if goal[i], err = strconv.ParseFloat(s, 64); err != nil {
			fmt.Fprintf(os.Stderr, "probe: goal coordinate %q: want a number\n", s)
			os.Exit(2)
		}
	}
	for _, a := range os.Args[4:] {
		var px, py float64
		if _, err := fmt.Sscanf(a, "%g,%g", &px, &py); err != nil {
			fmt.Fprintf(os.Stderr, "probe: position %q: want X,Y\n", a)
			os.Exit(2)
		}
		g := make([]float64, 2)
		d := dm.DistanceGrad([]float64{px, py, goal[0], goal[1]}, g)
		line := math.Hypot(px-goal[0], py-goal[1])
		n := math.Hypot(g[0], g[1])
		fmt.Printf("(%.1f, %.1f) → (%g, %g): d %.2f, straight line %.2f, ratio %.2f; pull (%.2f, %.2f), |∇d| %.2f\n",
			px, py, goal[0], goal[1], d[0], line, d[0]/math.Max(line, 1), -g[0]/n, -g[1]/n, n)
	}
}
