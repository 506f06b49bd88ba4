#!/usr/bin/env python3
"""df at the shipped settings on held-out seeds 4 and 5, beside the table's
seed 0 and pooled with it (README.md). Cells not run yet are marked.

Usage: python3 results/heldout/outcome.py   (from the repository root)
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, load, mean_se, scores, settings  # noqa: E402

print("**held-out seeds**, df at the shipped settings, 50 episodes per cell: the table's seed 0, the held-out seeds 4 and 5, and all three pooled (normalized score ± s.e. · success rate)\n")
print("| maze | task | seed 0 (table) | seed 4 | seed 5 | seeds 0, 4, 5 |")
print("|---|---|---|---|---|---|")
for maze in ("umaze", "medium", "large"):
    for task in ("single", "multi"):
        table = load(os.path.join(R, "..", f"{maze}-{task}-df.json"))
        runs, row = [table], [maze, task, cell(table)]
        for seed in (4, 5):
            f = f"{R}/seed{seed}-{maze}-{task}-df.json"
            if not os.path.exists(f):
                row.append("not run")
                continue
            d = load(f)
            if {**settings(d), "seed": 0} != settings(table):
                sys.exit(f"{f}: other planner settings than the table's cell")
            runs.append(d)
            row.append(cell(d))
        pooled = [s for d in runs for s in scores(d)]
        m, se = mean_se(pooled)
        row.append(f"{m:.1f} ± {se:.1f} over {len(pooled)} episodes" if len(runs) > 1 else "–")
        print("| " + " | ".join(row) + " |")
