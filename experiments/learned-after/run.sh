#!/usr/bin/env bash
# Session 27: the learned_after rule (planner Config.LearnedAfter). A
# robot whose straight-line distance to its goal has not come 0.25 m
# below its mark for N ticks plans with the learned distance for the rest
# of that goal; the others keep the straight line. It targets medium's
# robots that sit for the whole episode at a wall between them and the
# goal (9 of 50 multi-task episodes of df score 0 on seed 2027). Unlike
# the removed `stall` setting (unguided replans; experiments/stall), it
# changes the objective, not whether there is one.
#
# Decision rule, written before any run (tuning seeds 777 and 31337 only,
# 20 episodes per cell, single- and multi-task; N = 100, the only value
# tried): learned_after 100 goes into a maze's shipped plan file if, over
# that maze's 80 pairs, the difference (rule − none) is above twice its
# standard error and neither task's 40 pairs is below zero. Run for medium
# and umaze (large already plans with the learned distance throughout).
# Usage (from the repository root; DFPLAN = binary): run.sh
set -u
B=${DFPLAN:-dfplan}
O=experiments/learned-after/out
mkdir -p $O
for m in medium umaze; do
  for seed in 777 31337; do
    for task in single multi; do
      for n in 0 100; do
        out="$O/$m-$task-s$seed-n$n"
        [ -f "$out.json" ] || $B bench --maze $m --task $task --planner df --episodes 20 --seed $seed --batch 20 \
          --learned-after $n --json "$out.json" >"$out.txt" 2>"$out.log" &
        [ "$(jobs -r | wc -l)" -lt 2 ] || wait -n
      done
    done
  done
done
wait
echo LEARNED-AFTER DONE
