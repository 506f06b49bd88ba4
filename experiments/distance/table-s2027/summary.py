#!/usr/bin/env python3
"""df-td's row on seed 2027 beside df's (experiments/table-s2027), paired.

Usage: python3 experiments/distance/table-s2027/summary.py

Per cell: both scores ± s.e., the paired difference df-td − df, success
rates and the share of planned positions inside walls; then large's far
goals (the expert's first reach at step 300 or later) reached by each, and
the paired differences pooled per maze.
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", ".."))
from paired import fmt, scores, verdict  # noqa: E402

table = os.path.join(here, "..", "..", "table-s2027")


def load(d, name):
    with open(os.path.join(d, name)) as f:
        return json.load(f)


print("| maze | task | df | df-td | df-td − df | success df / df-td | in walls df / df-td |")
print("|---|---|---|---|---|---|---|")
pooled = {}
for m in ["umaze", "medium", "large"]:
    for t in ["single", "multi"]:
        a, b = load(table, f"{m}-{t}-df.json"), load(here, f"{m}-{t}-df-td.json")
        diff = [y - x for x, y in zip(scores(a), scores(b))]
        pooled.setdefault(m, []).extend(diff)
        sa, sb = a["normalized_score"], b["normalized_score"]
        print(f"| {m} | {t} | {sa['mean']:.1f} ± {sa['stderr']:.1f} | {sb['mean']:.1f} ± {sb['stderr']:.1f} | {fmt(diff)} "
              f"| {100 * a['success_rate']:.0f} / {100 * b['success_rate']:.0f} % "
              f"| {100 * a['plan_in_wall']:.1f} / {100 * b['plan_in_wall']:.1f} % |")
print()
for t in ["single", "multi"]:
    ex = load(table, f"large-{t}-expert.json")["first_reach_step"]
    far = [i for i, s in enumerate(ex) if s >= 300]
    a, b = load(table, f"large-{t}-df.json"), load(here, f"large-{t}-df-td.json")
    ra = sum(1 for i in far if a["first_reach_step"][i] >= 0)
    rb = sum(1 for i in far if b["first_reach_step"][i] >= 0)
    print(f"large {t}: far goals reached, df {ra} of {len(far)}, df-td {rb} of {len(far)}")
print()
for m, d in pooled.items():
    print(f"{m}: df-td − df {verdict(d)}")
