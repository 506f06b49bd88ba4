#!/usr/bin/env bash
# Session 27: large's df-family cells re-run after large.plan.yaml switched
# to the learned objective (experiments/distance/fresh.sh's rule passed):
# seed 0 into results/, seed 2027 into experiments/table-s2027/, the same
# command as every other cell of those tables. Two cells at a time.
# Usage (from the repository root; DFPLAN = binary): run.sh
set -u
B=${DFPLAN:-dfplan}
for seed_dir in "0 results" "2027 experiments/table-s2027"; do
  set -- $seed_dir
  for p in df df-nomcg fullseq; do
    for k in single multi; do
      f=$2/large-$k-$p
      $B bench --maze large --task $k --planner $p --episodes 50 --seed $1 --batch 25 \
        --json $f.json >$f.txt 2>$f.log.tmp || echo "FAILED $f" &
      [ "$(jobs -r | wc -l)" -lt 2 ] || wait -n
    done
  done
done
wait
for f in results/*.log.tmp; do rm -f "$f"; done
for f in experiments/table-s2027/*.log.tmp; do mv "$f" "${f%.tmp}"; done
echo LARGE DONE
