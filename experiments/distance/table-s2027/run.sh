#!/usr/bin/env bash
# df-td on the table's seed 2027 (chosen before any run, never tuned on):
# its own row beside experiments/table-s2027, shipped models, shipped
# distance models and settings, paper preset, 50 episodes per cell.
set -u
cd "$(dirname "$0")"
cell() {
  f=$1-$2-df-td
  [ -s $f.json ] && return
  ${DFPLAN:-dfplan} bench --maze $1 --task $2 --planner df-td --episodes 50 --seed 2027 --batch 25 --json $f.json > $f.txt 2> $f.log || echo "FAILED $f"
}
for m in large medium umaze; do
  for k in single multi; do
    cell $m $k &
    [ "$(jobs -r | wc -l)" -lt 2 ] || wait -n
  done
done
wait
echo TABLE DONE
