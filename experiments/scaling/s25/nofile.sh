#!/usr/bin/env bash
# Were medium's settings fitted to the shipped model? Both models with the
# paper preset alone (an empty settings file: no stop term, no unstick),
# tuning seeds 777 and 31337, single- and multi-task, 20 episodes
# (experiments/scaling/README.md, "Session 25"). Run like grid.sh.
# Written before the runs: if medium-long without the file beats the
# shipped model with its file (grid.sh's shipped cells) pooled over 80
# pairs by more than the standard error, the settings, not the model, held
# it back, and the next session re-tunes them for it.
set -eu
B=${DFPLAN:-dfplan}
O=${O:-out}
mkdir -p "$O"
: >"$O/empty.yaml"
for seed in 777 31337; do
  for task in single multi; do
    for m in shipped long; do
      n=$m-nofile-$task-s$seed
      args=()
      [ $m = shipped ] || args=(--model medium-long.safetensors)
      [ -f "$O/$n.json" ] || $B bench --maze medium --task $task --planner df --episodes 20 --seed $seed --batch 20 \
        --plan "$O/empty.yaml" "${args[@]}" --json "$O/$n.json" >"$O/$n.txt"
    done
  done
done
