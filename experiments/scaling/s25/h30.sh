#!/usr/bin/env bash
# 30-token plans with the guidance scaled to the plan's length (5 = 10 ×
# 15 / 30), medium multi-task, tuning seed 777, 20 episodes: the shipped
# model and medium-long, whose prior crosses walls half as often
# (experiments/scaling/README.md, "Session 25"). Run like grid.sh.
set -eu
B=${DFPLAN:-dfplan}
R=${REPO:-.}
O=${O:-out}
mkdir -p "$O"
for m in shipped long; do
  n=$m-h30-g5-multi-s777
  args=()
  [ $m = shipped ] || args=(--model medium-long.safetensors --plan "$R/models/shipped/medium.plan.yaml")
  [ -f "$O/$n.json" ] || $B bench --maze medium --task multi --planner df --episodes 20 --seed 777 --batch 20 \
    --horizon-tokens 30 --guidance-scale 5 "${args[@]}" --json "$O/$n.json" >"$O/$n.txt"
done
