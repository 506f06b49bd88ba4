#!/usr/bin/env python3
"""The confirmation of the addendum (experiments/ros/README.md):
python3 experiments/ros/confirm.py

df-nomcg − df through ROS on umaze, paired per seed and task, pooled over
seeds 2 and 3 and both tasks, against the rule (> 2 s.e.).
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import changed, fmt, load, mean_se  # noqa: E402


def main():
    pooled = []
    print("**plain guidance on umaze through ROS, confirmation**, 50 episodes per cell: df and df-nomcg "
          "through the ROS node on the same episodes, paired (df-nomcg − df)\n")
    print("| seed | task | df | df-nomcg | df-nomcg − df |")
    print("|---|---|---|---|---|")
    for seed in (2, 3):
        for task in ("single", "multi"):
            a = f"{R}/confirm/umaze-{task}-df-ros-s{seed}.json"
            b = f"{R}/confirm/umaze-{task}-df-nomcg-ros-s{seed}.json"
            if not (os.path.exists(a) and os.path.exists(b)):
                continue
            d = changed(a, b, ("mcg_samples",))
            pooled += d
            sa, sb = load(a)["normalized_score"], load(b)["normalized_score"]
            print(f"| {seed} | {task} | {sa['mean']:.1f} ± {sa['stderr']:.1f} | {sb['mean']:.1f} ± {sb['stderr']:.1f} | {fmt(d)} |")
    if not pooled:
        return
    m, se = mean_se(pooled)
    verdict = "stands" if m > 2 * se else "is withdrawn"
    print(f"\npooled over {len(pooled)} pairs: {fmt(pooled)}; the recommendation {verdict}")


if __name__ == "__main__":
    main()
