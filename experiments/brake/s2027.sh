#!/usr/bin/env bash
# df with the paper preset and hold 0.5 on the report seed 2027, the six
# cells of experiments/table-s2027 (50 episodes, --batch 25): what the
# table's df would score if its robots stopped at their goal. Reported as
# its own row, beside df; not tuned on (the seed is report-only).
# Usage (from experiments/brake): DFPLAN=binary s2027.sh
set -eu
cd "$(dirname "$0")"
B=${DFPLAN:-dfplan}
mkdir -p out
for maze in umaze medium large; do
  for task in single multi; do
    o=out/s2027-hold-$maze-$task
    [ -f $o.json ] || $B bench --maze $maze --task $task --planner df --hold 0.5 \
      --episodes 50 --seed 2027 --batch 25 --json $o.json > $o.txt
  done
done
