// Package robot runs dfplan on ROS 1 (goroslib): a planning node that turns
// odometry and goals into cmd_vel and published plans under a safety
// watchdog, and a simulated robot node backed by the built-in maze simulator.
package robot
