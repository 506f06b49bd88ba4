#!/usr/bin/env bash
# Issue 27's check that the refactor left the planner's behaviour alone:
# the main table's six df cells re-run on the engine that made them
# (gorgonia's graph, --engine graph) and on the default native engine.
# Run from the repository root:
#   experiments/refactor-check/run.sh DFPLAN OUTDIR [ENGINE ...]
# ENGINE is native (default) and/or graph (about ten times slower).
set -euo pipefail
bin=${1:?usage: run.sh DFPLAN OUTDIR [ENGINE ...]}
out=${2:?usage: run.sh DFPLAN OUTDIR [ENGINE ...]}
shift 2
engines=("${@:-native}")
mkdir -p "$out"
for engine in "${engines[@]}"; do
	for maze in umaze medium large; do
		for task in single multi; do
			"$bin" bench --maze $maze --task $task --planner df --episodes 50 --seed 0 --batch 25 \
				--engine $engine --json "$out/$maze-$task-df-$engine.json" > /dev/null
		done
	done
done
python3 experiments/refactor-check/compare.py "$out"
