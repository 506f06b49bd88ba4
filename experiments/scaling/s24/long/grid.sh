#!/usr/bin/env bash
# Long plans with a far-trained medium model, medium multi-task, tuning
# seed 777, 20 episodes (experiments/scaling/README.md, "Session 24").
# Run from a directory holding medium-ft64.safetensors, made by:
#   dfplan gen --maze medium --steps 2000000 --noise 0.5 --seed 1 --out medium-noisy.npz
#   dfplan train --data medium-noisy.npz --out medium-ft64.safetensors --init models/shipped/medium.safetensors \
#       --config experiments/scaling/s24/long/ft64.yaml --steps 6000 --seed 2 --threads 1 --checkpoint-every 5m
# DFPLAN is the dfplan binary, REPO the repository root.
set -eu
B=${DFPLAN:-dfplan}
R=${REPO:-.}
O=${O:-out}
mkdir -p "$O"
seed=777
run() {
  name=$1
  shift
  [ -f "$O/$name-s$seed.json" ] || $B bench --maze medium --task multi --planner df --episodes 20 --seed $seed --batch 20 \
    --json "$O/$name-s$seed.json" "$@" >"$O/$name-s$seed.txt"
}
ft=(--model medium-ft64.safetensors --plan "$R/models/shipped/medium.plan.yaml")
run shipped
run ft64-h15 "${ft[@]}"
run ft64-h30 "${ft[@]}" --horizon-tokens 30
run ft64-h60 "${ft[@]}" --horizon-tokens 60
run ft64-h60-g2.5 "${ft[@]}" --horizon-tokens 60 --guidance-scale 2.5
