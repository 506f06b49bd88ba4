// Package sim is the maze world: D4RL maze2d layouts, the point-mass physics
// of D4RL's MuJoCo model (implicit-damping Euler with MuJoCo's soft wall
// contact), rewards and normalized scores, the waypoint expert, a random
// policy, and dataset generation in the D4RL schema.
//
// It is not a general physics engine: it models one ball of radius 0.1 among
// axis-aligned unit boxes, exactly as maze2d does.
package sim
