#!/usr/bin/env python3
"""The numbers issue 26 asks of a table, from its JSON files.

Usage: python3 experiments/table-s2027/summary.py [DIR]   (default: this folder)

For a folder of `dfplan bench --json` files named MAZE-TASK-PLANNER.json
(the layout of results/): the share of planned positions inside walls per
df-family cell, the far goals reached on large (episodes whose expert needs
300 steps or more to first reach the goal; the same seed gives every
planner the same starts and goals), and the paired orderings df − df-nomcg
and df-nomcg − fullseq on medium and large (experiments/paired.py).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from paired import scores, verdict  # noqa: E402

where = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))


def load(maze, task, planner):
    with open(os.path.join(where, f"{maze}-{task}-{planner}.json")) as f:
        return json.load(f)


print("Planned positions inside walls (share of all planned positions):")
for p in ["df", "df-nomcg", "fullseq"]:
    row = []
    for t in ["single", "multi"]:
        for m in ["umaze", "medium", "large"]:
            row.append(f"{m} {t} {100 * load(m, t, p)['plan_in_wall']:.1f} %")
    print(f"  {p}: " + ", ".join(row))

print("\nFar goals on large (expert's first reach at step 300 or later):")
for t in ["single", "multi"]:
    ex = load("large", t, "expert")["first_reach_step"]
    far = [i for i, s in enumerate(ex) if s >= 300]
    near = [i for i, s in enumerate(ex) if 0 <= s < 300]
    for p in ["df", "df-nomcg", "fullseq", "mppi"]:
        r = load("large", t, p)["first_reach_step"]
        print(f"  {t} {p}: far {sum(r[i] >= 0 for i in far)}/{len(far)}, near {sum(r[i] >= 0 for i in near)}/{len(near)}")

print("\nPaired orderings on medium and large, both tasks (B − A over the same episodes):")
for a, b in [("df-nomcg", "df"), ("fullseq", "df-nomcg")]:
    every = []
    for m in ["medium", "large"]:
        for t in ["single", "multi"]:
            sa, sb = scores(load(m, t, a)), scores(load(m, t, b))
            d = [y - x for x, y in zip(sa, sb)]
            every += d
            print(f"  {b} − {a}, {m} {t}: {verdict(d)}")
    print(f"  {b} − {a}, pooled: {verdict(every)}")

print("\nMonte Carlo Guidance's shift (how far averaging moved the gradient from plain guidance, median per plan):")
print("  " + ", ".join(f"{m} {t} {load(m, t, 'df')['mcg_shift']:.2f}"
                       for t in ["single", "multi"] for m in ["umaze", "medium", "large"]))
