#!/bin/sh
# Stalled robots on large (experiments/stall/README.md): df, both tasks, 50
# episodes per cell, the shipped large settings, with --stall K.
# Usage (from the repository root):
#   experiments/stall/run.sh DFPLAN explore   seed 1, stall 0, 10, 20 and 40
#   experiments/stall/run.sh DFPLAN rule K    seeds 2 and 3, stall 0 and K
set -eu
. experiments/both.sh
U="usage: run.sh DFPLAN explore | run.sh DFPLAN rule K"
B=${1:?$U} WHAT=${2:?$U}
cell() { # seed stall task
	D=experiments/stall/seed$1
	mkdir -p $D
	"$B" bench --maze large --task $3 --planner df --episodes 50 --seed $1 --batch 25 \
		--stall $2 --json $D/large-$3-stall$2.json > /dev/null
}
pair() { # seed stall: both tasks side by side
	both cell "$1 $2 single" "$1 $2 multi"
}
case $WHAT in
explore)
	[ $# -eq 2 ] || { echo "$U" >&2; exit 2; }
	for K in 0 10 20 40; do pair 1 $K; done ;;
rule)
	[ $# -eq 3 ] || { echo "$U" >&2; exit 2; }
	K=$3
	for S in 2 3; do pair $S 0; pair $S $K; done ;;
*)
	echo "run.sh: second argument \"$WHAT\": want explore or rule" >&2; exit 2 ;;
esac
