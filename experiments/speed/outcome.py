#!/usr/bin/env python3
"""df's plan time on a machine (experiments/speed/run.sh DFPLAN DIR) beside
the same measurements on the faster 2-core machine of earlier sessions
(experiments/ros/latency-M.json and experiments/native/table-latency/M-df.json);
then the wall time of the table's single-task df cells there, beside the
native re-runs of experiments/native/ (an earlier build of the native passes,
on a busy machine) and the table's own cells (gorgonia's graph).

Usage: python3 experiments/speed/outcome.py DIR   (from the repository root)
"""
import json
import os
import sys

R = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAZES = ["umaze", "medium", "large"]


def load(path):
    with open(path) as f:
        return json.load(f)


def p50(o):
    return f"{o['plan_latency_ms']['p50']:.0f} ms"


def both(o):
    p = o["plan_latency_ms"]
    return f"{p['p50']:.0f}/{p['p99']:.0f} ms"


if len(sys.argv) != 2:
    sys.exit("usage: outcome.py DIR")
d = sys.argv[1]
print(f"**df's plan time, {os.path.basename(os.path.normpath(d))}**: natively, shipped settings, one run at a time; "
      "one robot (p50) and one batched call of 25 robots (p50/p99), "
      "and the same on the faster machine of earlier sessions\n")
print("| maze | one robot | 25 robots | one robot, faster machine | 25 robots, faster machine |")
print("|---|---|---|---|---|")
for m in MAZES:
    one, batch = load(f"{d}/one-{m}.json"), load(f"{d}/batch-{m}.json")
    was_one = load(f"{R}/ros/latency-{m}.json")
    was_batch = load(f"{R}/native/table-latency/{m}-df.json")
    for new, old in ((one, was_one), (batch, was_batch)):
        if new["config"] != old["config"] or new.get("engine") != "native":
            sys.exit(f"{m}: not the earlier measurement's settings natively")
    print(f"| {m} | {p50(one)} | {both(batch)} | {p50(was_one)} | {both(was_batch)} |")

print("\n**the table's single-task df cells**, 50 episodes, seed 0: wall time and score on this machine, "
      "beside the native re-runs of `experiments/native/` and the table's cells (gorgonia's graph)\n")
print("| maze | here | experiments/native/ | the table (graph) |")
print("|---|---|---|---|")
for m in MAZES:
    here = load(f"{d}/cell-{m}.json")
    nat, graph = load(f"{R}/native/{m}-single-df.json"), load(f"{R}/../results/{m}-single-df.json")
    if here["config"] != graph["config"] or here.get("engine") != "native" or here["episodes"] != 50:
        sys.exit(f"{m}: not the table's cell natively")
    row = [f"{o['wall_s']:.0f} s · {o['normalized_score']['mean']:.1f}" for o in (here, nat, graph)]
    print(f"| {m} | " + " | ".join(row) + " |")
