#!/usr/bin/env bash
# The unguided prior: how often a model's own futures go through walls.
# 20 robots of medium multi-task, tuning seed 777 (SEED=), 20 steps (4 plans each),
# 15-token plans without guidance and without a settings file, paper
# preset otherwise. plan_in_wall in the JSON is the share of planned
# positions inside a wall (the benchmark's map check, used only to score).
# Usage: prior.sh NAME MODEL [MAZE]   (MODEL "" = the shipped one). The
# by-token shares (walls.py) go to prior-NAME.walls.txt.
set -eu
B=${DFPLAN:-dfplan}
O=${O:-out}
name=$1 model=$2 maze=${3:-medium}
mkdir -p "$O"
: >"$O/empty.yaml"
args=()
[ -z "$model" ] || args=(--model "$model")
$B bench --maze "$maze" --task multi --planner df --episodes 20 --batch 20 --seed "${SEED:-777}" --steps 20 \
  --horizon-tokens 15 --guidance-scale 0 --plan "$O/empty.yaml" "${args[@]}" \
  --json "$O/prior-$name.json" --trace "$O/prior-$name.jsonl" >"$O/prior-$name.txt"
python3 "$(dirname "$0")/walls.py" "$maze" "$O/prior-$name.jsonl" | sed "s|^$O/||" >"$O/prior-$name.walls.txt"
cat "$O/prior-$name.walls.txt"
