#!/usr/bin/env bash
# Session 28: large's blend between the straight line and the learned
# distance, moved down to 1.15 … 1.45.
#
# Why: the blend (1.3 … 1.7, chosen on medium in session 26) keeps the
# straight line wherever the learned distance is under 1.3 times it. On
# large the learned distance comes out at 1.22–1.41 times the straight
# line all along the way round the wall row 4 for the goal (7, 9) (fieldcheck ... at 7,9:
# (4, 1) 1.41, (3, 3) 1.27, (3, 5) 1.28, (5, 6) 1.25), where the straight
# line pulls into the wall and the learned distance along the corridor;
# five of the 14 single-task robots that never arrived on seed 2027 sit at
# (4.4–5.5, 2.1–2.2) on that way. fieldcheck on large's held-out pairs:
# learned / straight line is 0.84 / 0.98 / 1.33 (10th / 50th / 90th
# percentile) where the line is open and 1.46 / 1.83 / 2.85 where it is
# blocked, so 1.15 … 1.45 still leaves most open pairs to the straight
# line and hands nearly every blocked one to the learned distance.
#
# Runs: df on large with --detour-from 1.15 --detour-to 1.45, tuning seeds
# 777 and 31337, 20 episodes a cell, single and multi (80 pairs), against
# out/tdblend3-large-* (the shipped planner, reproduced exactly).
#
# Decision rule, written before any run: large.plan.yaml takes
# detour_from 1.15, detour_to 1.45 only if the pooled difference is
# positive by more than two standard errors, and then also positive on
# the fresh seed 5151 (40 pairs, both planners run here).
# Usage (from experiments/distance): DFPLAN=binary blend.sh SEED
set -eu
cd "$(dirname "$0")"
./cells.sh blend115 large "$1" --planner df --detour-from 1.15 --detour-to 1.45
