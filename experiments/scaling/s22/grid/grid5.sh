#!/usr/bin/env bash
# multi-task tuning of medium-n05 on the tuning seeds (777, 31337), 20 episodes each
set -u
B=/work/train/dfplan-s21b
M=/work/train/noisy/medium-n05.safetensors
run() { name=$1; shift
  for s in 777 31337; do
    [ -f $name-s$s.json ] && continue
    $B bench --maze medium --task multi --planner df --model $M --plan /work/main/models/shipped/medium.plan.yaml --episodes 20 --seed $s --batch 20 --sampling-steps 20 --json $name-s$s.json "$@" > $name-s$s.txt 2>/dev/null
    python3 -c "import json;d=json.load(open('$name-s$s.json'));print('$name s$s', round(d['normalized_score']['mean'],1), round(d['normalized_score']['stderr'],1), 'hold', round(d['hold_rate'],3), 'wall', round(d['plan_in_wall'],3))"
  done
}
run base   --guidance-scale 10 --open-loop 5 --stop-weight 2
run g5     --guidance-scale 5  --open-loop 5 --stop-weight 2
run ol3    --guidance-scale 10 --open-loop 3 --stop-weight 2
run sr03   --guidance-scale 10 --open-loop 5 --stop-weight 2 --stop-radius 0.3
run gate05 --guidance-scale 10 --open-loop 5 --stop-weight 2 --stop-gate 0.5
run sw1    --guidance-scale 10 --open-loop 5 --stop-weight 1
run nounst --guidance-scale 10 --open-loop 5 --stop-weight 2 --unstick 0
run g20    --guidance-scale 20 --open-loop 5 --stop-weight 2
