#!/usr/bin/env python3
"""The table's plan latencies for the model planners, natively (this
folder, run.sh) beside the graph's (the table's single-task cells).

Usage: python3 experiments/native/table-latency/outcome.py   (from the repository root)
"""
import json
import os

D = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.dirname(os.path.dirname(D))
MAZES = ["umaze", "medium", "large"]


def lat(path):
    with open(path) as f:
        o = json.load(f)
    p = o["plan_latency_ms"]
    return o, f"{p['p50']:.0f}/{p['p99']:.0f} ms"


print("**the table's plan latency, natively**: one batched call of 25 robots, single-task, seed 0, "
      "the first 300 steps, p50/p99; the table's cells (gorgonia's graph) beside it")
print()
print("| planner | " + " | ".join(MAZES) + " |")
print("|---|" + "---|" * len(MAZES))
for p in ["df", "df-nomcg", "fullseq"]:
    cells = []
    for m in MAZES:
        nat, n = lat(os.path.join(D, f"{m}-{p}.json"))
        graph, g = lat(os.path.join(RESULTS, "..", "results", f"{m}-single-{p}.json"))
        if nat["config"] != graph["config"] or nat.get("engine", "graph") != "native":
            raise SystemExit(f"{m}-{p}: not the table's settings natively")
        cells.append(f"{n} (graph {g})")
    print(f"| {p} | " + " | ".join(cells) + " |")
