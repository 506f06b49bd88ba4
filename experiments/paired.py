#!/usr/bin/env python3
"""Paired score differences between benchmark runs of the same episodes.

Usage: python3 experiments/paired.py A1.json B1.json [A2.json B2.json ...]

Prints B − A in normalized score per pair of files (same maze, task, seed
and episodes: the same starts and goals) and pooled over every episode
pair, each as mean ± standard error, and whether the pooled mean exceeds
twice its standard error. experiments/mcg/pool.py uses the same functions.
"""
import json
import math
import sys


def load(path):
    """One benchmark result; a file of several (`--planner all`) is refused."""
    with open(path) as f:
        d = json.load(f)
    if not isinstance(d, dict):
        sys.exit(f"{path}: holds {len(d)} results (--planner all?); give one planner's file")
    return d


def mean_se(v):
    m = sum(v) / len(v)
    if len(v) < 2:
        return m, 0.0
    s = math.sqrt(sum((x - m) ** 2 for x in v) / (len(v) - 1))
    return m, s / math.sqrt(len(v))


def fmt(d):
    """Differences d as "mean ± standard error", signed."""
    m, se = mean_se(d)
    return f"{m:+.1f} ± {se:.1f}"


def verdict(d):
    """Pooled differences d, and where they lie against ± twice their s.e."""
    m, se = mean_se(d)
    where = ("above twice its standard error" if m > 2 * se else
             "below minus twice its standard error" if m < -2 * se else "within twice its standard error of 0")
    return f"{fmt(d)} over {len(d)} pairs; {where}"


def rule(per_task, every):
    """The shipping rule's verdict on paired differences, pooled (every)
    and per task: it passes if the pooled mean is above twice its standard
    error and no task's is below minus twice its own."""
    m, se = mean_se(every)
    low = [t for t, d in per_task.items() if mean_se(d)[0] < -2 * mean_se(d)[1]]
    return "Rule: " + ("passed; it ships." if m > 2 * se and not low else "not passed; nothing ships.")


def cell(d):
    """A result's normalized score as "mean ± s.e. · success rate"."""
    s = d["normalized_score"]
    return f"{s['mean']:.1f} ± {s['stderr']:.1f} · {100 * d['success_rate']:.0f} %"


def scores(d):
    """Per-episode normalized scores: D4RL's normalization is affine in the
    return, with slope (score s.e.)/(return s.e.)."""
    ret, score = d["return"]["mean"], d["normalized_score"]["mean"]
    se_r, se_s = d["return"]["stderr"], d["normalized_score"]["stderr"]
    if not se_r:
        return [score] * len(d["returns"])
    return [score + se_s / se_r * (r - ret) for r in d["returns"]]


def same_episodes(a, b, path_a, path_b):
    """Exits unless a and b ran the same episodes. Older files lack
    start_xy/goal_xy; the seed fixes them."""
    for key in ("maze", "task", "seed", "episodes", "steps_per_episode", "start_xy", "goal_xy"):
        if key in a and key in b and a[key] != b[key]:
            sys.exit(f"{path_a} and {path_b} differ in {key}: not the same episodes")


def settings(d):
    """A result's planner settings, with the defaults of settings older
    files lack (the stop gate, 2 × the stop radius; unstick, the stall
    count and the chained MCG, off)."""
    c = dict(d["config"])
    c.setdefault("stop_gate", 2 * c["stop_radius"])
    c.setdefault("unstick", 0)
    c.setdefault("mcg_chain", False)
    c.setdefault("stall", 0)
    return c


def changed(path_a, path_b, keys):
    """Per-episode B − A, after checking that A and B ran the same
    episodes and that their planner settings differ at most in keys."""
    a, b = load(path_a), load(path_b)
    same_episodes(a, b, path_a, path_b)
    ca, cb = settings(a), settings(b)
    for c in (ca, cb):
        for k in keys:
            c.pop(k)
    if ca != cb:
        sys.exit(f"{path_b} against {path_a}: settings differ beyond " + ", ".join(keys))
    return [y - x for x, y in zip(scores(a), scores(b))]


def diffs(path_a, path_b):
    a, b = load(path_a), load(path_b)
    same_episodes(a, b, path_a, path_b)
    return [y - x for x, y in zip(scores(a), scores(b))]


def main(args):
    if len(args) < 2 or len(args) % 2:
        sys.exit("usage: paired.py A1.json B1.json [A2.json B2.json ...]")
    pooled = []
    for pa, pb in zip(args[::2], args[1::2]):
        d = diffs(pa, pb)
        m, se = mean_se(d)
        print(f"{pb} − {pa}: {m:+.1f} ± {se:.1f} ({len(d)} pairs)")
        pooled += d
    m, se = mean_se(pooled)
    print(f"pooled: {m:+.1f} ± {se:.1f} over {len(pooled)} pairs; "
          f"{'exceeds' if m > 2 * se else 'does not exceed'} twice its standard error")


if __name__ == "__main__":
    main(sys.argv[1:])
