#!/usr/bin/env python3
"""The plan-delay runs as a table: python3 experiments/plan-delay/outcome.py

For each maze: the median time of one plan for one robot on this machine
(latency-M.json) in 10 ms control ticks, and the table's df cells (seed 0)
against the same episodes with plans arriving that many steps late
(M-T-df-dN.json): score · success · hold, and the paired difference;
then the shorter delays of sweep/ on the single-task cells.
"""
import math
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import changed, fmt, load  # noqa: E402

TICK_MS = 10  # the node's control period at its default 100 Hz


def cell(d):
    s = d["normalized_score"]
    return f"{s['mean']:.1f} ± {s['stderr']:.1f} · {100 * d['success_rate']:.0f} % · hold {100 * d['hold_rate']:.0f} %"


def main():
    print("**plans that arrive late**, df, 50 episodes per cell, seed 0: the table's cell, the same "
          "episodes with every plan arriving N steps after it is asked for (`--plan-delay N`), and the "
          "paired difference; N is one robot's median plan time on this machine in 10 ms ticks\n")
    print("| maze | one plan, p50 | N | task | on time (table) | N steps late | paired difference |")
    print("|---|---|---|---|---|---|---|")
    for maze in ("umaze", "medium", "large"):
        p50 = load(f"{R}/latency-{maze}.json")["plan_latency_ms"]["p50"]
        n = math.ceil(p50 / TICK_MS)
        for task in ("single", "multi"):
            late = f"{R}/{maze}-{task}-df-d{n}.json"
            if not os.path.exists(late):
                continue
            d = load(late)
            if d.get("plan_delay_steps") != n:
                sys.exit(f"{late}: plan_delay_steps {d.get('plan_delay_steps')}, want {n}")
            on = f"{R}/../../results/{maze}-{task}-df.json"
            print(f"| {maze} | {p50:.0f} ms | {n} | {task} | {cell(load(on))} | {cell(d)} | {fmt(changed(on, late, ()))} |")
    print()
    sweep()
    nomcg()


def sweep():
    """The shorter delays of sweep/, single-task, as a faster planner would give."""
    rows = []
    for maze in ("umaze", "medium"):
        on = f"{R}/../../results/{maze}-single-df.json"
        for n in (3, 5, 10):
            late = f"{R}/sweep/{maze}-single-df-d{n}.json"
            if os.path.exists(late):
                rows.append((maze, n, on, late))
    if not rows:
        return
    print("**shorter delays**, df, single-task, 50 episodes, seed 0: plans arriving N steps late "
          "(`sweep/`), against the table's cell on the same episodes\n")
    print("| maze | open loop | N | score · success · hold | plan drift | paired difference |")
    print("|---|---|---|---|---|---|")
    for maze, n, on, late in rows:
        d = load(late)
        print(f"| {maze} | {d['config']['open_loop']} | {n} | {cell(d)} | {d['plan_drift_m']:.2f} m | {fmt(changed(on, late, ()))} |")
    print()


def nomcg():
    """df-nomcg under its own plan time (latency-M-df-nomcg.json)."""
    rows = []
    for maze in ("umaze", "medium"):
        lat = f"{R}/latency-{maze}-df-nomcg.json"
        if not os.path.exists(lat):
            continue
        p50 = load(lat)["plan_latency_ms"]["p50"]
        n = math.ceil(p50 / TICK_MS)
        late = f"{R}/{maze}-single-df-nomcg-d{n}.json"
        if os.path.exists(late):
            rows.append((maze, p50, n, f"{R}/../../results/{maze}-single-df-nomcg.json", late))
    if not rows:
        return
    print("**plain guidance under its own plan time**, df-nomcg, single-task, 50 episodes, seed 0\n")
    print("| maze | one plan, p50 | N | on time (table) | N steps late | paired difference |")
    print("|---|---|---|---|---|---|")
    for maze, p50, n, on, late in rows:
        print(f"| {maze} | {p50:.0f} ms | {n} | {cell(load(on))} | {cell(load(late))} | {fmt(changed(on, late, ()))} |")
    print()


if __name__ == "__main__":
    main()
