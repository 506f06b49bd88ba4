#!/usr/bin/env bash
# Session 27: does more compute make large's learned distance point the
# right way more often? The shipped large distance (30,000 steps, hidden
# 256) pulls along a shortest path for 0.77 of held-out data pairs (0.74
# where a wall is in the way; the straight line 0.90 / 0.70). Two models
# at 4× its compute, one core each:
#   long: the shipped recipe, 120,000 steps;
#   wide: hidden 512 (4× the multiply-adds per pair), 30,000 steps.
# Measured by fieldcheck on held-out data (the only step that reads the
# map), then planning on the tuning seeds only.
# Rule, written before the runs: a model goes on to planning if fieldcheck
# puts it above the shipped one by at least 0.03 on all pairs and on
# blocked pairs; it is a candidate for large's shipped distance (to be
# confirmed on a fresh seed in a later session) if df with it beats df
# with the shipped distance on the tuning seeds 777 and 31337 (20
# episodes, single- and multi-task: 80 pairs) by more than twice the
# standard error.
# Usage (from the repository root; DFPLAN = binary, data in /work/train):
#   scale.sh train | scale.sh check | scale.sh plan NAME
set -u
B=${DFPLAN:-dfplan}
T=/work/train/s27
O=experiments/distance/out
mkdir -p $T $O
case "$1" in
train)
  $B train-distance --data /work/train/large-noisy.npz --out $T/large-long.safetensors \
    --config experiments/distance/configs/td.yaml --steps 120000 > $T/large-long.log 2>&1 &
  $B train-distance --data /work/train/large-noisy.npz --out $T/large-wide.safetensors \
    --config experiments/distance/configs/td-wide.yaml --steps 30000 > $T/large-wide.log 2>&1 &
  wait ;;
check)
  for n in long wide; do
    go run ./experiments/distance/fieldcheck large $T/large-$n.safetensors 2000 /work/train/large-heldout.npz \
      > experiments/distance/fieldcheck-out/large-$n-data.txt
  done ;;
plan)
  for seed in 777 31337; do
    for task in single multi; do
      out="$O/scale-large-$task-s$seed-$2"
      [ -f "$out.json" ] || $B bench --maze large --task $task --planner df --episodes 20 --seed $seed --batch 20 \
        --distance $T/large-$2.safetensors --json "$out.json" >"$out.txt" 2>/dev/null &
      [ "$(jobs -r | wc -l)" -lt 2 ] || wait -n
    done
  done
  wait ;;
esac
