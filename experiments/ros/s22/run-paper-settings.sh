#!/usr/bin/env bash
# medium single-task through the ROS node, realtime preset, seed 2027, 50 episodes, after cells2
set -u
while pgrep -f cells2.sh >/dev/null; do sleep 10; done
cd /work/train/noisy/ros
rosmaster --core -p 11419 > master.log 2>&1 &
M=$!
sleep 3
export ROS_MASTER_URI=http://127.0.0.1:11419
/work/train/dfplan-s22 bench --maze medium --task single --planner df --episodes 50 --seed 2027 --ros --preset realtime --json medium-single-df-ros.json > medium-single-df-ros.txt 2> medium-single-df-ros.log
kill $M
echo done
