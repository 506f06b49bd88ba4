#!/usr/bin/env bash
# Session 28: does a better-trained medium model need a stronger stop term?
#
# Why: medium-long (session 25's recipe, retrained in session 28: the
# shipped model trained 100,000 more steps, lr annealed) plans worse than
# the shipped model under either objective, and its robots hold their goal
# less: 0.64–0.97 of the steps after arriving against 0.80–1.00 under the
# learned distance (experiments/distance/README.md, "A better prior under
# the learned distance"). medium's settings make robots near the goal pay
# twice their planned speed (stop_weight 2), chosen for the shipped model.
# If the sharper model's plans need a stronger brake, stop_weight 4 shows it.
#
# Runs: df on medium (the straight line, as shipped), medium-long with
# stop4.plan.yaml (medium's settings, stop_weight 4), tuning seeds 777 and
# 31337, 20 episodes a cell, single and multi (80 pairs), against medium's
# shipped planner (../s25/grid/shipped-*).
#
# Decision rule, written before any run: medium-long with stop_weight 4
# becomes a candidate to ship only if it beats the shipped planner by more
# than two standard errors over the 80 pairs, and then also on the fresh
# seed 5151 (40 pairs, both run here). Its hold rate is reported either way.
# Usage (from experiments/scaling/s28): DFPLAN=binary hold.sh MODEL SEED
set -eu
cd "$(dirname "$0")"
O=${O:-out} ../../distance/cells.sh long-stop4 medium "$2" --planner df --model "$1" --plan stop4.plan.yaml
