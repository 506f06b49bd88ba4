// Package bench runs planners on the maze simulator under the benchmark
// protocol (DESIGN §5): the same seeded starts and goals for every planner,
// the maze's episode length, sparse reward, D4RL-normalized score, success
// rate, plan latency and wall time. Run plays the episodes in lockstep,
// each through a planner.Executor (the receding-horizon rules the ROS node
// uses too); RunROS plays them through the ROS planning node in real time.
// It also renders results as a table, JSON and a plot.
package bench
