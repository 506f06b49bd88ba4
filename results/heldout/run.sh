#!/bin/sh
# df at the shipped settings on held-out seeds 4 and 5 (README.md):
# large first, then medium, then umaze (added later); one run at a time.
# With "nomcg": df-nomcg on seeds 4 and 5, large then medium (added later),
# then umaze (added after those).
# With "large67": df on large, seeds 6 and 7, two cells at a time.
# Usage: results/heldout/run.sh DFPLAN [nomcg|large67]   (from the repository root)
set -eu
B=${1:?usage: run.sh DFPLAN [nomcg|large67]}
D=results/heldout
case "${2:-}" in
"") P=df ;;
nomcg) P=df-nomcg ;;
large67)
	# Seeds 6 and 7 on large (added in session 17), two cells at a time.
	for S in 6 7; do
		for T in multi single; do
			F=$D/seed$S-large-$T-df.json
			[ -f $F ] || "$B" bench --maze large --task $T --planner df --episodes 50 --seed $S --batch 25 --json $F &
		done
		wait
	done
	exit 0 ;;
*) echo "run.sh: second argument \"$2\": want nomcg, large67 or nothing" >&2; exit 2 ;;
esac
for M in large medium umaze; do
	for T in multi single; do
		for S in 4 5; do
			F=$D/seed$S-$M-$T-$P.json
			[ -f $F ] || "$B" bench --maze $M --task $T --planner $P --episodes 50 --seed $S --batch 25 --json $F
		done
	done
done
