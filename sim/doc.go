// Package sim is the maze world: D4RL maze2d layouts, the point-mass physics
// of D4RL's MuJoCo model (implicit-damping Euler with MuJoCo's soft wall
// contact), rewards and normalized scores, the waypoint expert, a random
// policy, and dataset generation in the D4RL schema.
//
// It is not a general physics engine: it models one ball of radius 0.1 among
// axis-aligned unit boxes, exactly as maze2d does.
//
// # Coordinates
//
// State coordinates are MuJoCo's qpos: x runs along layout rows, y along
// columns, and cell (i, j) has its Center at (i, j), where resets and the
// expert aim. MuJoCo places the ball's body at world (1.2, 1.2) and wall
// (i, j) at world (i+1, j+1), so in state coordinates a wall box is the unit
// square centred at (i-0.2, j-0.2) (WallRects), and the physically free
// square of a cell is [i-0.7, i+0.3] × [j-0.7, j+0.3]: D4RL's cell centres
// sit 0.2 off the middle of the corridors. IsFree uses the grid squares
// around the centres, as the contract asks, not the wall boxes.
//
// # Physics
//
// Step reproduces one MuJoCo 2.2.2 mj_step of D4RL's model to rounding
// error (≈3e-15 per step against recorded MuJoCo trajectories, contacts
// included): sphere–box contacts within the 0.002 margin, constraint rows
// with MuJoCo's impedance, reference acceleration and regularizer (default
// solref/solimp, diagApprox from body_invweight0), the frictionless contact
// problem solved exactly, then Euler with implicit joint damping. The
// fixtures come from tools/mujocogold (see its README to regenerate).
//
// # Reproducing the numbers
//
//	go test ./sim -run StepMatchesMuJoCo -v   # tolerance vs MuJoCo
//	go test ./sim -run ExpertScore -v         # expert/random normalized scores, D4RL protocol
//	go test ./sim -run XXX -bench Step        # env steps per second
package sim
