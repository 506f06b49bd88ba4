#!/bin/sh
# The addendum of experiments/ros/README.md: df-nomcg on umaze through ROS.
# Usage: experiments/ros/run-nomcg.sh DFPLAN-BINARY   (from the repository root)
set -eu
B=$1
D=experiments/ros
PORT=11612
rosmaster --core -p $PORT > /dev/null 2>&1 &
MASTER=$!
trap 'kill $MASTER' EXIT
export ROS_MASTER_URI=http://127.0.0.1:$PORT ROS_IP=127.0.0.1
"$B" bench --maze umaze --planner df-nomcg --episodes 2 --batch 1 --steps 100 --json $D/latency-umaze-df-nomcg.json
for T in single multi; do
	"$B" bench --maze umaze --task $T --planner df-nomcg --episodes 50 --seed 0 --ros --lookahead=false --json $D/umaze-$T-df-nomcg-ros.json
done
