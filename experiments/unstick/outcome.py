#!/usr/bin/env python3
"""The --unstick runs as tables: python3 experiments/unstick/outcome.py

Prints the seed-1 exploration (20 episodes, single-task, N against 0),
the confirmation of N = 10 (50 episodes, seeds 2 and 3, both tasks,
against the same episodes without it), each cell a paired difference
mean ± s.e., with the pooled difference and the rule's verdict
(README.md, written before the confirmation ran), the main table's
medium cells (seed 0) before and after medium shipped it, and the
ordering df > df-nomcg > fullseq on medium at its shipped settings,
pooled over seeds 0, 2 and 3 (rule in README.md, written before the
seed-2 and seed-3 runs).
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import changed, fmt, load, mean_se, same_episodes, scores, settings  # noqa: E402


def diff(path_a, path_b, also=(), unstick=True):
    """Per-episode B − A, after checking that only unstick (on in B, off
    in A; with unstick=False, off in both) and the settings named in also
    differ."""
    if (settings(load(path_a))["unstick"] != 0
            or (settings(load(path_b))["unstick"] != 0) != unstick):
        sys.exit(f"{path_b} against {path_a}: want unstick off in the first"
                 + (" and on in the second" if unstick else " and the second"))
    return changed(path_a, path_b, ("unstick",) + tuple(also))


def exploration():
    ns = [3, 10, 20, 40]
    print("**unstick exploration**, df, single-task, 20 episodes, seed 1: paired difference against N = 0\n")
    print("| maze | " + " | ".join(f"N = {n}" for n in ns) + " |")
    print("|---" * (len(ns) + 1) + "|")
    for maze in ("medium", "large"):
        cells = []
        for n in ns:
            p = f"{R}/seed1/{maze}-u{n}.json"
            cells.append(fmt(diff(f"{R}/seed1/{maze}-u0.json", p)) if os.path.exists(p) else "")
        print(f"| {maze} | " + " | ".join(cells) + " |")
    print()


def baseline(maze, task, seed):
    if maze == "umaze":
        return f"{R}/../umaze-plan/seed{seed}/umaze-{task}-discount0.99.json"
    if maze == "large":
        return f"{R}/../discount/seed{seed}/large-{task}-df-discount0.99.json"
    if seed == 2:
        return f"{R}/../node-config/seed2/{maze}-{task}-g3.json"
    return f"{R}/../mcg/seed3/{maze}-{task}-df.json"


def confirmation():
    print("**unstick confirmation**, df, N = 10, 50 episodes per cell: paired difference against df without it\n")
    print("| maze | seed 2 single / multi | seed 3 single / multi | pooled (200 pairs) | share of plans unguided | ships |")
    print("|---|---|---|---|---|---|")
    for maze in ("umaze", "medium", "large"):
        cells, pooled, unguided = [], [], []
        for seed in (2, 3):
            pair = []
            for task in ("single", "multi"):
                b = f"{R}/seed{seed}/{maze}-{task}-df-u10.json"
                d = diff(baseline(maze, task, seed), b)
                pair.append(fmt(d))
                pooled += d
                unguided.append(load(b)["plans_unguided"])
            cells.append(" / ".join(pair))
        m, se = mean_se(pooled)
        ships = "yes" if m > 2 * se else "no"
        share = f"{100 * min(unguided):.0f}–{100 * max(unguided):.0f} %"
        print(f"| {maze} | {cells[0]} | {cells[1]} | {fmt(pooled)} | {share} | {ships} |")
    print()


def large_open_loop():
    print("**large, open loop 5 with unstick 10**, df, 50 episodes per cell: "
          "paired difference against df at large's settings before (discount 0.99 alone)\n")
    print("| seed 2 single / multi | seed 3 single / multi | pooled (200 pairs) | share of plans unguided | ships |")
    print("|---|---|---|---|---|")
    cells, pooled, unguided = [], [], []
    for seed in (2, 3):
        pair = []
        for task in ("single", "multi"):
            b = f"{R}/seed{seed}/large-{task}-df-ol5u10.json"
            if load(b)["config"]["open_loop"] != 5:
                sys.exit(f"{b}: open loop {load(b)['config']['open_loop']}, want 5")
            d = diff(baseline("large", task, seed), b, also=("open_loop",))
            pair.append(fmt(d))
            pooled += d
            unguided.append(load(b)["plans_unguided"])
        cells.append(" / ".join(pair))
    m, se = mean_se(pooled)
    share = f"{100 * min(unguided):.0f}–{100 * max(unguided):.0f} %"
    print(f"| {cells[0]} | {cells[1]} | {fmt(pooled)} | {share} | {'yes' if m > 2 * se else 'no'} |")
    print()


def large_which():
    print("**large, which of the two**, df, 50 episodes per cell, seeds 2 and 3: paired difference "
          "against large's settings before (discount 0.99 alone), pooled over 200 pairs\n")
    print("| settings | seed 2 single / multi | seed 3 single / multi | pooled (200 pairs) |")
    print("|---|---|---|---|")
    for name, suffix in (("unstick 10", "u10"), ("open loop 5", "ol5"), ("open loop 5, unstick 10", "ol5u10")):
        cells, pooled = [], []
        for seed in (2, 3):
            pair = []
            for task in ("single", "multi"):
                b = f"{R}/seed{seed}/large-{task}-df-{suffix}.json"
                d = diff(baseline("large", task, seed), b, also=("open_loop",), unstick="u10" in suffix)
                pair.append(fmt(d))
                pooled += d
            cells.append(" / ".join(pair))
        print(f"| {name} | {cells[0]} | {cells[1]} | {fmt(pooled)} |")
    print()


def seed0():
    print("**the table's seed**, 50 episodes per cell, seed 0: the main table's cells before "
          "(`seed0-before/`) and after (`results/`) medium shipped `unstick: 10` and large "
          "`open_loop: 5` with it\n")
    print("| maze | task | planner | before | after | paired difference |")
    print("|---|---|---|---|---|---|")
    for maze, also in (("medium", ()), ("large", ("open_loop",))):
        for task in ("single", "multi"):
            for p in ("df", "df-nomcg", "fullseq"):
                a, b = f"{R}/seed0-before/{maze}-{task}-{p}.json", f"{R}/../../results/{maze}-{task}-{p}.json"
                d = diff(a, b, also)
                print(f"| {maze} | {task} | {p} | {load(a)['normalized_score']['mean']:.1f} | "
                      f"{load(b)['normalized_score']['mean']:.1f} | {fmt(d)} |")
    print()


def medium_file(seed, task, planner):
    if seed == 0:
        return f"{R}/../../results/medium-{task}-{planner}.json"
    if planner == "df":
        return f"{R}/seed{seed}/medium-{task}-df-u10.json"
    return f"{R}/seed{seed}/medium-{task}-{planner}.json"


def lead(a, b):
    """Per-episode b − a between two planners on the same episodes and
    settings (MCG samples and schedule aside)."""
    da, db = load(a), load(b)
    same_episodes(da, db, a, b)
    if da["config"].get("unstick") != 10 or db["config"].get("unstick") != 10:
        sys.exit(f"{a} or {b}: not at medium's shipped settings (unstick 10)")
    return [y - x for x, y in zip(scores(da), scores(db))]


def ordering():
    print("**the ordering on medium at its shipped settings**, 50 episodes per cell and seed: "
          "paired differences, per seed and pooled over seeds 0, 2 and 3\n")
    print("| lead | task | seed 0 | seed 2 | seed 3 | pooled (150 pairs) | measured |")
    print("|---|---|---|---|---|---|---|")
    for name, lo, hi in (("df − df-nomcg (MCG)", "df-nomcg", "df"), ("df-nomcg − fullseq (pyramid)", "fullseq", "df-nomcg")):
        both = []
        for task in ("single", "multi"):
            cells, pooled = [], []
            for seed in (0, 2, 3):
                d = lead(medium_file(seed, task, lo), medium_file(seed, task, hi))
                cells.append(fmt(d))
                pooled += d
            both += pooled
            m, se = mean_se(pooled)
            print(f"| {name} | {task} | " + " | ".join(cells) + f" | {fmt(pooled)} | {'yes' if m > 2 * se else 'no'} |")
        m, se = mean_se(both)
        print(f"| {name} | both (300 pairs) | | | | {fmt(both)} | {'yes' if m > 2 * se else 'no'} |")
    print()


def three_seeds():
    print("**medium at its shipped settings over three seeds**, 50 episodes per seed: "
          "normalized score ± s.e. per seed and over the 150 episodes of seeds 0, 2 and 3\n")
    print("| task | planner | seed 0 | seed 2 | seed 3 | seeds 0, 2, 3 |")
    print("|---|---|---|---|---|---|")
    for task in ("single", "multi"):
        for p in ("df", "df-nomcg", "fullseq"):
            per, pooled = [], []
            for seed in (0, 2, 3):
                v = scores(load(medium_file(seed, task, p)))
                per.append(f"{mean_se(v)[0]:.1f}")
                pooled += v
            m, se = mean_se(pooled)
            print(f"| {task} | {p} | " + " | ".join(per) + f" | {m:.1f} ± {se:.1f} |")
    print()


if __name__ == "__main__":
    exploration()
    confirmation()
    large_open_loop()
    large_which()
    seed0()
    ordering()
    three_seeds()
