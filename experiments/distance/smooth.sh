#!/usr/bin/env bash
# Session 27: the learned distance's gradient taken as its slope over
# ±0.2 m (bench --distance-smooth 0.2; distance.Smoothed) instead of its
# derivative at the point. fieldcheck (README.md, "Does it point the right
# way?") measured that slope pointing along a shortest path more often
# than the derivative where a wall is in the way: 0.89 against 0.80 on
# medium, 0.78 against 0.74 on large (positions from held-out data).
#
# One value (0.2 m, fieldcheck's), tuning seeds 777 and 31337 only, 20
# episodes per cell, single- and multi-task, shipped models and settings,
# df-td (the learned distance blended with the straight line).
# Baselines, same command without the flag: session 26's df-td cells
# (out/tdblend3-*) and df with the straight line
# (experiments/scaling/s25/grid/shipped-*, large-shipped-*).
# Decision rules, written before the runs:
#  large:  the smoothed slope goes into large's settings if smoothed −
#          unsmoothed df-td is above twice its standard error over the 80
#          pairs (to be confirmed on a fresh seed before shipping).
#  medium: the learned distance with the smoothed slope becomes a
#          candidate for medium's objective (fresh-seed confirmation
#          first) if smoothed df-td − df (straight line) is above twice
#          its standard error over the 80 pairs and not below zero on
#          either task.
# Usage (from the repository root; DFPLAN = binary): smooth.sh
set -u
B=${DFPLAN:-dfplan}
O=experiments/distance/out
for m in medium large; do
  for seed in 777 31337; do
    for task in single multi; do
      out="$O/smooth02-$m-$task-s$seed"
      [ -f "$out.json" ] || $B bench --maze $m --task $task --planner df-td --episodes 20 --seed $seed --batch 20 \
        --distance-smooth 0.2 --json "$out.json" >"$out.txt" 2>/dev/null &
      [ "$(jobs -r | wc -l)" -lt 2 ] || wait -n
    done
  done
done
wait
echo SMOOTH DONE
