#!/usr/bin/env python3
"""Compare the re-run df cells (experiments/refactor-check/run.sh OUTDIR)
with the main table's (results/MAZE-TASK-df.json), episode by episode:
identical returns, and the paired difference of normalized scores."""
import json
import math
import sys
from pathlib import Path

# D4RL's v1 sparse constants (DESIGN §2): normalized = 100·(return − min)/(max − min).
REF = {"umaze": (23.85, 161.86), "medium": (13.13, 277.39), "large": (6.7, 273.99)}


def main():
    out = Path(sys.argv[1])
    print("| cell | engine | table score | re-run score | identical episodes | paired difference ± s.e. |")
    print("|---|---|---|---|---|---|")
    for engine in ("graph", "native"):
        pooled = []
        for maze in ("umaze", "medium", "large"):
            for task in ("single", "multi"):
                new_path = out / f"{maze}-{task}-df-{engine}.json"
                if not new_path.exists():
                    continue
                old = json.load(open(f"results/{maze}-{task}-df.json"))
                new = json.load(open(new_path))
                lo, hi = REF[maze]
                d = [100 * (b - a) / (hi - lo) for a, b in zip(old["returns"], new["returns"])]
                pooled += d
                same = sum(1 for x in d if x == 0)
                m = sum(d) / len(d)
                se = math.sqrt(sum((x - m) ** 2 for x in d) / (len(d) - 1) / len(d))
                print(f"| {maze} {task} | {engine} | {old['normalized_score']['mean']:.1f} | {new['normalized_score']['mean']:.1f} "
                      f"| {same} of {len(d)} | {m:+.1f} ± {se:.1f} |")
        if pooled:
            m = sum(pooled) / len(pooled)
            se = math.sqrt(sum((x - m) ** 2 for x in pooled) / (len(pooled) - 1) / len(pooled))
            print(f"| all six, pooled | {engine} | | | {sum(1 for x in pooled if x == 0)} of {len(pooled)} | {m:+.1f} ± {se:.1f} |")


if __name__ == "__main__":
    main()
