#!/usr/bin/env python3
"""How fast plans move a robot that is already at its goal.

Usage: python3 experiments/scaling/plan-speed.py TRACE.jsonl...

For every plan in a `dfplan bench --trace` file made while the robot was
within 0.5 m of its goal, averages the planned speed over the first token
(the 10 frames executed) and over the rest, and the share of planned
positions within 0.5 m of the goal, over the same two spans.
"""
import json
import math
import sys

for fn in sys.argv[1:]:
    n = 0
    v1 = v2 = in1 = in2 = 0.0
    with open(fn) as f:
        for line in f:
            r = json.loads(line)
            s, g = r["state"], r["goal"]
            if math.hypot(s[0] - g[0], s[1] - g[1]) > 0.5:
                continue
            o = r["observations"]
            n += 1
            sp = [math.hypot(x[2], x[3]) for x in o]
            di = [math.hypot(x[0] - g[0], x[1] - g[1]) for x in o]
            v1 += sum(sp[:10]) / 10
            v2 += sum(sp[10:]) / len(sp[10:])
            in1 += sum(d < 0.5 for d in di[:10]) / 10
            in2 += sum(d < 0.5 for d in di[10:]) / len(di[10:])
    if n == 0:
        print(f"{fn}: no plan made at the goal")
        continue
    print(f"{fn}: {n} plans at the goal; planned speed first token {v1/n:.2f} m/s, rest {v2/n:.2f}; "
          f"planned positions at the goal: first token {in1/n:.2f}, rest {in2/n:.2f}")
