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
    drift = o.get("plan_drift_m")
    d = " · %.2f m" % drift if drift is not None else ""
    hold = o.get("hold_rate")
    h = " (hold %.0f%%)" % (100 * hold) if hold is not None else ""
    return "%.1f ± %.1f · %.0f%%%s · %.0f/%.0f ms%s" % (s["mean"], s["stderr"], 100 * o["success_rate"], h, lat["p50"], lat["p99"], d)

for task in ["single", "multi"]:
    mazes = [m for m in ["umaze", "medium", "large"] if any(k[0] == task and k[1] == m for k in rows)]
    if not mazes:
        continue
    print("**%s-task**, %s episodes per cell, seed 0. Cells: normalized score ± s.e. · success rate (hold: share of the steps from the first reach on spent at the goal) · plan latency p50/p99 (one batched call for all episodes that replan together; see `plans_per_call` in the JSON) · plan drift (where the executed open-loop actions left the robot vs. where the plan said; planners that predict states only)\n" % (task, "/".join(sorted({str(o["episodes"]) for k, o in rows.items() if k[0] == task}))))
    print("| planner | " + " | ".join(mazes) + " |")
    print("|---|" + "---|" * len(mazes))
    for p in order:
        cells = [cell(rows[(task, m, p)]) if (task, m, p) in rows else "not run" for m in mazes]
        if all(c == "not run" for c in cells):
            continue
        print("| %s | %s |" % (p, " | ".join(cells)))
    print()

# The compute sweep (results/sweep/*.json, one cell per sampling steps × MCG
# samples), if present.
sweep = []
for path in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sweep", "*.json"))):
    with open(path) as f:
        sweep.append(json.load(f))
if sweep:
    o = sweep[0]
    print("**compute sweep**, %s, %s task, df, %d episodes per cell, seed 0\n" % (o["maze"], o["task"], o["episodes"]))
    print("| sampling steps | MCG samples | score ± s.e. | success | plan p50/p99 per call of %d | wall |" % o["plans_per_call"])
    print("|---|---|---|---|---|---|")
    for o in sorted(sweep, key=lambda o: (o["config"]["sampling_steps"], o["config"]["mcg_samples"])):
        s, lat = o["normalized_score"], o["plan_latency_ms"]
        print("| %d | %d | %.1f ± %.1f | %.0f%% | %.0f/%.0f ms | %.0f s |" % (o["config"]["sampling_steps"], o["config"]["mcg_samples"], s["mean"], s["stderr"], 100 * o["success_rate"], lat["p50"], lat["p99"], o["wall_s"]))
    print()
