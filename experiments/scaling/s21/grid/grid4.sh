#!/usr/bin/env bash
# grid4.sh MODEL NAME STEPS "EXTRA": medium df, guidance 10, open loop 5, stop weight 2, 20 episodes on seeds 777 and 31337
m=$1; n=$2; st=$3; extra=$4
for s in 777 31337; do
  f=$n-st$st-g10-ol5sw2$5-s$s-e20
  [ -s $f.json ] && continue
  ${DFPLAN:-dfplan} bench --maze medium --planner df --model $m --plan models/shipped/medium.plan.yaml --sampling-steps $st --guidance-scale 10 --open-loop 5 --stop-weight 2 $extra --episodes 20 --seed $s --json $f.json > $f.txt 2>/dev/null
  echo "$f $(tail -n1 $f.txt)"
done
