#!/usr/bin/env bash
# Session 29: the learned distance on medium, with hold.
#
# Session 26: on medium the learned distance freed robots stuck behind
# walls and lost as much elsewhere (df-td − df −2.3 ± 4.3 on seed 2027),
# so medium kept the straight line. Robots that left their goal were part
# of every medium score then. With hold they stay, so what is left is
# reaching.
#
# Runs: medium, medium-learned.plan.yaml (medium's settings, hold 0.5,
# objective learned) under the paper preset and the realtime preset,
# tuning seeds 777 and 31337, 20 episodes a cell, single and multi,
# against the straight line with hold (out/hold-medium-*, out/rthold-medium-*).
#
# Reading, written before the runs (report-only: medium's settings file
# serves both presets and the table's df plans without hold, so nothing
# ships from this): a pooled difference over the 80 pairs of a preset
# beyond two standard errors says the learned distance's loss on medium
# was its robots leaving the goal (if positive) or is in the reaching (if
# negative); within two standard errors, nothing is shown.
# Usage (from experiments/brake): DFPLAN=binary learned.sh SEED
set -eu
cd "$(dirname "$0")"
../distance/cells.sh learned-hold medium "$1" --planner df --plan medium-learned.plan.yaml
../distance/cells.sh rtlearned-hold medium "$1" --planner df --preset realtime --plan medium-learned.plan.yaml
