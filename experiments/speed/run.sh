#!/bin/sh
# df's plan time on the machine at hand, natively, shipped settings, one
# run at a time (run it on an idle machine): one robot's plan
# (experiments/native/run.sh, step 1), one batched call of 25 robots, the
# first 300 steps of single-task seed 0 (experiments/native/table-latency/),
# and the wall time of the table's 50-episode single-task df cell.
# Usage: experiments/speed/run.sh DFPLAN-BINARY DIR   (from the repository root)
set -eu
U="usage: run.sh DFPLAN DIR"
B=${1:?$U} D=${2:?$U}
[ $# -eq 2 ] || { echo "$U" >&2; exit 2; }
mkdir -p "$D"
for M in umaze medium large; do
	"$B" bench --maze $M --episodes 2 --batch 1 --steps 100 --json "$D/one-$M.json" > /dev/null
	"$B" bench --maze $M --task single --planner df --episodes 25 --batch 25 --seed 0 --steps 300 --json "$D/batch-$M.json" > /dev/null
done
for M in umaze medium large; do
	"$B" bench --maze $M --task single --planner df --episodes 50 --batch 25 --seed 0 --json "$D/cell-$M.json" > /dev/null
done
