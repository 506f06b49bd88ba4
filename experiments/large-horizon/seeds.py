#!/usr/bin/env python3
"""df on large at its shipped settings over seeds 0, 2 and 3: the table's
cells (seed 0) and the runs of seeds 2 and 3 that decided those settings
(experiments/unstick/seedS/large-T-df-ol5u10.json), 50 episodes each.

Usage: python3 experiments/large-horizon/seeds.py   (from the repository root)
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from paired import load, mean_se, scores  # noqa: E402

print("| task | seed 0 | seed 2 | seed 3 | seeds 0, 2, 3 (150 episodes) |")
print("|---|---|---|---|---|")
for t in ("single", "multi"):
    runs = [load(f"results/large-{t}-df.json")] + [load(f"experiments/unstick/seed{s}/large-{t}-df-ol5u10.json") for s in (2, 3)]
    keys = ("open_loop", "unstick", "discount", "sampling_steps", "mcg_samples", "guidance_scale", "horizon_tokens")
    if len({tuple(r["config"].get(k) for k in keys) for r in runs}) != 1:
        sys.exit(f"seeds.py: large {t}: the runs differ in settings")
    pooled = []
    for r in runs:
        pooled += scores(r)
    m, se = mean_se(pooled)
    print(f"| {t} | " + " | ".join(f"{r['normalized_score']['mean']:.1f}" for r in runs) + f" | {m:.1f} ± {se:.1f} |")
