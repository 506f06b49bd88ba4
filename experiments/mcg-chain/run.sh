#!/bin/sh
# df with the reference's chained MCG (--mcg-chain) at the shipped settings
# on held-out seeds 4 and 5, every maze and task (README.md); large first,
# both tasks of a maze at a time. With "rule": the same on seeds 2 and 3,
# for the rule of README.md. A failed cell fails the script once its
# partner has finished; cells whose file exists are skipped.
# Usage: experiments/mcg-chain/run.sh DFPLAN [rule]   (from the repository root)
set -eu
B=${1:?usage: run.sh DFPLAN [rule]}
case "${2:-}" in
"") SEEDS="4 5" ;;
rule) SEEDS="2 3" ;;
*) echo "run.sh: second argument \"$2\": want rule or nothing" >&2; exit 2 ;;
esac
D=experiments/mcg-chain
cell() {
	F=$D/seed$3-$1-$2-df-chain.json
	[ -f "$F" ] || "$B" bench --maze "$1" --task "$2" --planner df --mcg-chain --episodes 50 --seed "$3" --batch 25 --json "$F"
}
. experiments/both.sh
for S in $SEEDS; do
	for M in large medium umaze; do
		both cell "$M multi $S" "$M single $S" || exit $?
	done
done
