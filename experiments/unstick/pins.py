#!/usr/bin/env python3
"""Where robots get pinned: python3 experiments/unstick/pins.py RESULT.json TRACE.jsonl

For one planner's run (`dfplan bench ... --json RESULT.json --trace
TRACE.jsonl`), prints a markdown table of the episodes that never reached
the goal: how often the robot was pinned (an open loop that moved it less
than 5 cm where its plan said more than 20 cm, the test of
planner.Config.Unstick), how many of its plans were unguided, where it
was pinned most often (positions rounded to 0.5 m) and where it ended.
"""
import collections
import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from paired import load  # noqa: E402


def main(result, trace):
    d = load(result)
    plans = collections.defaultdict(list)
    with open(trace) as f:
        for line in f:
            p = json.loads(line)
            if p["planner"] != d["planner"]:
                sys.exit(f"{trace}: plans of {p['planner']}, {result} is {d['planner']}")
            plans[p["episode"]].append(p)
    if sorted(plans) != list(range(d["episodes"])):
        sys.exit(f"{trace}: episodes {sorted(plans)[:5]}…, {result} has {d['episodes']}")
    print(f"**pinned robots**, {d['maze']} {d['task']}-task, {d['planner']}, seed {d['seed']}, "
          f"unstick {d['config'].get('unstick', 0)}: the episodes that never reached the goal\n")
    print("| episode | goal | times pinned | unguided plans | most often pinned near | ended at |")
    print("|---|---|---|---|---|---|")
    failed = 0
    for e, ps in sorted(plans.items()):
        if d["first_reach_step"][e] >= 0:
            continue
        failed += 1
        spots = collections.Counter()
        for a, b in zip(ps, ps[1:]):
            k = b["step"] - a["step"]
            s0, s1, to = a["state"], b["state"], a["observations"][k - 1]
            if math.hypot(s1[0] - s0[0], s1[1] - s0[1]) < 0.05 and math.hypot(to[0] - s0[0], to[1] - s0[1]) > 0.2:
                spots[(round(s1[0] * 2) / 2, round(s1[1] * 2) / 2)] += 1
        unguided = sum(1 for p in ps if p.get("unguided", 0) > 0)
        top = ", ".join(f"({x:g}, {y:g}) ×{n}" for (x, y), n in spots.most_common(2)) or "–"
        g, f = d["goal_xy"][e], d["final_xy"][e]
        print(f"| {e} | ({g[0]:g}, {g[1]:g}) | {sum(spots.values())} | {unguided} of {len(ps)} | {top} | ({f[0]:.1f}, {f[1]:.1f}) |")
    print(f"\n{failed} of {d['episodes']} episodes never reached the goal.")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: pins.py RESULT.json TRACE.jsonl")
    main(*sys.argv[1:])
