#!/usr/bin/env python3
"""large at 10 and at 3 sampling steps against 5 (README.md): the
explorations on seed 1 and the rules' runs on seeds 2 and 3, paired on the
same episodes. Cells not run yet are marked; a step count not run at all
is left out.

Usage: python3 experiments/steps/outcome.py   (from the repository root)
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, changed, fmt, load, mean_se, rule, verdict  # noqa: E402

TASKS = ("single", "multi")


def base(seed, task):
    """The shipped settings' run of the episodes: the stall study's on seed 1."""
    if seed == 1:
        return os.path.join(R, "..", "stall", "seed1", f"large-{task}-stall0.json")
    return f"{R}/seed{seed}/large-{task}-s5.json"


def other(seed, task, n):
    return f"{R}/seed{seed}/large-{task}-s{n}.json"


def table(title, seeds, n):
    print(title + "\n")
    print(f"| task | seed | 5 steps | {n} steps | {n} − 5 | plan p50, 5 → {n} steps |")
    print("|---|---|---|---|---|---|")
    per_task, every = {}, []
    for task in TASKS:
        for seed in seeds:
            a, b = base(seed, task), other(seed, task, n)
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


for n in (10, 3):
    if not os.path.exists(other(1, "single", n)):
        continue
    if n != 10:
        print()
    _, explored = table("**exploration, seed 1**: df on large at the shipped settings, 50 episodes per cell, "
                        f"5 and {n} sampling steps; paired differences on the same episodes", (1,), n)
    if len(explored) == 100:
        print("To the rule." if mean_se(explored)[0] > 0 else "Not above 0: nothing goes to the rule.")
    if os.path.exists(other(2, "single", n)):
        print()
        per_task, every = table("**the rule, seeds 2 and 3**: df on large at the shipped settings, 50 episodes per cell, "
                                f"5 and {n} sampling steps; paired differences on the same episodes", (2, 3), n)
        if len(every) == 200:
            print(rule(per_task, every))
