package sim

import (
	"math"
	"strings"

	"github.com/golang/geo/r2"
)

// SparseReward is D4RL's sparse maze2d reward: 1 when the position is within
// 0.5 of the goal, else 0.
func SparseReward(pos, goal r2.Point) float64 {
	if pos.Sub(goal).Norm() <= 0.5 {
		return 1
	}
	return 0
}

// DenseReward is D4RL's dense maze2d reward, exp(-‖pos - goal‖).
func DenseReward(pos, goal r2.Point) float64 { return math.Exp(-pos.Sub(goal).Norm()) }

// scoreRef holds D4RL's maze2d-*-v1 reference returns (random, expert) for
// the sparse reward.
var scoreRef = map[string][2]float64{
	"umaze":       {23.85, 161.86},
	"medium":      {13.13, 277.39},
	"large":       {6.7, 273.99},
	"umaze-eval":  {36.63, 141.4},
	"medium-eval": {13.07, 204.93},
	"large-eval":  {16.4, 302.22},
}

// NormalizedScore returns 100·(ret - random)/(expert - random) with D4RL's
// v1 sparse reference returns for the named maze ("medium" or
// "maze2d-medium-v1"; eval variants as "medium-eval" or
// "maze2d-eval-medium-v1"). It reports false for mazes without reference
// returns (open and custom layouts).
func NormalizedScore(mazeName string, ret float64) (float64, bool) {
	name := mazeName
	if strings.HasPrefix(name, "maze2d-") {
		name = strings.TrimSuffix(strings.TrimPrefix(name, "maze2d-"), "-v1")
		if strings.HasPrefix(name, "eval-") {
			name = strings.TrimPrefix(name, "eval-") + "-eval"
		}
	}
	ref, ok := scoreRef[name]
	if !ok {
		return 0, false
	}
	return 100 * (ret - ref[0]) / (ref[1] - ref[0]), true
}
