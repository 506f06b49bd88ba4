#!/usr/bin/env bash
# The realtime preset with hold (a robot within 0.5 m of its goal brakes;
# session 29, experiments/brake/) through the ROS node in real time and in
# the simulator (which waits for plans): seed 2027, single-task, 50
# episodes a maze, on an otherwise idle 2-core machine. The cells of
# ../s23/run.sh and ../s24/run.sh, for every maze; with TASK=multi, the
# same for multi-task goals.
# Usage: DFPLAN=binary [TASK=multi] experiments/ros/s29/run.sh
set -eu
cd "$(dirname "$0")"
rosmaster --core -p 11429 >/tmp/s29-master.log 2>&1 & trap "kill $!" EXIT
sleep 3
task=${TASK:-single}
for maze in umaze medium large; do
  for mode in ros sim; do
    how=--ros; [ $mode = sim ] && how="--batch 25"
    ROS_MASTER_URI=http://127.0.0.1:11429 ${DFPLAN:-dfplan} bench --maze $maze --task $task --planner df \
      --episodes 50 --seed 2027 --preset realtime $how --json $maze-$task-df-$mode-rt.json >$maze-$task-df-$mode-rt.txt
  done
done
echo done
