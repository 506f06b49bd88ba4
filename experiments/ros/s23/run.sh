#!/usr/bin/env bash
# The realtime preset on medium (the shipped 513 k model), seed 2027, single-task,
# 50 episodes: through the ROS node in real time on an otherwise idle 2-core
# machine, then the same episodes in the simulator (which waits for plans),
# then one robot's plan time outside ROS.
set -eu
D=/work/main/experiments/ros/s23
B=${DFPLAN:-dfplan}
rosmaster --core -p 11423 > /tmp/s23-master.log 2>&1 &
M=$!
trap 'kill $M' EXIT
sleep 3
export ROS_MASTER_URI=http://127.0.0.1:11423
$B bench --maze medium --task single --planner df --episodes 50 --seed 2027 --ros --preset realtime \
  --json $D/medium-single-df-ros-rt.json > $D/medium-single-df-ros-rt.txt
$B bench --maze medium --task single --planner df --episodes 50 --seed 2027 --batch 25 --preset realtime \
  --json $D/medium-single-df-sim-rt.json > $D/medium-single-df-sim-rt.txt
$B bench --maze medium --planner df --episodes 2 --batch 1 --steps 100 --preset realtime \
  --json $D/latency-medium-rt.json > $D/latency-medium-rt.txt
$B bench --maze medium --planner df --episodes 2 --batch 1 --steps 100 --preset paper \
  --json $D/latency-medium-paper.json > $D/latency-medium-paper.txt
echo done
