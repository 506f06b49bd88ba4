#!/bin/sh
# Exploration on seed 1 (20 episodes per cell): a large model at the
# shipped 15-token horizon and at 30 tokens (or at the horizons given),
# two cells at a time.
# Usage: experiments/large-horizon/run-explore.sh DFPLAN-BINARY NAME MODEL [HORIZONS]   (from the repository root)
set -eu
pids=
# A failed cell stops the script, and the cells still running with it.
trap 'if [ -n "$pids" ]; then kill $pids 2>/dev/null; fi' EXIT
U="usage: run-explore.sh DFPLAN NAME MODEL [HORIZONS]"
B=${1:?$U} NAME=${2:?$U} MODEL=${3:?$U} HORIZONS=${4:-15 30}
[ $# -le 4 ] || { echo "$U" >&2; exit 2; }
D=experiments/large-horizon/seed1
mkdir -p $D
for H in $HORIZONS; do
	for T in single multi; do
		"$B" bench --maze large --task $T --planner df --episodes 20 --seed 1 --batch 20 \
			--model "$MODEL" --plan models/shipped/large.plan.yaml --horizon-tokens $H \
			--json $D/large-$T-$NAME-h$H.json > /dev/null &
		pids="$pids $!"
	done
	for p in $pids; do wait $p; done
	pids=
done
