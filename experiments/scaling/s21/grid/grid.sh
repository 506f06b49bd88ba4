#!/usr/bin/env bash
# grid.sh MODEL NAME: horizon × guidance on medium, 10 episodes, tuning seed 777, 10 sampling steps
m=$1; n=$2
for h in 15 60; do for g in 3 10 30; do
  f=$n-h$h-g$g
  [ -s $f.json ] && continue
  ${DFPLAN:-dfplan} bench --maze medium --planner df --model $m --plan models/shipped/medium.plan.yaml --horizon-tokens $h --guidance-scale $g --sampling-steps 10 --episodes 10 --seed 777 --json $f.json > $f.txt 2>/dev/null
  echo "$f $(tail -n1 $f.txt)"
done; done
