#!/bin/sh
# large with other sampling steps than the shipped 5 (experiments/steps/README.md):
# df, both tasks, 50 episodes per cell, the shipped large settings, two cells
# at a time.
# Usage (from the repository root):
#   experiments/steps/run.sh DFPLAN explore    seed 1, 10 steps
#   experiments/steps/run.sh DFPLAN explore3   seed 1, 3 steps
#   experiments/steps/run.sh DFPLAN rule       seeds 2 and 3, 5 and 10 steps
#   experiments/steps/run.sh DFPLAN rule3      seeds 2 and 3, 5 and 3 steps
set -eu
. experiments/both.sh
U="usage: run.sh DFPLAN explore|explore3|rule|rule3"
B=${1:?$U} WHAT=${2:?$U}
[ $# -eq 2 ] || { echo "$U" >&2; exit 2; }
cell() { # seed steps task
	D=experiments/steps/seed$1
	mkdir -p $D
	"$B" bench --maze large --task $3 --planner df --episodes 50 --seed $1 --batch 25 \
		--sampling-steps $2 --json $D/large-$3-s$2.json > /dev/null
}
rule() { # steps
	for S in 2 3; do
		both cell "$S 5 single" "$S 5 multi"
		both cell "$S $1 single" "$S $1 multi"
	done
}
case $WHAT in
explore) both cell "1 10 single" "1 10 multi" ;;
explore3) both cell "1 3 single" "1 3 multi" ;;
rule) rule 10 ;;
rule3) rule 3 ;;
*) echo "run.sh: second argument \"$WHAT\": want explore, explore3, rule or rule3" >&2; exit 2 ;;
esac
