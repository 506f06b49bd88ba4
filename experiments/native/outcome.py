#!/usr/bin/env python3
"""The native engine's runs as tables: python3 experiments/native/outcome.py

1. One robot's median plan time per maze on the graph (experiments/plan-delay/)
   and natively (latency-M.json), and the delays they mean in the node's
   10 ms ticks.
2. The table's df cells with plans that late (M-T-df-dN.json): against
   the table (on time) and against the graph's delays.
3. The table's df cells re-run natively (M-T-df.json), paired against the
   graph's, and the rule of README.md.
"""
import math
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, changed, fmt, load, mean_se  # noqa: E402

TICK_MS = 10  # the node's control period at its default 100 Hz
MAZES = ("umaze", "medium", "large")
TASKS = ("single", "multi")


def ticks(path):
    p50 = load(path)["plan_latency_ms"]["p50"]
    return p50, math.ceil(p50 / TICK_MS)


def latency():
    print("**one robot's plan time**, p50 (`dfplan bench --maze M --episodes 2 --batch 1 --steps 100`), "
          "and the delay it means at 100 Hz\n")
    print("| maze | graph | native | N graph → native |")
    print("|---|---|---|---|")
    for maze in MAZES:
        g, ng = ticks(f"{R}/../plan-delay/latency-{maze}.json")
        n, nn = ticks(f"{R}/latency-{maze}.json")
        print(f"| {maze} | {g:.0f} ms | {n:.0f} ms | {ng} → {nn} |")
    print()


def delayed():
    print("**what a robot gets**, df, 50 episodes per cell, seed 0: the table's cell (on time), the same "
          "episodes with plans as late as the graph makes them (`experiments/plan-delay/`) and as late as the "
          "native engine makes them; paired differences against the table and against the graph's delay\n")
    print("| maze | task | on time | graph, N | native, N | native − on time | native − graph |")
    print("|---|---|---|---|---|---|---|")
    for maze in MAZES:
        _, ng = ticks(f"{R}/../plan-delay/latency-{maze}.json")
        _, nn = ticks(f"{R}/latency-{maze}.json")
        for task in TASKS:
            late = f"{R}/{maze}-{task}-df-d{nn}.json"
            if not os.path.exists(late):
                continue
            d = load(late)
            if d.get("plan_delay_steps") != nn or d.get("engine") != "native":
                sys.exit(f"{late}: delay {d.get('plan_delay_steps')}, engine {d.get('engine')}; want {nn}, native")
            on = f"{R}/../../results/{maze}-{task}-df.json"
            graph = f"{R}/../plan-delay/{maze}-{task}-df-d{ng}.json"
            print(f"| {maze} | {task} | {cell(load(on))} | {cell(load(graph))}, {ng} | {cell(d)}, {nn} | "
                  f"{fmt(changed(on, late, ()))} | {fmt(changed(graph, late, ()))} |")
    print()


def same():
    rows, pooled = [], []
    for maze in MAZES:
        for task in TASKS:
            nat = f"{R}/{maze}-{task}-df.json"
            if not os.path.exists(nat):
                continue
            if load(nat).get("engine") != "native":
                sys.exit(f"{nat}: not a native run")
            graph = f"{R}/../../results/{maze}-{task}-df.json"
            d = changed(graph, nat, ())
            m, se = mean_se(d)
            pooled += d
            g, n = load(graph), load(nat)
            rows.append(f"| {maze} | {task} | {cell(g)} | {cell(n)} | {fmt(d)} | {'yes' if abs(m) > 2 * se else 'no'} | "
                        f"{g['wall_s']:.0f} → {n['wall_s']:.0f} s |")
    if not rows:
        return
    print("**the same cells natively**, df, 50 episodes, seed 0: the table's cell (graph) and the re-run "
          "(native) on the same episodes; float rounding parts the pairs after some hundred steps, so they "
          "must agree in distribution\n")
    print("| maze | task | graph | native | native − graph | beyond 2 s.e. | cell wall time |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    m, se = mean_se(pooled)
    print(f"\npooled over {len(pooled)} pairs: {fmt(pooled)}; "
          f"{'beyond' if abs(m) > 2 * se else 'within'} twice its standard error")


if __name__ == "__main__":
    latency()
    delayed()
    same()
