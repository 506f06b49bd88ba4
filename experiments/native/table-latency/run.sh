#!/bin/sh
# The table's plan-latency columns for the model planners, natively: one
# batched call of 25 robots, single-task, seed 0, the first 300 steps of
# each episode, shipped settings. One run at a time on an idle machine.
# Usage: experiments/native/table-latency/run.sh DFPLAN-BINARY   (from the repository root)
set -eu
B=$1
D=experiments/native/table-latency
for M in umaze medium large; do
	for P in df df-nomcg fullseq; do
		"$B" bench --maze $M --task single --planner $P --episodes 25 --batch 25 --seed 0 --steps 300 --json $D/$M-$P.json > /dev/null
	done
done
