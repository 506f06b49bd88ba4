#!/bin/sh
# Exploration on seed 1 (20 episodes per cell): the fine-tuned large models
# at the shipped 15-token horizon and at 30 tokens, two cells at a time.
# Usage: results/large-horizon/run-explore.sh DFPLAN-BINARY NAME MODEL   (from the repository root)
set -eu
B=$1 NAME=$2 MODEL=$3
D=results/large-horizon/seed1
mkdir -p $D
for H in 15 30; do
	for T in single multi; do
		"$B" bench --maze large --task $T --planner df --episodes 20 --seed 1 --batch 20 \
			--model "$MODEL" --plan models/shipped/large.plan.yaml --horizon-tokens $H \
			--json $D/large-$T-$NAME-h$H.json > /dev/null &
	done
	wait
done
