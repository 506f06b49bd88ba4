#!/usr/bin/env bash
# umaze-n05's single-task failures (robots pinned at x = 2.4 against the
# wall between the U's arms): plan B with more unguided replans, or with
# weaker guidance. Run from /work/train/noisy.
set -eu
D=/work/main/experiments/scaling/s23/umaze
B=/work/train/dfplan-s23
run() { name=$1 task=$2; shift 2
  for seed in 777 31337; do
    $B bench --maze umaze --task $task --planner df --episodes 20 --seed $seed --batch 20 \
      --model umaze-n05.safetensors --plan $D/planB.yaml "$@" \
      --json $D/n05$name-$task-s$seed.json > $D/n05$name-$task-s$seed.txt
  done
}
run B-unstick30 single --unstick 30
run B-g5 single --guidance-scale 5
echo grid2 done
# then, once guidance 5 had fixed single-task, the same on multi-task:
# run B-g5 multi --guidance-scale 5
