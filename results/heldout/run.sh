#!/bin/sh
# df at the shipped settings on held-out seeds 4 and 5 (README.md):
# large first, then medium, then umaze (added later); one run at a time.
# With "nomcg": df-nomcg on seeds 4 and 5, large then medium (added later),
# then umaze (added after those).
# Usage: results/heldout/run.sh DFPLAN [nomcg]   (from the repository root)
set -eu
B=${1:?usage: run.sh DFPLAN [nomcg]}
D=results/heldout
case "${2:-}" in
"") P=df ;;
nomcg) P=df-nomcg ;;
*) echo "run.sh: second argument \"$2\": want nomcg or nothing" >&2; exit 2 ;;
esac
for M in large medium umaze; do
	for T in multi single; do
		for S in 4 5; do
			F=$D/seed$S-$M-$T-$P.json
			[ -f $F ] || "$B" bench --maze $M --task $T --planner $P --episodes 50 --seed $S --batch 25 --json $F
		done
	done
done
