#!/usr/bin/env bash
# The scaling study's measurements of each model (issue 26): held-out x̂0
# error at a few noise levels over 64-token windows of data the models never
# saw, and a short fixed-seed benchmark on medium (df, 20 episodes, seed
# 777, 60-token plans: the remaining episode, as the reference plans).
# Run from the repository root:
#   experiments/scaling/eval.sh DFPLAN HELDOUT.npz OUTDIR MODEL...
set -euo pipefail
bin=${1:?usage: eval.sh DFPLAN HELDOUT.npz OUTDIR MODEL...}
heldout=${2:?}
out=${3:?}
shift 3
mkdir -p "$out"
for m in "$@"; do
	name=$(basename "$m" .safetensors)
	"$bin" model eval "$m" --data "$heldout" --noise 0.02,0.1,0.5,0.9 --horizon 64 --windows 256 --seed 5 \
		--json "$out/$name-eval.json" > "$out/$name-eval.txt"
	"$bin" bench --maze medium --planner df --model "$m" --plan models/shipped/medium.plan.yaml \
		--horizon-tokens 60 --episodes 20 --seed 777 --json "$out/$name-bench.json" > "$out/$name-bench.txt"
done
