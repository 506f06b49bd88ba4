#!/usr/bin/env python3
"""The ROS runs as a table: python3 experiments/ros/outcome.py

Per maze: one robot's median plan time (latency-M.json) and the delay N
it means in 10 ms ticks; per cell: the table's score (on time), the same
episodes with plans N steps late in the simulator (M-T-df-dN.json), and
through the ROS node in real time (M-T-df-ros.json), with the paired
differences and the expectation of README.md.
"""
import math
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, changed, fmt, load, mean_se  # noqa: E402

TICK_MS = 10


def main():
    rows = []
    for maze in ("umaze", "medium", "large"):
        lat = f"{R}/latency-{maze}.json"
        if not os.path.exists(lat):
            continue
        p50 = load(lat)["plan_latency_ms"]["p50"]
        n = math.ceil(p50 / TICK_MS)
        for task in ("single", "multi"):
            ros, late = f"{R}/{maze}-{task}-df-ros.json", f"{R}/{maze}-{task}-df-d{n}.json"
            if not (os.path.exists(ros) and os.path.exists(late)):
                continue
            r = load(ros)
            if "ros" not in r:
                sys.exit(f"{ros}: not a run through ROS")
            on = f"{R}/../../results/{maze}-{task}-df.json"
            d = changed(late, ros, ())
            m, se = mean_se(d)
            rows.append(f"| {maze} | {p50:.0f} ms, {n} | {task} | {cell(load(on))} | {cell(load(late))} | {cell(r)} | "
                        f"{fmt(changed(on, ros, ()))} | {fmt(d)} {'✗' if abs(m) > 2 * se else '✓'} | "
                        f"{r['plan_latency_ms']['p50']:.0f} / {r['plan_latency_ms']['p99']:.0f} ms | {r['ros']['skipped_steps']} |")
    if not rows:
        return
    print("**through ROS in real time**, df, 50 episodes per cell, seed 0: the table's cell (on time), the "
          "simulator's imitation with plans N steps late (`--plan-delay N`, N = one robot's p50 plan time in "
          "10 ms ticks), and the planning node over ROS (`--ros --lookahead=false`) on the same episodes; paired differences "
          "of ROS against the table and against the imitation (✓: within 2 s.e., as expected), the node's "
          "plan time and the physics steps the simulator dropped\n")
    print("| maze | p50, N | task | on time | imitation, N late | through ROS | ROS − on time | ROS − imitation | node plan p50 / p99 | skipped |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))


def nomcg():
    """The addendum: df-nomcg on umaze through ROS."""
    lat = f"{R}/latency-umaze-df-nomcg.json"
    rows = []
    for task in ("single", "multi"):
        ros = f"{R}/umaze-{task}-df-nomcg-ros.json"
        if not (os.path.exists(lat) and os.path.exists(ros)):
            continue
        r = load(ros)
        on = f"{R}/../../results/umaze-{task}-df-nomcg.json"
        df_ros = f"{R}/umaze-{task}-df-ros.json"
        rows.append(f"| {task} | {cell(load(on))} | {cell(r)} · hold {100 * r['hold_rate']:.0f} % | {fmt(changed(on, ros, ()))} | "
                    f"{cell(load(df_ros))} · hold {100 * load(df_ros)['hold_rate']:.0f} % | {fmt(changed(df_ros, ros, ('mcg_samples',)))} | "
                    f"{r['plan_latency_ms']['p50']:.0f} / {r['plan_latency_ms']['p99']:.0f} ms |")
    if not rows:
        return
    p50 = load(lat)["plan_latency_ms"]["p50"]
    print(f"\n**plain guidance on umaze through ROS** (addendum), df-nomcg, 50 episodes per cell, seed 0: one plan "
          f"{p50:.0f} ms alone ({math.ceil(p50 / TICK_MS)} ticks); the table's df-nomcg cell (on time) and the same "
          "episodes through the ROS node, paired; df through ROS on the same episodes, and df-nomcg − df through ROS\n")
    print("| task | df-nomcg on time | df-nomcg through ROS | ROS − on time | df through ROS | df-nomcg − df, ROS | node plan p50 / p99 |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
    nomcg()
