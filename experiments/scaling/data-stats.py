#!/usr/bin/env python3
"""How close a `dfplan gen` dataset's spreads are to D4RL maze2d-v1's.

Usage: /usr/bin/python3 experiments/scaling/data-stats.py MAZE DATA.npz...
(needs numpy: Debian's python3-numpy)

Prints, per file, the standard deviation of the velocities and actions and
their relative difference from the normalization constants of the Diffusion
Forcing reference, which were computed on D4RL's maze2d-MAZE-v1 datasets
(buoyancy99/diffusion-forcing, branch paper,
configurations/dataset/maze2d_MAZE.yaml; quoted here as numbers).
"""
import sys

import numpy as np

REF = {  # observation_std[2:4] (velocities), action_std
    "medium": ([2.3407657, 2.3693702], [0.73977315, 0.7459419]),
    "large": ([2.4368455, 2.6493697], [0.72493, 0.7394606]),
}

maze = sys.argv[1]
vel_ref, act_ref = REF[maze]
for path in sys.argv[2:]:
    d = np.load(path)
    vel = d["observations"][:, 2:4].std(0)
    act = d["actions"].std(0)
    dv = 100 * (vel / vel_ref - 1)
    da = 100 * (act / act_ref - 1)
    print(f"{path}: velocity std {vel.round(4)} ({dv[0]:+.1f} %, {dv[1]:+.1f} %), "
          f"action std {act.round(4)} ({da[0]:+.1f} %, {da[1]:+.1f} %)")
