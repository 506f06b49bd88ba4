#!/usr/bin/env python3
"""The large-horizon exploration (seed 1, 20 episodes per cell), paired
against the shipped model at the shipped settings (experiments/large-compute's
base cells, the same episodes).

Usage: python3 experiments/large-horizon/outcome.py   (from the repository root)
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from paired import fmt, load, same_episodes, scores  # noqa: E402

D = "experiments/large-horizon/seed1"
RUNS = [
    ("shipped model, 30 tokens", "shipped-h30"),
    ("token_decay 0.9, 15 tokens", "td09-h15"),
    ("token_decay 0.9, 30 tokens", "td09-h30"),
    ("token_decay 1, 15 tokens", "td10-h15"),
    ("token_decay 1, 30 tokens", "td10-h30"),
    ("twice the width, 15 tokens", "wide-h15"),
    ("twice the width, 30 tokens", "wide-h30"),
]
# The pyramid's uncertainty scale u with the shipped model (shipped: 1).
U_RUNS = [("u = 2", "u2"), ("u = 0.5", "u0.5")]
# Exploration 5: tokens of 20 and 30 frames; then, with the goal objective
# weighing every frame alike (discount 1, shipped 0.99), the 30-frame model
# and the shipped model at 30 tokens.
F_RUNS = [
    ("frame stack 20, 15 tokens", "fs20-h15"),
    ("frame stack 30, 15 tokens", "fs30-h15"),
    ("frame stack 30, 15 tokens, discount 1", "fs30-h15-d1"),
    ("shipped model, 30 tokens, discount 1", "shipped-h30-d1"),
]


def cell(base_path, path):
    a, b = load(base_path), load(path)
    same_episodes(a, b, base_path, path)
    d = [y - x for x, y in zip(scores(a), scores(b))]
    return f"{b['normalized_score']['mean']:.1f}, {fmt(d)} · drift {b['plan_drift_m']:.2f} m"


def main():
    base = {t: f"experiments/large-compute/large-{t}-base.json" for t in ("single", "multi")}
    print("| run | single-task | multi-task |")
    print("|---|---|---|")
    row = "| shipped model, 15 tokens (base) |"
    for t in ("single", "multi"):
        b = load(base[t])
        row += f" {b['normalized_score']['mean']:.1f} · drift {b['plan_drift_m']:.2f} m |"
    print(row)
    for label, name in RUNS + U_RUNS + F_RUNS:
        paths = {t: f"{D}/large-{t}-{name}.json" for t in ("single", "multi")}
        if not all(os.path.exists(p) for p in paths.values()):
            continue
        print(f"| {label} | " + " | ".join(cell(base[t], paths[t]) for t in ("single", "multi")) + " |")


if __name__ == "__main__":
    main()
