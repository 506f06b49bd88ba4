#!/usr/bin/env python3
"""MCG's lead, pooled over seeds: python3 experiments/mcg/pool.py

For every maze and task, pairs df with df-nomcg episode by episode (same
seed, starts, goals) on seeds 0, 2 and 3 and prints the paired difference
df − df-nomcg per seed and pooled, with its standard error. The rule it
applies is in README.md (written before the runs).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from paired import load, mean_se, same_episodes, scores  # noqa: E402

R = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def files(maze, task, seed):
    """(df, df-nomcg) JSON paths of one cell, or None if not run."""
    if seed == 0:
        # the main table's cells as they were when the rule was written
        # (umaze and large have since been re-run with a goal discount)
        return f"{R}/mcg/seed0/{maze}-{task}-df.json", f"{R}/mcg/seed0/{maze}-{task}-df-nomcg.json"
    if maze == "umaze":
        df = {2: f"{R}/umaze-plan/seed2/umaze-{task}-s10g10stop2gate05.json",
              3: f"{R}/umaze-plan/seed3/umaze-{task}-gate0.5.json"}[seed]
        return df, f"{R}/umaze-plan/seed{seed}/umaze-{task}-df-nomcg.json"
    df = (f"{R}/node-config/seed2/{maze}-{task}-g3.json" if seed == 2
          else f"{R}/mcg/seed3/{maze}-{task}-df.json")
    return df, f"{R}/mcg/seed{seed}/{maze}-{task}-df-nomcg.json"


def check_same(a, b, path_a, path_b):
    """Exits unless a and b are the same episodes under the same settings
    but for MCG (stop_gate is unused without a stop term; older files lack
    it)."""
    same_episodes(a, b, path_a, path_b)
    ca, cb = dict(a["config"]), dict(b["config"])
    for c in (ca, cb):
        c.pop("mcg_samples")
        if c.get("stop_weight") == 0:
            c.pop("stop_gate", None)
    if ca != cb:
        raise SystemExit(f"{path_a} and {path_b} differ in planner settings other than MCG: {ca} vs {cb}")


def main():
    print("**MCG's lead, pooled over seeds 0, 2, 3**: df − df-nomcg, paired over the same episodes; "
          "mean ± s.e. per seed (50 pairs) and pooled (150 pairs); ✓ where the pooled mean exceeds 2 s.e.\n")
    print("| maze | task | seed 0 | seed 2 | seed 3 | pooled | measured |")
    print("|---|---|---|---|---|---|---|")
    everything = []
    for maze in ("umaze", "medium", "large"):
        for task in ("single", "multi"):
            cells, pooled = [], []
            for seed in (0, 2, 3):
                pa, pb = files(maze, task, seed)
                if not (os.path.exists(pa) and os.path.exists(pb)):
                    cells.append("–")
                    continue
                a, b = load(pa), load(pb)
                check_same(a, b, pa, pb)
                diff = [x - y for x, y in zip(scores(a), scores(b))]
                m, se = mean_se(diff)
                cells.append(f"{m:+.1f} ± {se:.1f}")
                pooled += diff
            everything += pooled
            if len(pooled) > 1:
                m, se = mean_se(pooled)
                mark = "✓" if m > 2 * se else "no"
                print(f"| {maze} | {task} | " + " | ".join(cells) + f" | {m:+.1f} ± {se:.1f} ({len(pooled)}) | {mark} |")
    if len(everything) > 1:
        m, se = mean_se(everything)
        print(f"\nAll cells pooled: {m:+.1f} ± {se:.1f} over {len(everything)} pairs "
              f"({'measured' if m > 2 * se else 'not measured'} by the rule).")


if __name__ == "__main__":
    main()
