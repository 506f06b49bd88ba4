#!/usr/bin/env bash
set -u
# Ran as two scripts, one after the other (the second, once grid8.sh, held the MCG runs).
while pgrep -f grid6.sh >/dev/null; do sleep 10; done
B=/work/train/dfplan-s21b
M=/work/train/noisy/medium-n05.safetensors
run() { name=$1 task=$2; shift 2
  for s in 777 31337; do
    [ -f $name-s$s.json ] && continue
    $B bench --maze medium --task $task --planner df --model $M --plan /work/main/models/shipped/medium.plan.yaml --episodes 20 --seed $s --batch 20 --sampling-steps 20 --guidance-scale 10 --open-loop 5 --json $name-s$s.json "$@" > $name-s$s.txt 2>/dev/null
    python3 -c "import json;d=json.load(open('$name-s$s.json'));print('$name s$s', round(d['normalized_score']['mean'],1), round(d['normalized_score']['stderr'],1), 'hold', round(d['hold_rate'],3), 'wall', round(d['plan_in_wall'],3))"
  done
}
run single-gate05 single --stop-weight 2 --stop-gate 0.5
run gate05sw4 multi --stop-weight 4 --stop-gate 0.5
run gate05sw1 multi --stop-weight 1 --stop-gate 0.5
run single-gate05sw4 single --stop-weight 4 --stop-gate 0.5
run single-gate05-mcg4 single --stop-weight 2 --stop-gate 0.5 --mcg-samples 4
run single-gate05-mcg1 single --stop-weight 2 --stop-gate 0.5 --mcg-samples 1
run gate05-mcg4 multi --stop-weight 2 --stop-gate 0.5 --mcg-samples 4
run gate05-mcg1 multi --stop-weight 2 --stop-gate 0.5 --mcg-samples 1
