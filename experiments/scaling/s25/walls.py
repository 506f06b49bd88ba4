#!/usr/bin/env python3
"""Share of planned positions inside walls, by plan token, from a
`dfplan bench --trace` file: walls.py MAZE TRACE.jsonl ...

The layout comes from sim/maze.go; a position is in a wall when its cell
(sim.Maze.IsFree: walls are offset by -0.2) is a wall or off the map.
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

    for path in sys.argv[2:]:
        tok = {}
        for line in open(path):
            for i, o in enumerate(json.loads(line)["observations"]):
                a = tok.setdefault(i // FRAMES, [0, 0])
                a[0] += wall(o[0], o[1])
                a[1] += 1
        inw = sum(a[0] for a in tok.values())
        n = sum(a[1] for a in tok.values())
        print(f"{path}: {inw / n:.3f} in walls; by token:",
              " ".join(f"{a[0] / a[1]:.2f}" for _, a in sorted(tok.items())))


if __name__ == "__main__":
    main()
