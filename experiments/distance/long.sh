#!/usr/bin/env bash
# Session 26: long plans with the learned distance on large. Session 25's
# 30-token plans lost with the straight line (-21.8 ± 12.1, medium); the
# learned distance may give far goals a direction that long plans can
# use. df-td at 30 tokens (guidance 5, as session 25's h30: the objective
# sums twice the frames) against df-td at the shipped 15 tokens
# (out/tdblend3-large-*), large, 20 episodes a cell.
#
# Decision rule, written before any run: seed 777 first (40 pairs, single
# and multi); if the paired difference is positive, seed 31337. 30-token
# plans become df-td's setting on large only if the 80 pairs of both seeds
# give a difference above twice its standard error.
# Usage (from /work/train/s26; DFPLAN = binary, O = output folder): long.sh SEED
set -eu
B=${DFPLAN:-dfplan}
O=${O:-out}
seed=$1
for task in single multi; do
  out="$O/tdh30-large-$task-s$seed"
  [ -f "$out.json" ] || $B bench --maze large --task "$task" --planner df-td --distance large-tdb.safetensors \
    --episodes 20 --seed "$seed" --batch 20 --horizon-tokens 30 --guidance-scale 5 --json "$out.json" >"$out.txt" &
done
wait
