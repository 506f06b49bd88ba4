#!/usr/bin/env python3
"""Do plans respect walls? A look at `dfplan bench --trace` files.

Usage: python3 experiments/replans/walls.py RESULT.json TRACE.jsonl [...]
(pairs of the --json and --trace files of one run).

The trace's `in_wall` counts each plan's predicted positions inside a wall
or outside the map (dfplan measures it; the planner never sees the map).
For each run, plans are split by whether their episode ever reached the
goal; a plan counts as "pinned" when the open loop it started moved the
robot less than 5 cm while the plan said it would move more than 20 cm.
"""
import json
import math
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from paired import load  # noqa: E402


def main(args):
    if len(args) < 2 or len(args) % 2:
        sys.exit("usage: walls.py RESULT.json TRACE.jsonl [RESULT.json TRACE.jsonl ...]")
    lines = ["| run | episodes | plans | planned positions inside walls | "
             "pinned plans (robot moved < 5 cm, plan said > 20 cm) |",
             "|---|---|---|---|---|"]
    for res_path, trace_path in zip(args[::2], args[1::2]):
        res = load(res_path)
        reached = [s >= 0 for s in res["first_reach_step"]]
        by_ep = defaultdict(list)
        with open(trace_path) as f:
            for line in f:
                r = json.loads(line)
                e = r["episode"]
                if r["planner"] != res["planner"] or e >= len(reached) or \
                        ("goal_xy" in res and math.dist(r["goal"], res["goal_xy"][e]) > 1e-3):
                    sys.exit(f"{trace_path} does not belong to {res_path}: planner {r['planner']}, "
                             f"episode {e}, goal {r['goal']}")
                by_ep[e].append(r)
        c = res["config"]
        disc = f", discount {c['discount']}" if c.get("discount") else ""
        name = f"{res['maze']} {res['task']} {res['planner']} (guidance {c['guidance_scale']}{disc})"
        for label, want in (("reached the goal", True), ("never reached it", False)):
            eps = [e for e in by_ep if reached[e] == want]
            plans = [r for e in eps for r in by_ep[e]]
            if not plans:
                continue
            frames = sum(len(r["observations"]) for r in plans)
            if frames == 0:
                sys.exit(f"{trace_path}: the plans predict no positions")
            inwall = sum(r["in_wall"] for r in plans) / frames
            pinned = n = 0
            for e in eps:
                rs = sorted(by_ep[e], key=lambda r: r["step"])
                for a, b in zip(rs, rs[1:]):
                    k = b["step"] - a["step"]
                    if k < 1 or len(a["observations"]) < k:
                        continue  # no predicted position where the open loop ended
                    moved = math.dist(a["state"][:2], b["state"][:2])
                    planned = math.dist(a["state"][:2], a["observations"][k - 1][:2])
                    n += 1
                    pinned += moved < 0.05 and planned > 0.2
            lines.append(f"| {name}, {label} | {len(eps)} | {len(plans)} | {100*inwall:.0f} % | "
                         f"{100*pinned/max(n,1):.0f} % |")
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
