#!/usr/bin/env python3
"""large at 10 sampling steps against 5 (README.md): the exploration on
seed 1 and the rule's runs on seeds 2 and 3, paired on the same episodes.
Cells not run yet are marked.

Usage: python3 results/steps/outcome.py   (from the repository root)
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, changed, fmt, load, mean_se, verdict  # noqa: E402

TASKS = ("single", "multi")


def base(seed, task):
    """The shipped settings' run of the episodes: the stall study's on seed 1."""
    if seed == 1:
        return os.path.join(R, "..", "stall", "seed1", f"large-{task}-stall0.json")
    return f"{R}/seed{seed}/large-{task}-s5.json"


def ten(seed, task):
    return f"{R}/seed{seed}/large-{task}-s10.json"


def table(title, seeds):
    print(title + "\n")
    print("| task | seed | 5 steps | 10 steps | 10 − 5 | plan p50, 5 → 10 steps |")
    print("|---|---|---|---|---|---|")
    per_task, every = {}, []
    for task in TASKS:
        for seed in seeds:
            a, b = base(seed, task), ten(seed, task)
            if not (os.path.exists(a) and os.path.exists(b)):
                print(f"| {task} | {seed} | not run | not run | – | – |")
                continue
            d = changed(a, b, ["sampling_steps"])
            per_task.setdefault(task, []).extend(d)
            every += d
            la, lb = (load(f)["plan_latency_ms"]["p50"] for f in (a, b))
            print(f"| {task} | {seed} | {cell(load(a))} | {cell(load(b))} | {fmt(d)} | {la:.0f} → {lb:.0f} ms |")
    if len(seeds) > 1:
        for task, d in per_task.items():
            print(f"\n{task}-task, seeds {' and '.join(map(str, seeds))}: {verdict(d)}.")
    if every:
        print(f"\nAll pairs: {verdict(every)}.")
    return per_task, every


_, explored = table("**exploration, seed 1**: df on large at the shipped settings, 50 episodes per cell, "
                    "5 and 10 sampling steps; paired differences on the same episodes", (1,))
if len(explored) == 100:
    print("To the rule." if mean_se(explored)[0] > 0 else "Not above 0: nothing goes to the rule.")
if os.path.isdir(f"{R}/seed2"):
    print()
    per_task, every = table("**the rule, seeds 2 and 3**: df on large at the shipped settings, 50 episodes per cell, "
                            "5 and 10 sampling steps; paired differences on the same episodes", (2, 3))
    if len(every) == 200:
        m, se = mean_se(every)
        low = [t for t, d in per_task.items() if mean_se(d)[0] < -2 * mean_se(d)[1]]
        print("Rule: " + ("passed; it ships." if m > 2 * se and not low else "not passed; nothing ships."))
