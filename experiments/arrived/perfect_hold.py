#!/usr/bin/env python3
"""What a table's df cells would score had every robot stayed at its goal
from its first arrival: each successful episode's return taken as the
steps from its first reward to the episode's end, normalized as D4RL does
(sim/reward.go's reference returns). Session 29's motivation for
experiments/arrived and experiments/brake.

Usage: python3 experiments/arrived/perfect_hold.py [DIR [PLANNER]]
(default experiments/table-s2027, df)
"""
import json
import sys

where = sys.argv[1] if len(sys.argv) > 1 else "experiments/table-s2027"
planner = sys.argv[2] if len(sys.argv) > 2 else "df"
ref = {"umaze": (23.85, 161.86), "medium": (13.13, 277.39), "large": (6.7, 273.99)}
for maze in ref:
    for task in ("single", "multi"):
        with open(f"{where}/{maze}-{task}-{planner}.json") as f:
            r = json.load(f)
        lo, hi = ref[maze]
        steps = r["steps_per_episode"]
        ideal = [steps - first if first >= 0 else ret for first, ret in zip(r["first_reach_step"], r["returns"])]
        score = sum(100 * (x - lo) / (hi - lo) for x in ideal) / len(ideal)
        print(f"{maze} {task} {planner}: {r['normalized_score']['mean']:.1f}, holding from the first arrival {score:.1f}, hold {r['hold_rate']:.3f}")
