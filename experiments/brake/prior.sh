#!/usr/bin/env bash
# Session 29: was the better prior's loss its robots leaving the goal?
#
# Sessions 25 and 28: medium-long (the shipped medium model trained on
# 100,000 more steps, lr annealed; half the unguided wall crossings)
# planned worse than the shipped model, −11.4 ± 5.7 and −15.0 ± 5.5 over
# 80 pairs, and its robots held their goal less (0.78–0.95 against
# 0.89–1.00). With hold, no robot leaves its goal, so what is left is
# reaching it.
#
# Runs: medium-long with medium's settings and hold 0.5 (medium.plan.yaml
# here), the paper preset, tuning seeds 777 and 31337, 20 episodes a cell,
# single and multi, against the shipped model with the same settings
# (out/hold-medium-*).
#
# Reading, written before the runs (a diagnostic: nothing ships from it,
# since the table's df plans without hold): if medium-long with hold is
# within two standard errors of the shipped model with hold, or above,
# the earlier losses were mostly hold; if it is still more than two
# standard errors below, a better denoiser also reaches its goal worse.
# Usage (from experiments/brake): DFPLAN=binary prior.sh MODEL SEED
set -eu
cd "$(dirname "$0")"
../distance/cells.sh long-hold medium "$2" --planner df --model "$1" --plan medium.plan.yaml
