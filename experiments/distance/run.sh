#!/usr/bin/env bash
# Session 26: df guided by a learned temporal distance (df-td) against df,
# on the tuning seeds 777 and 31337, 20 episodes a cell, each maze's
# shipped model and settings over the paper preset. df's cells are
# session 25's (experiments/scaling/s25/grid/shipped-*, large-shipped-*),
# made by the same command with --planner df; df-td's differ only in
# --planner df-td --distance FILE.
#
# Distance models: dfplan train-distance --data MAZE-noisy.npz
#   --out MAZE-td.safetensors --steps 30000 (defaults otherwise).
#
# Decision rules, written before any run:
#  1. Seed 777 chooses the guidance scale: df-td at the preset's 10 and at
#     5 (the learned distance is about twice the shortest path, so 5 pulls
#     about as hard as the straight line does at 10), each over 80 paired
#     episodes (medium and large, single and multi) against df. The one
#     with the larger mean paired difference goes on.
#  2. Seed 31337 confirms: the chosen setting's paired difference against
#     df over its 80 episodes. df-td replaces the straight line as df's
#     objective (shipped distance models, the table re-run) only if that
#     difference is positive by more than two standard errors; otherwise
#     it stays a named row and the result is written down.
# Usage (from a directory with the distance models; DFPLAN = binary,
# REPO = repository root): run.sh 777 | run.sh 31337 SCALE
set -eu
B=${DFPLAN:-dfplan}
R=${REPO:-.}
O=${O:-out}
seed=$1
mkdir -p "$O"
cell() {
  maze=$1 task=$2 g=$3
  out="$O/td-g$g-$maze-$task-s$seed"
  [ -f "$out.json" ] || $B bench --maze "$maze" --task "$task" --planner df-td --distance "$maze-td.safetensors" \
    --episodes 20 --seed "$seed" --batch 20 --guidance-scale "$g" --json "$out.json" >"$out.txt"
}
scales=${2:-"10 5"}
for g in $scales; do
  for maze in medium large; do
    for task in single multi; do
      cell $maze $task $g &
      [ "$(jobs -r | wc -l)" -lt 2 ] || wait -n
    done
  done
done
wait
