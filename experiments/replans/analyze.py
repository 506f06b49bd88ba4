#!/usr/bin/env python3
"""Replan-by-replan look at `dfplan bench --trace` files.

Usage: python3 experiments/replans/analyze.py TRACE.jsonl [TRACE.jsonl ...]

Each trace line is one plan: the state it was made from, the goal, and the
planned observations and actions. The state of an episode's next plan is
where the executed open loop took the robot. Replans are grouped by the
robot's distance d from its goal when it planned; for each planner and
group the script prints means over replans (with standard errors where a
mean is compared across planners).
"""
import json
import math
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from paired import mean_se  # noqa: E402

RADIUS = 0.5  # D4RL's goal radius: the sparse reward is 1 within it
GROUPS = [("at the goal (d < 0.5 m)", 0, 0.5),
          ("near (0.5 ≤ d < 1.5 m)", 0.5, 1.5),
          ("far (d ≥ 1.5 m)", 1.5, math.inf)]


def dist(p, g):
    return math.hypot(p[0] - g[0], p[1] - g[1])


def load(path):
    """The trace's planner and its plans by episode; a trace of several
    planners (`--planner all`, or files joined) is refused."""
    by_ep = defaultdict(list)
    planners = set()
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            planners.add(r["planner"])
            by_ep[r["episode"]].append(r)
    if len(planners) != 1:
        sys.exit(f"{path}: plans of {len(planners)} planners ({', '.join(sorted(planners))}); give one planner's trace")
    return planners.pop(), by_ep


def replans(by_ep):
    """Yields (plan, next plan's state) for every plan followed by another."""
    for ep in sorted(by_ep):
        rs = sorted(by_ep[ep], key=lambda r: r["step"])
        for a, b in zip(rs, rs[1:]):
            yield a, b


def measure(by_ep):
    rows = defaultdict(lambda: defaultdict(list))
    for a, b in replans(by_ep):
        g, s = a["goal"], a["state"]
        d0 = dist(s, g)
        n = b["step"] - a["step"]  # frames executed
        obs = a["observations"]
        if n < 1 or len(obs) < n:
            continue  # no predicted state where the open loop ended
        planned = obs[n - 1]
        reached = b["state"]
        grp = next(name for name, lo, hi in GROUPS if lo <= d0 < hi)
        m = rows[grp]
        m["n"].append(1)
        m["planned end of the open loop: distance to goal (m)"].append(dist(planned, g))
        m["executed end of the open loop: distance to goal (m)"].append(dist(reached, g))
        m["planned: share of open loops ending within 0.5 m"].append(float(dist(planned, g) < RADIUS))
        m["executed: share of open loops ending within 0.5 m"].append(float(dist(reached, g) < RADIUS))
        m["planned speed at the end of the open loop (m/s)"].append(math.hypot(planned[2], planned[3]))
        m["executed speed at the end of the open loop (m/s)"].append(math.hypot(reached[2], reached[3]))
        m["drift: executed vs planned position (m)"].append(dist(reached, planned))
        m["whole plan: mean distance to goal over its frames (m)"].append(sum(dist(o, g) for o in obs) / len(obs))
        m["whole plan: share of frames within 0.5 m"].append(sum(dist(o, g) < RADIUS for o in obs) / len(obs))
        m["plan's last frame: distance to goal (m)"].append(dist(obs[-1], g))
        m["speed when planning (m/s)"].append(math.hypot(s[2], s[3]))
        if "in_wall" in a:  # traces written before dfplan counted it lack it
            m["whole plan: share of frames inside walls"].append(a["in_wall"] / len(obs))
    return rows


def main(paths):
    results = []
    for p in paths:
        planner, by_ep = load(p)
        results.append((planner, measure(by_ep)))
    names = [r[0] for r in results]
    for grp, _, _ in GROUPS:
        print(f"**{grp}**: means over replans ± s.e.\n")
        print("| | " + " | ".join(names) + " |")
        print("|---|" + "---|" * len(names))
        keys = []
        for _, rows in results:
            keys += [k for k in rows[grp] if k != "n" and k not in keys]
        print("| replans | " + " | ".join(str(len(r[1][grp]["n"])) for r in results) + " |")
        for k in keys:
            cells = []
            for _, rows in results:
                if not rows[grp][k]:
                    cells.append("–")
                    continue
                m, se = mean_se(rows[grp][k])
                cells.append(f"{m:.2f} ± {se:.2f}" if "share" not in k else f"{100*m:.0f} % ± {100*se:.0f}")
            print(f"| {k} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: analyze.py TRACE.jsonl [TRACE.jsonl ...]")
    main(sys.argv[1:])
