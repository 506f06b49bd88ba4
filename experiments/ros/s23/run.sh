#!/usr/bin/env bash
# The realtime preset through the ROS node in real time, seed 2027,
# single-task, 50 episodes, on an otherwise idle 2-core machine, next to
# the same episodes in the simulator (which waits for plans):
#   medium: the shipped 513 k model, then one robot's plan time outside ROS;
#   umaze (the node's default maze): the new model and the older one
#   (OLD_UMAZE_DIR: its model and plan file from git history, commit 4d48263).
# Ran as two scripts, medium first; umaze after the new umaze model shipped.
# With ROS_ONLY=1 (and OUT=DIR) only the new models' ROS cells and the plan
# times: the rerun after the transposes were kept (transposes/).
set -eu
D=${OUT:-/work/main/experiments/ros/s23}
B=${DFPLAN:-dfplan}
only=${ROS_ONLY:-}
O=${OLD_UMAZE_DIR:-}
[ -n "$only" ] || [ -n "$O" ] || { echo "OLD_UMAZE_DIR is not set" >&2; exit 2; }
rosmaster --core -p 11423 > /tmp/s23-master.log 2>&1 &
M=$!
trap 'kill $M' EXIT
sleep 3
export ROS_MASTER_URI=http://127.0.0.1:11423
cell() { maze=$1 name=$2; shift 2
  $B bench --maze $maze --task single --planner df --episodes 50 --seed 2027 --preset realtime "$@" \
    --json $D/$maze-single-df-$name.json > $D/$maze-single-df-$name.txt
}
cell medium ros-rt --ros
[ -n "$only" ] || cell medium sim-rt --batch 25
for p in realtime paper; do
  short=$p; [ $p = realtime ] && short=rt
  $B bench --maze medium --planner df --episodes 2 --batch 1 --steps 100 --preset $p \
    --json $D/latency-medium-$short.json > $D/latency-medium-$short.txt
done
cell umaze ros-rt --ros
if [ -z "$only" ]; then
  cell umaze ros-rt-old --ros --model $O/umaze.safetensors --plan $O/umaze.plan.yaml
  cell umaze sim-rt --batch 25
fi
echo done
