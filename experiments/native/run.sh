#!/bin/sh
# The runs of experiments/native/README.md, in order, one at a time.
# Usage: experiments/native/run.sh DFPLAN-BINARY   (from the repository root)
set -eu
B=$1
D=experiments/native
for M in umaze medium large; do
	"$B" bench --maze $M --episodes 2 --batch 1 --steps 100 --json $D/latency-$M.json
done
for M in umaze medium large; do
	N=$(python3 -c "import json,math; print(math.ceil(json.load(open('$D/latency-$M.json'))['plan_latency_ms']['p50'] / 10))")
	for T in single multi; do
		"$B" bench --maze $M --task $T --planner df --episodes 50 --seed 0 --batch 25 --plan-delay $N --json $D/$M-$T-df-d$N.json
	done
done
for M in umaze medium large; do
	for T in single multi; do
		"$B" bench --maze $M --task $T --planner df --episodes 50 --seed 0 --batch 25 --json $D/$M-$T-df.json
	done
done
