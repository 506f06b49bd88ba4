#!/usr/bin/env bash
# Session 26: large's df-nomcg and fullseq with the learned objective
# (--objective learned) on the table's seed 2027, 50 episodes a cell, for
# the switch the fresh seed's rule (../fresh.sh) asked for: with the df-td
# row (../table-s2027/large-*-df-td.json, the same settings as df with
# objective learned) they make large's df-family rows under that objective,
# and its orderings df > df-nomcg > fullseq.
set -u
cd "$(dirname "$0")"
for p in df-nomcg fullseq; do
  for k in single multi; do
    f=large-$k-$p
    [ -s $f.json ] && continue
    ${DFPLAN:-dfplan} bench --maze large --task $k --planner $p --objective learned --episodes 50 --seed 2027 --batch 25 --json $f.json > $f.txt 2> $f.log || echo "FAILED $f" &
    [ "$(jobs -r | wc -l)" -lt 2 ] || wait -n
  done
done
wait
echo DONE
