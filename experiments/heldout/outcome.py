#!/usr/bin/env python3
"""df at the shipped settings on held-out seeds 4 and 5, beside the table's
seed 0 and pooled with it (README.md). Cells not run yet are marked. Then
MCG's lead on the same seeds: df − df-nomcg, episode by episode.

Usage: python3 experiments/heldout/outcome.py   (from the repository root)
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, changed, fmt, load, mean_se, scores, settings  # noqa: E402


def seed_row(maze, task, seeds):
    """The table's seed-0 cell, df's cell on each held-out seed, and all pooled."""
    table = load(os.path.join(R, "..", "..", "results", f"{maze}-{task}-df.json"))
    runs, row = [table], [maze, task, cell(table)]
    for seed in seeds:
        f = f"{R}/seed{seed}-{maze}-{task}-df.json"
        if not os.path.exists(f):
            row.append("not run")
            continue
        d = load(f)
        if {**settings(d), "seed": 0} != settings(table):
            sys.exit(f"{f}: other planner settings than the table's cell")
        runs.append(d)
        row.append(cell(d))
    pooled = [s for d in runs for s in scores(d)]
    m, se = mean_se(pooled)
    row.append(f"{m:.1f} ± {se:.1f} over {len(pooled)} episodes" if len(runs) > 1 else "–")
    return "| " + " | ".join(row) + " |"


print("**held-out seeds**, df at the shipped settings, 50 episodes per cell: the table's seed 0, the held-out seeds 4 and 5, and all three pooled (normalized score ± s.e. · success rate)\n")
print("| maze | task | seed 0 (table) | seed 4 | seed 5 | seeds 0, 4, 5 |")
print("|---|---|---|---|---|---|")
for maze in ("umaze", "medium", "large"):
    for task in ("single", "multi"):
        print(seed_row(maze, task, (4, 5)))

print("\n**MCG on the held-out seeds**: df − df-nomcg on the same episodes (normalized score, mean ± s.e.), shipped settings but for the MCG samples\n")
print("| maze | task | seed 4 | seed 5 | seeds 4, 5 |")
print("|---|---|---|---|---|")
everything = []
for maze in ("medium", "large", "umaze"):
    for task in ("single", "multi"):
        row, both = [maze, task], []
        for seed in (4, 5):
            df, nomcg = (f"{R}/seed{seed}-{maze}-{task}-{p}.json" for p in ("df", "df-nomcg"))
            if not os.path.exists(nomcg):
                row.append("not run")
                continue
            d = changed(nomcg, df, ["mcg_samples"])
            row.append(fmt(d))
            both += d
        row.append(f"{fmt(both)} over {len(both)} pairs" if both else "–")
        if maze != "umaze":  # added after the 400 pairs' outcome (README.md)
            everything += both
        print("| " + " | ".join(row) + " |")
if everything:
    m, se = mean_se(everything)
    print(f"\nAll medium and large pairs: {fmt(everything)} over {len(everything)}; "
          f"{'exceeds' if m > 2 * se else 'does not exceed'} twice its standard error.")

print("\n**large on seeds 4 to 7**, df at the shipped settings, 50 episodes per cell, pooled with the table's seed 0 (added in session 17; README.md)\n")
print("| maze | task | seed 0 (table) | seed 4 | seed 5 | seed 6 | seed 7 | seeds 0, 4–7 |")
print("|---|---|---|---|---|---|---|---|")
for task in ("single", "multi"):
    print(seed_row("large", task, (4, 5, 6, 7)))
