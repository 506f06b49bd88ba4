package sim

import (
	"math"
	"testing"

	"github.com/golang/geo/r2"
)

func TestRewards(t *testing.T) {
	goal := r2.Point{X: 1, Y: 2}
	tests := []struct {
		pos           r2.Point
		sparse, dense float64
	}{
		{goal, 1, 1},
		{r2.Point{X: 1.3, Y: 2.4}, 1, math.Exp(-0.5)}, // exactly 0.5 away: inside
		{r2.Point{X: 1.5, Y: 2.0001}, 0, math.Exp(-math.Hypot(0.5, 0.0001))},
		{r2.Point{X: 4, Y: 6}, 0, math.Exp(-5)},
	}
	for _, tc := range tests {
		if got := SparseReward(tc.pos, goal); got != tc.sparse {
			t.Errorf("SparseReward(%v) = %v, want %v", tc.pos, got, tc.sparse)
		}
		if got := DenseReward(tc.pos, goal); math.Abs(got-tc.dense) > 1e-15 {
			t.Errorf("DenseReward(%v) = %v, want %v", tc.pos, got, tc.dense)
		}
	}
}

func TestNormalizedScore(t *testing.T) {
	tests := []struct {
		maze string
		ret  float64
		want float64
		ok   bool
	}{
		{"umaze", 161.86, 100, true},
		{"umaze", 23.85, 0, true},
		{"maze2d-medium-v1", 277.39, 100, true},
		{"large", 6.7 + 267.29/2, 50, true},
		{"maze2d-eval-large-v1", 302.22, 100, true},
		{"medium-eval", 13.07, 0, true},
		{"umaze-eval", 141.4, 100, true},
		{"open", 10, 0, false},
		{"my-maze.txt", 10, 0, false},
	}
	for _, tc := range tests {
		got, ok := NormalizedScore(tc.maze, tc.ret)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("NormalizedScore(%q, %v) = %v, %v, want %v, %v", tc.maze, tc.ret, got, ok, tc.want, tc.ok)
		}
	}
}
