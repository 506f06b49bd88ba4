#!/usr/bin/env python3
"""Where do the robots that never reach the goal end up? For every JSON in
this folder that records start_xy, goal_xy and final_xy (`dfplan bench
--json`), count the episodes whose straight line to the goal crosses a
wall: at the start (all episodes) and at the end (episodes that never
reached the goal). The layouts are read from sim/maze.go. Numbers come only
from the JSON files."""
import glob, json, math, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
src = open(os.path.join(here, "..", "sim", "maze.go")).read()
layouts = {m: s.split("\\") for m, s in re.findall(r'"(\w[\w-]*)":\s+`([#OG\\\\]+)`', src)}

def blocked(maze, a, b):
    """Whether the segment a→b passes through a wall cell (cell (i, j)
    spans i ± 0.5, j ± 0.5 in state coordinates), sampled every 1 cm."""
    rows = layouts[maze]
    n = max(1, int(math.dist(a, b) / 0.01))
    for k in range(n + 1):
        x = a[0] + (b[0] - a[0]) * k / n
        y = a[1] + (b[1] - a[1]) * k / n
        i, j = math.floor(x + 0.5), math.floor(y + 0.5)
        if rows[i][j] == "#":
            return True
    return False

cells = [json.load(open(p)) for p in sorted(glob.glob(os.path.join(here, "..", "results", "*.json")))]
cells = [o for o in cells if "final_xy" in o]
print("**where the robots that never arrive end up**, %s episodes per cell, seed %s (a wall on the straight line: the segment from the robot to the goal passes through a wall cell)\n" % (
    "/".join(sorted({str(o["episodes"]) for o in cells})), "/".join(sorted({str(o["seed"]) for o in cells}))))
order = ["df", "df-nomcg", "fullseq", "mppi", "expert", "random"]
cells.sort(key=lambda o: (o["task"] != "single", ["umaze", "medium", "large"].index(o["maze"]) if o["maze"] in ("umaze", "medium", "large") else 9, order.index(o["planner"]) if o["planner"] in order else 9))
print("| maze | task | planner | episodes whose start sees no straight line to the goal | success from a clear / a blocked start | never reached | of those, ending with a wall on the straight line to the goal |")
print("|---|---|---|---|---|---|---|")
for o in cells:
    m = o["maze"]
    if m not in layouts:
        sys.exit("stuck.py: no layout for maze %s in sim/maze.go" % m)
    starts = [blocked(m, s, g) for s, g in zip(o["start_xy"], o["goal_xy"])]
    reached = [r >= 0 for r in o["first_reach_step"]]
    clear_ok = sum(1 for b, r in zip(starts, reached) if not b and r)
    blocked_ok = sum(1 for b, r in zip(starts, reached) if b and r)
    nb = sum(starts)
    miss = [i for i, r in enumerate(reached) if not r]
    ends = sum(1 for i in miss if blocked(m, o["final_xy"][i], o["goal_xy"][i]))
    print("| %s | %s | %s | %d of %d | %d of %d / %d of %d | %d | %d |" % (
        m, o["task"], o["planner"], nb, len(starts), clear_ok, len(starts) - nb, blocked_ok, nb, len(miss), ends))
