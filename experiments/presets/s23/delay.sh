#!/usr/bin/env bash
# realtime candidates on medium single-task, tuning seeds, plans arriving
# N ticks late (N from latency.sh on an idle machine: the plan's p50 in
# 10 ms ticks, rounded up), with the node's lookahead.
set -u
B=${DFPLAN:-dfplan}
one() { name=$1; shift
  for s in 777 31337; do
    [ -f $name-s$s.json ] || $B bench --maze medium --planner df --episodes 20 --seed $s --batch 20 --preset realtime --lookahead --json $name-s$s.json "$@" > $name-s$s.txt 2>/dev/null
    python3 -c "import json;d=json.load(open('$name-s$s.json'));print('$name s$s', round(d['normalized_score']['mean'],1), round(d['normalized_score']['stderr'],1), 'hold', round(d['hold_rate'],3))"
  done
}
one rt-d7 --plan-delay 7
one rt-mcg2-d8 --plan-delay 8 --mcg-samples 2
one s20-u05-d8 --plan-delay 8 --sampling-steps 20 --uncertainty 0.5
one s20-u05-mcg2-d9 --plan-delay 9 --sampling-steps 20 --uncertainty 0.5 --mcg-samples 2
# On an idle machine (latency.sh) s20-u05 took 81 ms at the median, 9 ticks, not 8:
one s20-u05-d9 --plan-delay 9 --sampling-steps 20 --uncertainty 0.5
# After the transposes were kept (one realtime plan 42 ms and paper's 64 ms
# on an idle machine, ../../ros/s23/transposes/latency-medium-*.json; 47 ms,
# 5 ticks, inside the node): the comparison again at the new delays.
one rt-d5 --plan-delay 5
one s20-d6 --plan-delay 6 --sampling-steps 20
one paper-d7 --plan-delay 7 --preset paper
# realtime's one-token open loop was "about one replan per plan the node can
# make" at 7 ticks a plan; at 5 ticks a plan, a replan every 5 frames:
one rt-ol5-d5 --plan-delay 5 --open-loop 5
