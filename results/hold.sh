#!/usr/bin/env bash
# The README table's "df + hold" row: df with the paper preset and hold 0.5
# (a robot within 0.5 m of its goal brakes instead of executing its plan;
# experiments/brake/README.md), the table's cells and seed.
# Usage: DFPLAN=binary results/hold.sh [SEED [DIR]]   (default: 0, results/)
set -eu
B=${DFPLAN:-dfplan}
seed=${1:-0}
dir=${2:-$(dirname "$0")}
for maze in umaze medium large; do
  for task in single multi; do
    o=$dir/$maze-$task-df-hold
    [ -f $o.json ] || $B bench --maze $maze --task $task --planner df --hold 0.5 \
      --episodes 50 --seed $seed --batch 25 --json $o.json > $o.txt
  done
done
