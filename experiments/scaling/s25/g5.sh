#!/usr/bin/env bash
# Guidance 5 instead of the paper preset's 10, medium single-task, tuning
# seeds 777 and 31337, 20 episodes: the shipped model and medium-long
# (experiments/scaling/README.md, "Session 25"). Run like grid.sh.
set -eu
B=${DFPLAN:-dfplan}
R=${REPO:-.}
O=${O:-out}
mkdir -p "$O"
for seed in 777 31337; do
  for m in shipped long; do
    n=$m-g5-single-s$seed
    args=()
    [ $m = shipped ] || args=(--model medium-long.safetensors --plan "$R/models/shipped/medium.plan.yaml")
    [ -f "$O/$n.json" ] || $B bench --maze medium --task single --planner df --episodes 20 --seed $seed --batch 20 \
      --guidance-scale 5 "${args[@]}" --json "$O/$n.json" >"$O/$n.txt"
  done
done
