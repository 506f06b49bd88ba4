#!/usr/bin/env bash
# The full table on seed 2027 (chosen before running; never tuned on), shipped models and settings, paper preset.
set -u
cd "$(dirname "$0")"
for p in df df-nomcg fullseq mppi expert random; do
  for m in umaze medium large; do
    for k in single multi; do
      f=$m-$k-$p
      [ -s $f.json ] && continue
      ${DFPLAN:-dfplan} bench --maze $m --task $k --planner $p --episodes 50 --seed 2027 --batch 25 --json $f.json > $f.txt 2> $f.log || echo "FAILED $f"
    done
  done
done
echo TABLE DONE
