#!/usr/bin/env python3
"""--stall on large (README.md): the exploration on seed 1, stall 10, 20
and 40 against 0, and the rule's runs on seeds 2 and 3, paired on the same
episodes. Cells not run yet are marked.

Usage: python3 experiments/stall/outcome.py   (from the repository root)
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, changed, fmt, load, mean_se, rule, verdict  # noqa: E402

TASKS = ("single", "multi")


def path(seed, task, k):
    return f"{R}/seed{seed}/large-{task}-stall{k}.json"


def unguided(f):
    """The share of executed plans sampled without guidance."""
    u = load(f).get("plans_unguided")
    return "–" if u is None else f"{100 * u:.0f} %"


print("**exploration, seed 1**: df on large at the shipped settings, 50 episodes per cell; "
      "score ± s.e. · success (share of plans unguided), and the paired difference against stall 0\n")
print("| stall | single-task | multi-task | pooled − stall 0 |")
print("|---|---|---|---|")
best = None
for k in (0, 10, 20, 40):
    row, pooled = [str(k)], []
    for task in TASKS:
        f = path(1, task, k)
        if not os.path.exists(f):
            row.append("not run")
            continue
        c = f"{cell(load(f))} ({unguided(f)})"
        if k and os.path.exists(path(1, task, 0)):
            d = changed(path(1, task, 0), f, ["stall"])
            pooled += d
            c += f", {fmt(d)}"
        row.append(c)
    row.append(fmt(pooled) if pooled else "–")
    print("| " + " | ".join(row) + " |")
    if len(pooled) == 100 and (best is None or mean_se(pooled)[0] > best[1]):
        best = (k, mean_se(pooled)[0])
if best is not None:
    if best[1] > 0:
        print(f"\nTo the rule (largest pooled gain): stall {best[0]}.")
    else:
        print("\nNo stall value gains pooled: nothing goes to the rule.")

rule = sorted(int(n[len("large-single-stall"):-len(".json")]) for n in os.listdir(f"{R}/seed2")
              if n.startswith("large-single-stall") and n != "large-single-stall0.json") \
    if os.path.isdir(f"{R}/seed2") else []
for k in rule:
    print(f"\n**the rule, seeds 2 and 3**: stall {k} against stall 0, df on large, 50 episodes per cell; "
          "paired differences on the same episodes\n")
    print("| task | seed | stall 0 | stall " + str(k) + " | difference |")
    print("|---|---|---|---|---|")
    every, per_task = [], {}
    for task in TASKS:
        for seed in (2, 3):
            a, b = path(seed, task, 0), path(seed, task, k)
            if not (os.path.exists(a) and os.path.exists(b)):
                print(f"| {task} | {seed} | not run | not run | – |")
                continue
            d = changed(a, b, ["stall"])
            per_task.setdefault(task, []).extend(d)
            every += d
            print(f"| {task} | {seed} | {cell(load(a))} | {cell(load(b))} ({unguided(b)}) | {fmt(d)} |")
    for task, d in per_task.items():
        print(f"\n{task}-task, both seeds: {verdict(d)}.")
    if every:
        print(f"All pairs: {verdict(every)}.")
    if len(every) == 200:
        print(rule(per_task, every))
