#!/usr/bin/env bash
# Session 29: robots that have arrived plan with the full-sequence schedule.
#
# Why: df loses score after it arrives. On seed 2027 its robots spend
# 85 % of the steps after their first arrival within 0.5 m of the goal
# on medium and large multi-task (89 % large single-task); fullseq's
# 97–98 % on medium and large multi-task. Had df held its goal from its
# first arrival, the same episodes would score medium multi 122.3 (103.5),
# large single 137.7 (121.8) and large multi 173.1 (147.5). Traces of
# medium (seed 777) show why: at the goal the executed actions are near
# full force (mean |a| 1.16–1.20 of at most 1.41) and the plans' speeds
# about 1 m/s; the pyramid draws the executed action before the future is
# known, and the data's ball never stands still. The full-sequence
# schedule denoises the whole plan of staying at the goal at once.
#
# Runs: df with each maze's shipped settings plus arrived_schedule:
# full_sequence (MAZE.plan.yaml here), tuning seeds 777 and 31337, 20
# episodes a cell, single and multi (80 pairs a maze), against the
# shipped planner on the same episodes: out/shipped-* (umaze, run here),
# ../scaling/s25/grid/shipped-* (medium) and
# ../distance/out/tdblend3-large-* (large), which reproduce exactly.
#
# Decision rule, written before any run: a maze's settings take
# arrived_schedule: full_sequence only if it beats its shipped planner by
# more than two standard errors over its 80 pairs, and then is ahead
# (mean > 0) on the fresh seed 5151 over 40 pairs (both run here). Hold
# rates are reported either way.
# Usage (from experiments/arrived): DFPLAN=binary run.sh MAZE SEED
set -eu
cd "$(dirname "$0")"
maze=$1 seed=$2
if [ "$maze" = umaze ] || [ "$seed" = 5151 ]; then
  ../distance/cells.sh shipped "$maze" "$seed" --planner df
fi
../distance/cells.sh arrived "$maze" "$seed" --planner df --plan "$maze.plan.yaml"
