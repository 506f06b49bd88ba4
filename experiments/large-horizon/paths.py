"""Where df fails on large: success by how long the expert needs.

For each episode of a df cell, the expert's first step in the goal on the
same start and goal (the expert cell of the same seed) measures how far the
goal is along the maze. Usage:

    python3 experiments/large-horizon/paths.py [DF.json EXPERT.json ...]

Without arguments: the table's large cells (seed 0).
"""
import json
import sys

BUCKETS = [(0, 150), (150, 300), (300, 10**9)]


def label(lo, hi):
    return f"≥ {lo}" if hi >= 10**9 else f"{lo}–{hi - 1}"


def main(args):
    if not args:
        args = [f"results/large-{t}-{p}.json" for t in ("single", "multi") for p in ("df", "expert")]
    if len(args) % 2:
        sys.exit("paths.py: give DF.json EXPERT.json pairs")
    print("| cell | " + " | ".join(f"expert reaches in {label(lo, hi)} steps" for lo, hi in BUCKETS) + " |")
    print("|---|" + "---|" * len(BUCKETS))
    for i in range(0, len(args), 2):
        df, ex = (json.load(open(p)) for p in args[i:i + 2])
        # Same maze, task and seed means the same starts and goals (bench's contract).
        key = ("maze", "task", "seed", "episodes")
        if [df[k] for k in key] != [ex[k] for k in key] or ex["planner"] != "expert":
            sys.exit(f"paths.py: {args[i]} and {args[i + 1]} are not the same episodes")
        cells = []
        for lo, hi in BUCKETS:
            eps = [j for j, s in enumerate(ex["first_reach_step"]) if lo <= s < hi]
            ok = sum(df["first_reach_step"][j] >= 0 for j in eps)
            cells.append(f"{ok} of {len(eps)}" if eps else "–")
        print(f"| {args[i]} ({df['planner']}, seed {df['seed']}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
