#!/usr/bin/env python3
"""The benchmark at a glance: the main table's cells (results/M-T-P.json,
written by `dfplan bench --json`) as one compact Markdown table, score and
success rate only, with the Diffusion Forcing paper's D4RL maze2d numbers
below them for comparison. The full tables, with latency, hold rate and plan
drift, are `python3 results/table.py`. Numbers come only from the JSON files
and, for the paper rows, from the paper as quoted in DESIGN §5.

Usage: python3 results/brief.py [DIR]   (DIR: another table's JSON files, e.g.
experiments/table-s2027; default results/)
"""
import glob
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
mazes = ["umaze", "medium", "large"]
tasks = ["single", "multi"]
planners = [
    ("df", "df: pyramid + Monte Carlo Guidance"),
    ("df-nomcg", "df-nomcg: pyramid, plain guidance"),
    ("fullseq", "fullseq: full-sequence schedule (Diffuser-like)"),
    ("mppi", "mppi: sampling MPC on the true simulator"),
    ("expert", "expert: the data's waypoint controller (reads the map)"),
    ("random", "random"),
]
# Rows shown when every cell of theirs is there: df with hold 0.5 (its
# robots brake within 0.5 m of the goal; not the paper's method, which
# executes its plans; results/hold.sh).
optional = [
    ("df-hold", "df + hold: brakes within 0.5 m of its goal (dfplan node's goal tolerance)"),
]
# The paper's numbers (Chen et al. 2024, Diffusion Forcing), as
# DESIGN §5 quotes them: single-task umaze/medium/large, then multi-task.
paper = [
    ("paper: DF + MCG", [116.7, 149.4, 159.0], [119.1, 152.3, 167.1]),
    ("paper: DF without MCG", [110.1, 136.1, 142.8], None),
    ("paper: Diffuser", [113.9, 121.5, 123.0], None),
    ("paper: MPPI", [33.2, 10.2, 5.1], None),
]


def load(where):
    cells = {}
    for path in sorted(glob.glob(os.path.join(where, "*.json"))):
        with open(path) as f:
            o = json.load(f)
        if isinstance(o, dict) and "planner" in o:
            p = o["planner"]
            if o.get("config", {}).get("hold", 0) > 0:
                p += "-hold"
            cells[(o["task"], o["maze"], p)] = o
    return cells


def main():
    where = sys.argv[1] if len(sys.argv) > 1 else here
    cells = load(where)
    missing = [f"{m}-{t}-{p}" for t in tasks for m in mazes for p, _ in planners if (t, m, p) not in cells]
    if missing:
        sys.exit("brief.py: no %s.json in %s" % (".json, ".join(missing), where))
    eps = sorted({str(o["episodes"]) for o in cells.values()})
    seeds = sorted({str(o["seed"]) for o in cells.values()})
    print("**The benchmark at a glance**: D4RL-normalized score ± s.e. · success rate, "
          "%s episodes per cell, seed %s; the paper's rows are its published numbers\n" % ("/".join(eps), "/".join(seeds)))
    print("| planner | " + " | ".join(f"{m} {t}" for t in tasks for m in mazes) + " |")
    print("|---|" + "---|" * (len(mazes) * len(tasks)))
    shown = planners + [(p, label) for p, label in optional
                        if all((t, m, p) in cells for t in tasks for m in mazes)]
    for p, label in shown:
        row = []
        for t in tasks:
            for m in mazes:
                o = cells[(t, m, p)]
                s = o["normalized_score"]
                row.append("%.1f ± %.1f · %.0f%%" % (s["mean"], s["stderr"], 100 * o["success_rate"]))
        print(f"| {label} | " + " | ".join(row) + " |")
    for label, single, multi in paper:
        row = ["%.1f" % v for v in single] + (["%.1f" % v for v in multi] if multi else ["–"] * len(mazes))
        print(f"| {label} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
