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

# The stop weight (results/stop/*.json: cells with and without
# --stop-weight), one table per protocol (episodes, seed). A weight-0 cell
# missing there is taken from the main table when its protocol matches.
stop = {}
for path in sorted(glob.glob(os.path.join(os.path.dirname(os.path.abspath(__file__)), "stop", "*.json"))):
    with open(path) as f:
        o = json.load(f)
    proto = (o["episodes"], o["seed"])
    # Runs from before the flag existed have no stop term: weight 0.
    stop.setdefault(proto, {}).setdefault((o["maze"], o["task"], o["planner"]), {})[o["config"].get("stop_weight", 0)] = o
for (eps, seed), cells_by_key in sorted(stop.items(), key=lambda kv: (-kv[0][0], kv[0][1])):
    for key, by_w in cells_by_key.items():
        main = rows.get((key[1], key[0], key[2]))
        if 0 not in by_w and main is not None and main["episodes"] == eps and main["seed"] == seed:
            by_w[0] = main
    weights = sorted({w for v in cells_by_key.values() for w in v})
    print("**stop weight**, %d episodes per cell, seed %d. Cells: normalized score ± s.e. · success rate (hold); – not run\n" % (eps, seed))
    print("| maze | task | planner | " + " | ".join("stop weight %g" % w for w in weights) + " |")
    print("|---|---|---|" + "---|" * len(weights))
    mazes = ["umaze", "medium", "large"]
    for key in sorted(cells_by_key, key=lambda k: (mazes.index(k[0]) if k[0] in mazes else 9, k[1] != "single", order.index(k[2]) if k[2] in order else 9)):
        cells = []
        for w in weights:
            o = cells_by_key[key].get(w)
            if o is None:
                cells.append("–")
                continue
            sc = o["normalized_score"]
            cells.append("%.1f ± %.1f · %.0f%% (hold %.0f%%)" % (sc["mean"], sc["stderr"], 100 * o["success_rate"], 100 * o["hold_rate"]))
        print("| %s | %s | %s | %s |" % (key[0], key[1], key[2], " | ".join(cells)))
    print()
