#!/usr/bin/env bash
# One planner setting on one maze, single- and multi-task side by side, 20
# episodes a cell: the cells of session 28's scripts (unit.sh, fourier.sh,
# blend.sh, better-prior.sh, slope.sh).
# Writes $O/NAME-MAZE-TASK-sSEED.json (and .txt), skipping cells present.
# Usage (from experiments/distance): DFPLAN=binary cells.sh NAME MAZE SEED [BENCH FLAGS...]
set -eu
B=${DFPLAN:-dfplan}
O=${O:-out}
name=$1 maze=$2 seed=$3
shift 3
mkdir -p "$O"
for task in single multi; do
  out="$O/$name-$maze-$task-s$seed"
  [ -f "$out.json" ] || $B bench --maze "$maze" --task "$task" "$@" \
    --episodes 20 --seed "$seed" --batch 20 --json "$out.json" >"$out.txt" &
done
wait
