#!/usr/bin/env python3
"""The learned-after runs (run.sh): per maze and task, df's score without
the rule (n0) and with it (n100), the paired difference n100 − n0 over
both tuning seeds, and run.sh's decision rule per maze.

Usage (from the repository root): python3 experiments/learned-after/summary.py
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
sys.path.insert(0, os.path.dirname(HERE))
from paired import mean_se, scores  # noqa: E402


for maze in ("medium", "umaze"):
    pooled = []
    tasks_ok = True
    for task in ("single", "multi"):
        diff, base, rule, learned = [], [], [], []
        for seed in (777, 31337):
            f = lambda n: json.load(open(f"{OUT}/{maze}-{task}-s{seed}-n{n}.json"))
            a, b = f(0), f(100)
            sa, sb = scores(a), scores(b)
            base += sa
            rule += sb
            diff += [y - x for x, y in zip(sa, sb)]
            learned.append(b.get("plans_learned") or 0.0)
        m, se = mean_se(diff)
        tasks_ok &= m >= 0
        pooled += diff
        print(f"{maze:6} {task:6}  none {mean_se(base)[0]:6.1f}  learned_after 100 {mean_se(rule)[0]:6.1f}"
              f"  difference {m:+.1f} ± {se:.1f} ({len(diff)} pairs)"
              f"  plans learned {100 * sum(learned) / len(learned):.0f} %")
    m, se = mean_se(pooled)
    ok = m > 2 * se and tasks_ok
    print(f"{maze:6} pooled  {m:+.1f} ± {se:.1f} ({len(pooled)} pairs): rule {'PASSES' if ok else 'fails'}")
