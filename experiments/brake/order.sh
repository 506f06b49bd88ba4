#!/usr/bin/env bash
# Session 29: the ablations' ordering with hold. On seed 2027, fullseq's
# robots held their goal better than df's (0.91–0.98 against 0.85–0.89 on
# medium multi-task and large), and fullseq scored highest on large. With
# hold for all three, the comparison is between how they reach the goal.
# Runs df-nomcg and fullseq with --hold 0.5 on the report seed's medium
# and large cells (50 episodes, --batch 25), beside df + hold
# (experiments/table-s2027/*-df-hold.json). Report-only: nothing ships
# from it.
# Usage (from the repository root): DFPLAN=binary experiments/brake/order.sh
set -eu
B=${DFPLAN:-dfplan}
T=experiments/table-s2027
for p in df-nomcg fullseq; do
  for maze in medium large; do
    for task in single multi; do
      o=$T/$maze-$task-$p-hold
      [ -f $o.json ] || $B bench --maze $maze --task $task --planner $p --hold 0.5 \
        --episodes 50 --seed 2027 --batch 25 --json $o.json > $o.txt
    done
  done
done
