#!/bin/sh
# df at the shipped settings on held-out seeds 4 and 5 (README.md):
# large first, then medium, then umaze (added later); one run at a time.
# With "nomcg": df-nomcg on seeds 4 and 5, large then medium (added later),
# then umaze (added after those).
# With "large67": df on large, seeds 6 and 7, two cells at a time.
# Usage: experiments/heldout/run.sh DFPLAN [nomcg|large67]   (from the repository root)
set -eu
B=${1:?usage: run.sh DFPLAN [nomcg|large67]}
D=experiments/heldout
# cell MAZE TASK SEED PLANNER: one 50-episode cell, unless its file exists.
cell() {
	F=$D/seed$3-$1-$2-$4.json
	[ -f "$F" ] || "$B" bench --maze "$1" --task "$2" --planner "$4" --episodes 50 --seed "$3" --batch 25 --json "$F"
}
case "${2:-}" in
"") P=df ;;
nomcg) P=df-nomcg ;;
large67)
	# Seeds 6 and 7 on large (added in session 17), two cells at a time;
	# a failed cell fails the script once its partner has finished.
	. experiments/both.sh
	for S in 6 7; do
		both cell "large multi $S df" "large single $S df" || exit $?
	done
	exit 0 ;;
*) echo "run.sh: second argument \"$2\": want nomcg, large67 or nothing" >&2; exit 2 ;;
esac
for M in large medium umaze; do
	for T in multi single; do
		for S in 4 5; do
			cell $M $T $S $P
		done
	done
done
