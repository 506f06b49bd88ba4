#!/usr/bin/env bash
# Session 26: a fresh seed for large only (4242: never run before this
# script). Decision rule, written before any run: df-td becomes large's
# default planner objective (large.plan.yaml; the switch and the table's
# large cells re-run are left to the next session) if df-td − df over
# these 40 pairs (single and multi, 20 episodes each) is above twice its
# standard error. Otherwise large keeps the straight line, as medium and
# umaze do.
# Usage (from the repository root; DFPLAN = binary): fresh.sh
set -eu
B=${DFPLAN:-dfplan}
O=experiments/distance/out
for task in single multi; do
  for p in df df-td; do
    out="$O/fresh-large-$task-$p-s4242"
    [ -f "$out.json" ] || $B bench --maze large --task "$task" --planner "$p" --episodes 20 --seed 4242 --batch 20 \
      --json "$out.json" >"$out.txt" 2>/dev/null &
    [ "$(jobs -r | wc -l)" -lt 2 ] || wait -n
  done
done
wait
