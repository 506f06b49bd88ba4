#!/usr/bin/env python3
"""The η exploration (README.md): each run beside η = 0 on the same
episodes, paired. Runs not made yet are skipped.

Usage: python3 experiments/eta/outcome.py   (from the repository root)
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import changed, fmt, load  # noqa: E402

print("**DDIM η on large**, df at the shipped settings but η, seed 1, 20 episodes per cell: normalized score, paired difference from η = 0 (`experiments/large-compute/large-T-base.json`), success rate and plan drift\n")
print("| η | single-task | multi-task |")
print("|---|---|---|")
for eta in ("0", "1", "0.5"):
    row = [eta]
    for task in ("single", "multi"):
        base = os.path.join(R, "..", "large-compute", f"large-{task}-base.json")
        f = base if eta == "0" else f"{R}/seed1/large-{task}-eta{eta}.json"
        if not os.path.exists(f):
            row.append("not run")
            continue
        d = load(f)
        s = f"{d['normalized_score']['mean']:.1f}"
        if f != base:
            s += ", " + fmt(changed(base, f, ("eta",)))
        row.append(f"{s} · {100 * d['success_rate']:.0f} % · drift {d['plan_drift_m']:.2f} m")
    print("| " + " | ".join(row) + " |")
