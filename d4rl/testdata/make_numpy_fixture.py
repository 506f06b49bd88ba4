"""Writes numpy_float64_uint8.npz: a tiny maze2d dataset the way a user
converting a real D4RL hdf5 file with numpy would get it (float64 arrays,
uint8 flags, extra infos/* keys), plus numpy_bool.npz with float32 arrays and
bool flags. Regenerate with (Debian python3-numpy): /usr/bin/python3 make_numpy_fixture.py
"""
import numpy as np

n = 5
obs = np.arange(n * 4, dtype=np.float64).reshape(n, 4) / 8.0
act = (np.arange(n * 2, dtype=np.float64).reshape(n, 2) - 4.0) / 4.0
rew = np.array([0, 0, 1, 1, 0], dtype=np.float64)
term = np.zeros(n, dtype=np.uint8)
tout = np.array([0, 0, 1, 0, 1], dtype=np.uint8)
goal = np.tile(np.array([[1.0, 3.0]]), (n, 1))

np.savez("numpy_float64_uint8.npz", observations=obs, actions=act, rewards=rew,
         terminals=term, timeouts=tout, **{"infos/goal": goal, "infos/qpos": obs[:, :2]})
np.savez_compressed("numpy_bool.npz", observations=obs.astype(np.float32),
                    actions=act.astype(np.float32), rewards=rew.astype(np.float32),
                    terminals=term.astype(bool), timeouts=tout.astype(bool))
