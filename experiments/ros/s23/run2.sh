#!/usr/bin/env bash
# umaze (the node's default maze) through the ROS node in real time with the
# realtime preset, seed 2027, single-task, 50 episodes, on an otherwise idle
# 2-core machine: the new model, the older one (OLD_UMAZE_DIR: its model and
# plan file from git history, commit 4d48263), and the new one in the simulator.
set -eu
D=/work/main/experiments/ros/s23
B=${DFPLAN:-dfplan}
O=${OLD_UMAZE_DIR:?}
rosmaster --core -p 11424 > /tmp/s23-master2.log 2>&1 &
M=$!
trap 'kill $M' EXIT
sleep 3
export ROS_MASTER_URI=http://127.0.0.1:11424
$B bench --maze umaze --task single --planner df --episodes 50 --seed 2027 --ros --preset realtime \
  --json $D/umaze-single-df-ros-rt.json > $D/umaze-single-df-ros-rt.txt
$B bench --maze umaze --task single --planner df --episodes 50 --seed 2027 --ros --preset realtime \
  --model $O/umaze.safetensors --plan $O/umaze.plan.yaml \
  --json $D/umaze-single-df-ros-rt-old.json > $D/umaze-single-df-ros-rt-old.txt
$B bench --maze umaze --task single --planner df --episodes 50 --seed 2027 --batch 25 --preset realtime \
  --json $D/umaze-single-df-sim-rt.json > $D/umaze-single-df-sim-rt.txt
echo done
