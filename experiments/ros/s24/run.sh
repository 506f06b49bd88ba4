#!/usr/bin/env bash
# large's new model through the ROS node (realtime preset), seed 2027,
# single-task, 50 episodes, idle 2-core machine, and the same episodes in
# the simulator (which waits for plans); the cells of ../s23/run.sh for large.
set -eu
D=${OUT:-$(dirname "$0")}
B=${DFPLAN:-dfplan}
rosmaster --core -p 11424 >/tmp/s24-master.log 2>&1 &
M=$!
trap 'kill $M' EXIT
sleep 3
export ROS_MASTER_URI=http://127.0.0.1:11424
for mode in ros sim; do
  extra=(--ros)
  [ $mode = sim ] && extra=(--batch 25)
  $B bench --maze large --task single --planner df --episodes 50 --seed 2027 --preset realtime "${extra[@]}" \
    --json "$D/large-single-df-$mode-rt.json" >"$D/large-single-df-$mode-rt.txt"
done
echo done
