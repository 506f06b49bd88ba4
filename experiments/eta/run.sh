#!/bin/sh
# The η exploration of README.md, one run at a time.
# Usage: experiments/eta/run.sh DFPLAN   (from the repository root)
set -eu
B=${1:?usage: run.sh DFPLAN}
for E in 1 0.5; do
	for T in multi single; do
		F=experiments/eta/seed1/large-$T-eta$E.json
		[ -f $F ] || "$B" bench --maze large --task $T --planner df --episodes 20 --seed 1 --batch 20 --eta $E --json $F
	done
done
