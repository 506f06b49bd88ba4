#!/bin/sh
# A large model put to a rule on seeds 2 and 3 (50 episodes per cell, both
# tasks, the shipped planner settings), paired with the shipped model's
# runs of the same episodes (experiments/unstick/seedS/large-T-df-ol5u10.json).
# Two cells at a time.
# Usage: experiments/large-horizon/run-rule.sh DFPLAN-BINARY NAME MODEL   (from the repository root)
set -eu
pids=
# A failed cell stops the script, and the cells still running with it.
trap 'if [ -n "$pids" ]; then kill $pids 2>/dev/null; fi' EXIT
U="usage: run-rule.sh DFPLAN NAME MODEL"
B=${1:?$U} NAME=${2:?$U} MODEL=${3:?$U}
[ $# -eq 3 ] || { echo "$U" >&2; exit 2; }
for S in 2 3; do
	D=experiments/large-horizon/seed$S
	mkdir -p $D
	for T in single multi; do
		"$B" bench --maze large --task $T --planner df --episodes 50 --seed $S --batch 25 \
			--model "$MODEL" --plan models/shipped/large.plan.yaml \
			--json $D/large-$T-$NAME.json > /dev/null &
		pids="$pids $!"
	done
	for p in $pids; do wait $p; done
	pids=
done
