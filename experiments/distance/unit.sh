#!/usr/bin/env bash
# Session 28: the learned distance's gradient taken at unit length.
#
# Why: a shortest-path distance has a gradient of length 1 wherever it is
# smooth, as the straight line has, and guidance 10 was tuned on the
# straight line. The shipped learned distances' gradients are far from it:
# over random pairs of free positions at least 1 m apart, ‖∇d‖ has p10
# 0.59, median 1.33, p90 2.47 on medium (large 0.58 / 1.40 / 2.71;
# measured by a tool since folded into fieldcheck, whose last line gives
# the same at data positions; README.md, "The gradient at unit length").
# So where the learned distance takes over, guidance pulls anywhere from
# 0.6 to 2.5 times as hard as the straight line, and on medium df-td
# reached goals later than df in many episodes it did not rescue
# (README.md, "Session 28"). The change: GoalReaching keeps only the
# direction of the field's gradient (before the blend with the straight
# line); the distance's value, and so the blend, are unchanged.
#
# Runs: df-td exactly as run.sh's tdblend3 cells (tuning seeds 777 and
# 31337, 20 episodes a cell, medium and large, single and multi: 160
# pairs), with the build that normalizes (DFPLAN). Baselines, from the
# repository: df-td's raw gradient, out/tdblend3-* (large's shipped
# planner); df's straight line on medium, ../scaling/s25/grid/shipped-*.
#
# Decision rules, written before any run:
#  1. The unit gradient replaces the raw one for every learned-distance
#     objective (large's shipped planner, df-td) if, against tdblend3 over
#     all 160 pairs, the difference is positive by more than one standard
#     error and neither maze's 80 pairs is negative by more than one.
#  2. medium's settings switch to objective: learned only if, in addition,
#     unit df-td − df (straight line) on medium's 80 pairs is positive by
#     more than two standard errors, and then also on the fresh seed 5151
#     (20 episodes single + 20 multi, both planners run here, 40 pairs:
#     positive difference).
#  3. Otherwise the change is removed and the finding written down.
# Usage (from experiments/distance): DFPLAN=binary unit.sh SEED [MAZES]
set -eu
cd "$(dirname "$0")"
for maze in ${2:-medium large}; do
  ./cells.sh unit "$maze" "$1" --planner df-td --distance "../../models/shipped/$maze.distance.safetensors"
done
