#!/usr/bin/env bash
# One robot's plan time on medium (shipped model) for the realtime
# candidates, on an otherwise idle 2-core machine.
set -eu
B=${DFPLAN:-dfplan}
lat() { name=$1; shift
  $B bench --maze medium --planner df --episodes 2 --batch 1 --steps 100 --preset realtime "$@" \
    --json latency-$name.json > latency-$name.txt
  python3 -c "import json;d=json.load(open('latency-$name.json'));print('$name', d['plan_latency_ms'])"
}
lat rt
lat rt-mcg2 --mcg-samples 2
lat s20-u05 --sampling-steps 20 --uncertainty 0.5
lat s20-u05-mcg2 --sampling-steps 20 --uncertainty 0.5 --mcg-samples 2
