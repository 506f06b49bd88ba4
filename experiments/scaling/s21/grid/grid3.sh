#!/usr/bin/env bash
# grid3.sh MODEL NAME TAG "EXTRA FLAGS": medium df, 20 steps, guidance 10, 20 episodes on seeds 777 and 31337
m=$1; n=$2; tag=$3; extra=$4
for s in 777 31337; do
  f=$n-st20-g10-$tag-s$s-e20
  [ -s $f.json ] && continue
  ${DFPLAN:-dfplan} bench --maze medium --planner df --model $m --plan models/shipped/medium.plan.yaml --sampling-steps 20 --guidance-scale 10 $extra --episodes 20 --seed $s --json $f.json > $f.txt 2>/dev/null
  echo "$f $(tail -n1 $f.txt)"
done
