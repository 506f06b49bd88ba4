#!/usr/bin/env python3
"""Render the benchmark JSON files in this folder (written by `dfplan bench
--json`) as the Markdown table in the README. Numbers come only from the
JSON files; nothing is typed by hand."""
import glob, json, os, sys

order = ["df", "df-nomcg", "fullseq", "mppi", "expert", "random"]
rows = {}
for path in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "*.json"))):
    with open(path) as f:
        r = json.load(f)
    for o in r if isinstance(r, list) else [r]:
        rows[(o["task"], o["maze"], o["planner"])] = o

def cell(o):
    s = o["normalized_score"]
    lat = o["plan_latency_ms"]
    return "%.1f ± %.1f · %.0f%% · %.0f/%.0f ms" % (s["mean"], s["stderr"], 100 * o["success_rate"], lat["p50"], lat["p99"])

for task in ["single", "multi"]:
    mazes = [m for m in ["umaze", "medium", "large"] if any(k[0] == task and k[1] == m for k in rows)]
    if not mazes:
        continue
    print("**%s-task**, %s episodes per cell, seed 0. Cells: normalized score ± s.e. · success rate · plan latency p50/p99 (one batched call for all episodes that replan together; see `plans_per_call` in the JSON)\n" % (task, "/".join(sorted({str(o["episodes"]) for k, o in rows.items() if k[0] == task}))))
    print("| planner | " + " | ".join(mazes) + " |")
    print("|---|" + "---|" * len(mazes))
    for p in order:
        cells = [cell(rows[(task, m, p)]) if (task, m, p) in rows else "not run" for m in mazes]
        if all(c == "not run" for c in cells):
            continue
        print("| %s | %s |" % (p, " | ".join(cells)))
    print()
