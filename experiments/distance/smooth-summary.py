#!/usr/bin/env python3
"""smooth.sh's runs against their baselines, and its decision rules.

Usage (from the repository root): python3 experiments/distance/smooth-summary.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from paired import mean_se, scores  # noqa: E402

OUT = os.path.join(HERE, "out")
S25 = os.path.join(os.path.dirname(HERE), "scaling", "s25", "grid")


def load(path):
    with open(path) as f:
        return json.load(f)


def files(maze, task, seed):
    pre = "" if maze == "medium" else "large-"
    return {
        "smoothed": f"{OUT}/smooth02-{maze}-{task}-s{seed}.json",
        "df-td": f"{OUT}/tdblend3-{maze}-{task}-s{seed}.json",
        "df": f"{S25}/{pre}shipped-{task}-s{seed}.json",
    }


def diff(maze, a, b, tasks=("single", "multi")):
    """b − a per episode over both tuning seeds and the given tasks."""
    d = []
    for task in tasks:
        for seed in (777, 31337):
            f = files(maze, task, seed)
            sa, sb = scores(load(f[a])), scores(load(f[b]))
            d += [y - x for x, y in zip(sa, sb)]
    return d


def fmt(d):
    m, se = mean_se(d)
    return f"{m:+.1f} ± {se:.1f} ({len(d)} pairs)"


for maze in ("medium", "large"):
    for task in ("single", "multi"):
        row = []
        for name in ("df", "df-td", "smoothed"):
            v = [s for seed in (777, 31337) for s in scores(load(files(maze, task, seed)[name]))]
            row.append(f"{name} {mean_se(v)[0]:6.1f}")
        print(f"{maze:6} {task:6}  " + "   ".join(row))
    for a in ("df-td", "df"):
        print(f"{maze:6} smoothed − {a}: {fmt(diff(maze, a, 'smoothed'))}"
              f"  (single {fmt(diff(maze, a, 'smoothed', ('single',)))}, multi {fmt(diff(maze, a, 'smoothed', ('multi',)))})")

m, se = mean_se(diff("large", "df-td", "smoothed"))
print(f"large rule (smoothed − df-td > 2 s.e.): {'PASSES' if m > 2 * se else 'fails'}")
d = diff("medium", "df", "smoothed")
m, se = mean_se(d)
tasks_ok = all(mean_se(diff("medium", "df", "smoothed", (t,)))[0] >= 0 for t in ("single", "multi"))
print(f"medium rule (smoothed − df > 2 s.e., no task below 0): {'PASSES' if m > 2 * se and tasks_ok else 'fails'}")
