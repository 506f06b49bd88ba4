#!/bin/sh
# The confirmation of experiments/ros/README.md's addendum, seeds 2 and 3.
# Usage: experiments/ros/run-confirm.sh DFPLAN-BINARY   (from the repository root)
set -eu
B=$1
D=experiments/ros/confirm
PORT=11613
rosmaster --core -p $PORT > /dev/null 2>&1 &
MASTER=$!
trap 'kill $MASTER' EXIT
export ROS_MASTER_URI=http://127.0.0.1:$PORT ROS_IP=127.0.0.1
for S in 2 3; do
	for T in single multi; do
		for P in df df-nomcg; do
			"$B" bench --maze umaze --task $T --planner $P --episodes 50 --seed $S --ros --lookahead=false --json $D/umaze-$T-$P-ros-s$S.json
		done
	done
done
