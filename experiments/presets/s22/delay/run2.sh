#!/usr/bin/env bash
set -u
# Ran as two scripts, one after the other (the second, once run3.sh, held the last two runs).
B=/work/train/dfplan-s22
one() { name=$1; shift
  for s in 777 31337; do
    [ -f $name-s$s.json ] || $B bench --maze medium --planner df --episodes 20 --seed $s --batch 20 --json $name-s$s.json "$@" > $name-s$s.txt 2>/dev/null
    python3 -c "import json;d=json.load(open('$name-s$s.json'));print('$name s$s', round(d['normalized_score']['mean'],1), round(d['normalized_score']['stderr'],1), 'hold', round(d['hold_rate'],3))"
  done
}
one paper-d15-nola --plan-delay 15
one st10mcg1-d7-nola --plan-delay 7 --mcg-samples 1 --sampling-steps 10 --open-loop 10
one st5mcg1-d5 --plan-delay 5 --mcg-samples 1 --sampling-steps 5 --lookahead
one st10mcg2-d11 --plan-delay 11 --sampling-steps 10 --lookahead
