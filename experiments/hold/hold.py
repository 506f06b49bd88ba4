#!/usr/bin/env python3
"""Where the score goes after arriving: for each cell, the mean return, the
mean first arrival (a robot that never arrives counts as the episode's
length), the mean number of steps spent outside the goal after the first
arrival, and bench's hold rate. Usage: python3 experiments/hold/hold.py [FILE.json ...]
(default: the table's seed-0 df and expert cells)."""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
RESULTS = os.path.join(os.path.dirname(os.path.dirname(HERE)), "results")  # the main table


def row(path):
    d = json.load(open(path))
    n, T = len(d["returns"]), d["steps_per_episode"]
    fr = d["first_reach_step"]
    arrival = sum(f if f >= 0 else T for f in fr) / n
    lost = sum((T - f) - r for f, r in zip(fr, d["returns"]) if f >= 0) / n
    hold = d.get("hold_rate")
    return "| %s | %.1f | %.1f | %.1f | %s |" % (
        os.path.relpath(path, RESULTS), sum(d["returns"]) / n, arrival, lost,
        "—" if hold is None else "%.0f %%" % (100 * hold))


def main():
    paths = sys.argv[1:] or [
        os.path.join(RESULTS, "%s-%s-%s.json" % (m, t, p))
        for m in ("umaze", "medium", "large") for t in ("single", "multi") for p in ("df", "expert")]
    print("| file | mean return | mean first arrival (step) | steps lost after arriving | hold |")
    print("|---|---|---|---|---|")
    for p in paths:
        print(row(p))


if __name__ == "__main__":
    main()
