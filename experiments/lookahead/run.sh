#!/bin/sh
# Lookahead runs (README.md): seeds 2 and 3 for the rule, then seed 0.
# Usage: experiments/lookahead/run.sh DFPLAN   (from the repository root)
set -e
B=${1:?usage: run.sh DFPLAN}
out=experiments/lookahead
cell() { # seed maze task delay lookahead(yes|no)
	name=seed$1-$2-$3-df-d$4
	flag=
	if [ "$5" = yes ]; then name=$name-lookahead; flag=--lookahead; fi
	[ -f $out/$name.json ] && return
	$B bench --maze $2 --task $3 --planner df --episodes 50 --seed $1 --batch 25 --plan-delay $4 $flag --json $out/$name.json > /dev/null
}
for seed in 2 3; do
	for task in single multi; do
		cell $seed umaze $task 4 no &
		cell $seed umaze $task 4 yes
		wait
	done
done
# Seed 0: the table's seed; the runs without lookahead are experiments/ros/*-d4.json and *-d2.json.
cell 0 umaze multi 4 yes &
cell 0 medium single 2 yes
wait
cell 0 medium multi 2 yes &
cell 0 large single 2 yes
wait
cell 0 large multi 2 yes &
cell 0 umaze single 4 yes
wait
