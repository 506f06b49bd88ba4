#!/usr/bin/env bash
# large-n05-long (150,000 steps; models/shipped/large.md) against the older
# large model on the tuning seeds 777 and 31337, 20 episodes each, single-
# and multi-task (experiments/scaling/README.md, "Session 24"). Run from
# this directory with DFPLAN set to a dfplan binary built before the new
# model shipped, so that its embedded large model is the older one, and
# MODEL to the new checkpoint.
# Decision rule, written before the runs: of A and C, the one with the
# better paired difference against the older model on single-task (40
# pairs) is run on multi-task; it ships if its pooled paired difference
# over the 80 episodes (single + multi, both seeds) is positive by more
# than its standard error.
set -eu
B=${DFPLAN:-dfplan}
M=${MODEL:-large-n05-long.safetensors}
for task in ${TASKS:-single multi}; do
  for seed in 777 31337; do
    [ -f shipped-$task-s$seed.json ] || $B bench --maze large --task $task --planner df --episodes 20 --seed $seed --batch 20 \
      --json shipped-$task-s$seed.json >shipped-$task-s$seed.txt
    for c in ${SETS:-A C}; do
      [ -f n05$c-$task-s$seed.json ] || $B bench --maze large --task $task --planner df --episodes 20 --seed $seed --batch 20 \
        --model "$M" --plan plan$c.yaml \
        --json n05$c-$task-s$seed.json >n05$c-$task-s$seed.txt
    done
  done
done
# As run: TASKS=single ./grid.sh, then TASKS=multi SETS=A ./grid.sh (A won
# single-task); B (open loop 3) was dropped before any run, for time.
