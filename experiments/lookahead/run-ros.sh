#!/bin/sh
# One seed through the ROS node in real time, with the node's automatic
# lookahead and without: one run at a time, on an otherwise idle machine.
# Usage: [SEED=N] experiments/lookahead/run-ros.sh DFPLAN [MAZE ...]
# (from the repository root; seed 0 and all three mazes by default)
set -eu
B=${1:?usage: [SEED=N] run-ros.sh DFPLAN [MAZE ...]}
S=${SEED:-0}
shift
D=experiments/lookahead
PORT=11612
rosmaster --core -p $PORT > /tmp/rosmaster-lookahead.log 2>&1 &
MASTER=$!
trap 'kill $MASTER' EXIT
export ROS_MASTER_URI=http://127.0.0.1:$PORT ROS_IP=127.0.0.1
# How long one umaze plan takes on this machine (one robot, p50).
[ -f $D/latency-umaze.json ] || "$B" bench --maze umaze --episodes 2 --batch 1 --steps 100 --json $D/latency-umaze.json
MAZES=${*:-umaze medium large}
# Each cell without lookahead too, on the same machine: a plan's time,
# and so how late it arrives, depends on the machine (experiments/ros/ was
# made on one twice as fast).
for M in $MAZES; do
	for T in single multi; do
		[ -f $D/seed$S-$M-$T-df-ros-lookahead.json ] || "$B" bench --maze $M --task $T --planner df --episodes 50 --seed $S --ros --lookahead --json $D/seed$S-$M-$T-df-ros-lookahead.json
		[ -f $D/seed$S-$M-$T-df-ros.json ] || "$B" bench --maze $M --task $T --planner df --episodes 50 --seed $S --ros --lookahead=false --json $D/seed$S-$M-$T-df-ros.json
	done
done
