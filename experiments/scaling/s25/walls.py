#!/usr/bin/env python3
"""Share of planned positions inside walls, by plan token, from a
`dfplan bench --trace` file: walls.py MAZE TRACE.jsonl ...

The layout comes from sim/maze.go; a position is in a wall when its cell
(sim.Maze.IsFree: walls are offset by -0.2) is a wall or off the map. Its
depth is its distance to the nearest free cell's square (the ball's 0.1 m
radius is not subtracted: a real ball's centre stays 0.1 m outside).
"""
import json
import math
import pathlib
import re
import sys

FRAMES = 10  # frames per token (frame_stack)


def layout(maze):
    src = (pathlib.Path(__file__).resolve().parents[3] / "sim" / "maze.go").read_text()
    m = re.search(r'"%s":\s*`([^`]*)`' % re.escape(maze), src)
    if not m:
        sys.exit(f"walls.py: maze {maze!r}: no layout in sim/maze.go")
    return m.group(1).split("\\")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip())
    rows = layout(sys.argv[1])

    def wall(x, y):
        r, c = math.floor(x + 0.7), math.floor(y + 0.7)
        return not (0 <= r < len(rows) and 0 <= c < len(rows[r])) or rows[r][c] == "#"

    free = [(r, c) for r, row in enumerate(rows) for c, ch in enumerate(row) if ch != "#"]

    def depth(x, y):
        return min(math.hypot(max(r - 0.7 - x, 0, x - r - 0.3), max(c - 0.7 - y, 0, y - c - 0.3))
                   for r, c in free)

    for path in sys.argv[2:]:
        tok, depths = {}, []
        try:
            plans = [json.loads(line)["observations"] for line in open(path)]
        except (OSError, ValueError, KeyError) as e:
            sys.exit(f"walls.py: {path}: not a dfplan bench --trace file: {e}")
        for obs in plans:
            for i, o in enumerate(obs):
                a = tok.setdefault(i // FRAMES, [0, 0])
                a[1] += 1
                if wall(o[0], o[1]):
                    a[0] += 1
                    depths.append(depth(o[0], o[1]))
        n = sum(a[1] for a in tok.values())
        depths.sort()
        deep = sum(d > 0.1 for d in depths)
        med = depths[len(depths) // 2] if depths else 0
        print(f"{path}: {len(depths) / n:.3f} in walls ({deep / n:.3f} deeper than 0.1 m, "
              f"median depth {med:.2f} m); by token:",
              " ".join(f"{a[0] / a[1]:.2f}" for _, a in sorted(tok.items())))


if __name__ == "__main__":
    main()
