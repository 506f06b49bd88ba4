#!/usr/bin/env python3
"""Large's df-family rows with the learned objective on seed 2027.

Usage: python3 experiments/distance/learned-s2027/summary.py

df with objective learned plans exactly as df-td (the same settings), so
its cells are ../table-s2027/large-*-df-td.json. Prints the three rows
beside the straight-line ones (experiments/table-s2027), the paired
orderings df > df-nomcg > fullseq under each objective, and each planner's
paired gain from the learned objective.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", ".."))
from paired import scores, verdict  # noqa: E402

line_dir = os.path.join(here, "..", "..", "table-s2027")
td_dir = os.path.join(here, "..", "table-s2027")


def cell(objective, planner, task):
    if objective == "line":
        path = os.path.join(line_dir, f"large-{task}-{planner}.json")
    elif planner == "df":
        path = os.path.join(td_dir, f"large-{task}-df-td.json")
    else:
        path = os.path.join(here, f"large-{task}-{planner}.json")
    with open(path) as f:
        return json.load(f)


planners = ["df", "df-nomcg", "fullseq"]
print("| planner | objective | large single | large multi |")
print("|---|---|---|---|")
for p in planners:
    for o in ["line", "learned"]:
        s = [cell(o, p, t)["normalized_score"] for t in ["single", "multi"]]
        print(f"| {p} | {o} | {s[0]['mean']:.1f} ± {s[0]['stderr']:.1f} | {s[1]['mean']:.1f} ± {s[1]['stderr']:.1f} |")
print()
for o in ["line", "learned"]:
    for a, b in [("df-nomcg", "df"), ("fullseq", "df-nomcg")]:
        d = []
        for t in ["single", "multi"]:
            d += [y - x for x, y in zip(scores(cell(o, a, t)), scores(cell(o, b, t)))]
        print(f"{o}: {b} − {a} {verdict(d)}")
print()
for p in planners:
    d = []
    for t in ["single", "multi"]:
        d += [y - x for x, y in zip(scores(cell("line", p, t)), scores(cell("learned", p, t)))]
    print(f"{p}: learned − line {verdict(d)}")
