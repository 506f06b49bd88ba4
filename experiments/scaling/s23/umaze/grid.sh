#!/usr/bin/env bash
# umaze-n05 against the shipped umaze model on the tuning seeds (20 episodes
# each, single- and multi-task). Run from /work/train/noisy after training.
set -eu
D=/work/main/experiments/scaling/s23/umaze
B=/work/train/dfplan-s23
for task in single multi; do
  for seed in 777 31337; do
    $B bench --maze umaze --task $task --planner df --episodes 20 --seed $seed --batch 20 \
      --json $D/shipped-$task-s$seed.json > $D/shipped-$task-s$seed.txt
    for c in A B; do
      $B bench --maze umaze --task $task --planner df --episodes 20 --seed $seed --batch 20 \
        --model umaze-n05.safetensors --plan $D/plan$c.yaml \
        --json $D/n05$c-$task-s$seed.json > $D/n05$c-$task-s$seed.txt
    done
  done
done
echo grid done
