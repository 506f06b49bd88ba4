#!/usr/bin/env bash
# grid2.sh MODEL NAME SEED EPISODES "STEPS..." "GUIDANCE..." [HORIZON]
m=$1; n=$2; s=$3; e=$4; h=${7:-15}
for st in $5; do for g in $6; do
  f=$n-h$h-st$st-g$g-s$s-e$e
  [ -s $f.json ] && continue
  ${DFPLAN:-dfplan} bench --maze medium --planner df --model $m --plan models/shipped/medium.plan.yaml --horizon-tokens $h --guidance-scale $g --sampling-steps $st --episodes $e --seed $s --json $f.json > $f.txt 2>/dev/null
  echo "$f $(tail -n1 $f.txt)"
done; done
