#!/usr/bin/env bash
# What the realtime preset costs large's new model, tuning seeds only
# (777, 31337; 20 single-task episodes): realtime against realtime with one
# of the paper preset's values, then 20 sampling steps at the delay they
# would have in the node (9 control ticks; 10 steps take 5) against
# realtime at its own (docs/ros.md, "What the node gets").
set -u
B=${DFPLAN:-dfplan}
cell() {
  n=$1 s=$2
  shift 2
  $B bench --maze large --task single --planner df --episodes 20 --seed $s --batch 20 --preset realtime "$@" \
    --json $n-s$s.json >$n-s$s.txt 2>/dev/null
}
cell base 777
cell steps20 777 --sampling-steps 20
cell ol5 777 --open-loop 5
cell mcg2 777 --mcg-samples 2
for s in 777 31337; do
  cell rt-d5 $s --lookahead --plan-delay 5
  cell s20-d9 $s --lookahead --plan-delay 9 --sampling-steps 20
done
# One robot's plan time: --episodes 2 --batch 1 --steps 100 --preset realtime [--sampling-steps 20]
# (latency-rt.json, latency-rt-s20.json).
python3 ../../../paired.py rt-d5-s777.json s20-d9-s777.json rt-d5-s31337.json s20-d9-s31337.json
