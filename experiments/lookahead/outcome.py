#!/usr/bin/env python3
"""The lookahead runs as tables: python3 experiments/lookahead/outcome.py

1. The rule (README.md): seeds 2 and 3, umaze, plans 4 steps late, with
   and without lookahead, paired per cell and pooled.
2. Seed 0, every maze: the table's cell (on time), plans N steps late
   without lookahead (experiments/ros/M-T-df-dN.json) and with it, and, where
   run, the ROS node in real time without and with its automatic
   lookahead, both on the machine of these runs.
3. umaze multi-task, seeds 2 and 3: the rule's differences by goal cell,
   and the goals reached without lookahead and never with it.
4. Rule 2 (README.md): seeds 2 and 3, every maze and task, through the
   ROS node with and without its automatic lookahead, paired per cell,
   per maze and pooled.
Files that are not there yet are skipped.
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, diffs, fmt, load, mean_se  # noqa: E402

DELAY = {"umaze": 4, "medium": 2, "large": 2}  # experiments/ros: one plan's p50 in 10 ms ticks


def table(title, cols, rows):
    """A markdown table under its bold title."""
    print(title + "\n")
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print(r)


def verdict(pooled, cells, want, passes):
    """The pooled difference and what the rule says of it."""
    m, se = mean_se(pooled)
    if cells < want:
        v = f"incomplete ({cells} of {want} cells)"
    elif m > 2 * se:
        v = passes
    else:
        v = "does not pass"
    return f"{m:+.1f} ± {se:.1f} over {len(pooled)} pairs: {v} |"


def paired(cells):
    """For each (labels, file without, file with lookahead) whose files
    both exist: the labels, the table row and the paired differences."""
    for labels, a, b in cells:
        if os.path.exists(a) and os.path.exists(b):
            d = diffs(a, b)
            yield labels, "| " + " | ".join(map(str, labels)) + f" | {cell(load(a))} | {cell(load(b))} | {fmt(d)} |", d


def rule():
    rows, pooled = [], []
    cells = [((seed, task), f"{R}/seed{seed}-umaze-{task}-df-d4.json", f"{R}/seed{seed}-umaze-{task}-df-d4-lookahead.json")
             for seed in (2, 3) for task in ("single", "multi")]
    for _, row, d in paired(cells):
        pooled += d
        rows.append(row)
    if not rows:
        return
    table("**lookahead, the rule's runs**, umaze, df at its shipped settings, plans 4 steps late (`--plan-delay 4`), 50 episodes per cell: without and with `--lookahead`, paired over the same episodes",
          ("seed", "task", "without", "with lookahead", "difference"), rows)
    print("| pooled | | | | " + verdict(pooled, len(rows), 4, "passes: lookahead becomes the default"))
    print()


def seed0():
    rows = []
    root = os.path.dirname(R)
    for maze in ("umaze", "medium", "large"):
        n = DELAY[maze]
        for task in ("single", "multi"):
            table = f"{root}/../results/{maze}-{task}-df.json"
            late = f"{root}/ros/{maze}-{task}-df-d{n}.json"
            ahead = f"{R}/seed0-{maze}-{task}-df-d{n}-lookahead.json"
            if not os.path.exists(ahead):
                continue
            row = [maze, task, str(n), cell(load(table)), cell(load(late)), cell(load(ahead)), fmt(diffs(late, ahead))]
            # The ROS runs without lookahead made on the same machine, if
            # any: how late a plan arrives depends on the machine.
            ros, ros_ahead = f"{R}/seed0-{maze}-{task}-df-ros.json", f"{R}/seed0-{maze}-{task}-df-ros-lookahead.json"
            if os.path.exists(ros_ahead) and os.path.exists(ros):
                row += [cell(load(ros)), cell(load(ros_ahead)), fmt(diffs(ros, ros_ahead))]
            else:
                row += ["–", "–", "–"]
            rows.append("| " + " | ".join(row) + " |")
    if not rows:
        return
    print("**lookahead on the table's seed**, df, 50 episodes per cell, seed 0: the table's cell (on time); plans N steps late (`--plan-delay N`, N = one robot's p50 plan time in 10 ms ticks) without lookahead (`experiments/ros/`) and with it, paired; through the ROS node in real time, on one machine (about half as fast as that of `experiments/ros/`), without lookahead and with the node's automatic lookahead (`--lookahead -1`), paired\n")
    print("| maze | task | N | on time | N late | N late, lookahead | difference | through ROS | through ROS, lookahead | difference |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(r)
    print()


def by_goal():
    """umaze multi-task, seeds 2 and 3: the paired return difference
    (steps at the goal per episode) by goal cell."""
    rows = {}
    for seed in (2, 3):
        a, b = f"{R}/seed{seed}-umaze-multi-df-d4.json", f"{R}/seed{seed}-umaze-multi-df-d4-lookahead.json"
        if not (os.path.exists(a) and os.path.exists(b)):
            return
        a, b = load(a), load(b)
        for g, ra, rb in zip(a["goal_xy"], a["returns"], b["returns"]):
            rows.setdefault(tuple(round(v) for v in g), {}).setdefault(seed, []).append(rb - ra)
    print("**lookahead by goal cell**, umaze multi-task, plans 4 steps late: with − without lookahead in return (steps at the goal per episode), mean over the episodes with that goal (their number in brackets); (1, 1) and (3, 1) are dead ends\n")
    print("| goal cell | seed 2 | seed 3 |")
    print("|---|---|---|")
    for g in sorted(rows):
        cells = [f"{sum(d) / len(d):+.1f} ({len(d)})" if (d := rows[g].get(seed)) else "–" for seed in (2, 3)]
        print(f"| ({g[0]}, {g[1]}) | " + " | ".join(cells) + " |")
    print()


def missed():
    """umaze multi-task, seeds 2 and 3: the episodes whose goal was
    reached without lookahead and never with it."""
    rows = []
    for seed in (2, 3):
        a, b = f"{R}/seed{seed}-umaze-multi-df-d4.json", f"{R}/seed{seed}-umaze-multi-df-d4-lookahead.json"
        if not (os.path.exists(a) and os.path.exists(b)):
            return
        a, b = load(a), load(b)
        for i, (fa, fb) in enumerate(zip(a["first_reach_step"], b["first_reach_step"])):
            if fa >= 0 and fb < 0:
                xy = lambda v: f"({v[0]:.1f}, {v[1]:.1f})"  # noqa: E731
                rows.append(f"| {seed} | {i} | {xy(a['start_xy'][i])} | ({a['goal_xy'][i][0]}, {a['goal_xy'][i][1]}) | {fa} | {xy(a['final_xy'][i])} | {xy(b['final_xy'][i])} |")
    print("**goals lost to lookahead**, umaze multi-task, plans 4 steps late: the episodes that reached their goal without lookahead and never with it; row 2 of umaze is a wall except (2, 3), so rows 1 and 3 meet only through it\n")
    print("| seed | episode | start | goal | first step at the goal, without | ended at, without | ended at, with lookahead |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(r)
    print()
    print("**reaching and holding**, umaze, plans 4 steps late, seeds 2 and 3: episodes that reached their goal, and the hold rate (the share of the steps from the first arrival on spent at the goal, pooled over the episodes that reached it), without and with lookahead\n")
    print("| seed | task | reached, without | reached, with | hold, without | hold, with |")
    print("|---|---|---|---|---|---|")
    for seed in (2, 3):
        for task in ("single", "multi"):
            a = load(f"{R}/seed{seed}-umaze-{task}-df-d4.json")
            b = load(f"{R}/seed{seed}-umaze-{task}-df-d4-lookahead.json")
            n = [sum(f >= 0 for f in d["first_reach_step"]) for d in (a, b)]
            print(f"| {seed} | {task} | {n[0]} | {n[1]} | {a['hold_rate']:.2f} | {b['hold_rate']:.2f} |")
    print()


def rule_ros():
    rows, by_maze, pooled = [], {}, []
    cells = [((seed, maze, task), f"{R}/seed{seed}-{maze}-{task}-df-ros.json", f"{R}/seed{seed}-{maze}-{task}-df-ros-lookahead.json")
             for seed in (2, 3) for maze in ("umaze", "medium", "large") for task in ("single", "multi")]
    for (_, maze, _), row, d in paired(cells):
        pooled += d
        by_maze.setdefault(maze, []).extend(d)
        rows.append(row)
    if not rows:
        return
    table("**lookahead through ROS, rule 2's runs**, df at its shipped settings through the ROS node in real time, 50 episodes per cell: without and with the node's automatic lookahead (`--lookahead -1`), paired over the same episodes",
          ("seed", "maze", "task", "without", "with lookahead", "difference"), rows)
    for maze, d in by_maze.items():
        m, se = mean_se(d)
        print(f"| 2, 3 | {maze} | both | | | {m:+.1f} ± {se:.1f} over {len(d)} pairs |")
    print("| pooled | | | | | " + verdict(pooled, len(rows), 12, "passes: the node looks ahead by default"))
    print()


if __name__ == "__main__":
    rule()
    seed0()
    by_goal()
    missed()
    rule_ros()
