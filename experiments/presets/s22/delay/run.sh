#!/usr/bin/env bash
# medium single-task with plans arriving late (the node's timing), tuning seeds, 20 episodes
set -u
B=/work/train/dfplan-s22
one() { name=$1; shift
  for s in 777 31337; do
    [ -f $name-s$s.json ] || $B bench --maze medium --planner df --episodes 20 --seed $s --batch 20 --lookahead --json $name-s$s.json "$@" > $name-s$s.txt 2>/dev/null
    python3 -c "import json;d=json.load(open('$name-s$s.json'));print('$name s$s', round(d['normalized_score']['mean'],1), round(d['normalized_score']['stderr'],1), 'hold', round(d['hold_rate'],3))"
  done
}
one paper-d15 --plan-delay 15
one mcg1-ol10-d10 --plan-delay 10 --mcg-samples 1 --open-loop 10
one st10mcg1-ol10-d7 --plan-delay 7 --mcg-samples 1 --sampling-steps 10 --open-loop 10
one mcg1-d10 --plan-delay 10 --mcg-samples 1
