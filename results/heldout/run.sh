#!/bin/sh
# df at the shipped settings on held-out seeds 4 and 5 (README.md):
# large first, then medium, then umaze (added later); one run at a time.
# Usage: results/heldout/run.sh DFPLAN   (from the repository root)
set -eu
B=${1:?usage: run.sh DFPLAN}
D=results/heldout
for M in large medium umaze; do
	for T in multi single; do
		for S in 4 5; do
			F=$D/seed$S-$M-$T-df.json
			[ -f $F ] || "$B" bench --maze $M --task $T --planner df --episodes 50 --seed $S --batch 25 --json $F
		done
	done
done
