#!/usr/bin/env python3
"""One table from tools/mcgeffect's outputs (experiments/mcg/effect/M-T.md,
written by experiments/mcg/effect.sh): what Monte Carlo Guidance changes in a
plan, per maze and task. Then the same with more samples and with the
chained MCG (effect.sh DFPLAN N, effect.sh DFPLAN chain), where run.

Usage: python3 experiments/mcg/effect-summary.py   (from the repository root)
"""
import glob
import os
import re
import sys

D = os.path.join(os.path.dirname(os.path.abspath(__file__)), "effect")


def median(cell):
    """The median of a 'median (q1–q3)' cell."""
    return float(cell.split()[0])


HEADER = ("| maze | task | MCG samples | gradient through the future | gradient shift | MCG | no guidance | other noise "
          "| MCG ÷ other noise | plan end nearer the goal with MCG | x̂0 spread at full noise |")


def row(path, maze, task):
    """One table row from one tools/mcgeffect output."""
    try:
        text = open(path).read()
    except OSError as e:
        sys.exit(f"effect-summary.py: {e}")
    n = re.search(r"MCG (\d+),", text)
    acts = next((l for l in text.splitlines() if l.startswith("| executed actions")), None)
    closer = re.search(r"same noise: ([-+][\d.]+ ± [\d.]+) m", text)
    shift = re.search(r"gradient shift [^:]*: median ([\d.]+)", text) or re.search(r"gradient shift: (not computed)", text)
    through = re.search(r"through the future, [^:]*: median ([\d.]+)", text)
    T = re.search(r"noise level (\d+) of \1, std over \d+ draws[^:]*: ([\d.]+)", text)
    if not (n and acts and closer and shift and through and T):
        sys.exit(f"effect-summary.py: {path}: not tools/mcgeffect's output")
    cells = [c.strip() for c in acts.strip("|").split("|")]
    mcg, free, other = (median(c) for c in cells[1:4])
    shifted = "–" if shift.group(1) == "not computed" else f"{float(shift.group(1)):.2f}"
    return (f"| {maze} | {task} | {n.group(1)} | {float(through.group(1)):.2f} | {shifted} "
            f"| {mcg:.3f} | {free:.3f} | {other:.3f} | {mcg / other:.2f} | {closer.group(1)} m | {T.group(2)} |")


def table(title, suffix, mazes):
    """One table: title, then a row per maze and task from M-T{suffix}.md."""
    print(title)
    print()
    print(HEADER)
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for maze in mazes:
        for task in ("single", "multi"):
            print(row(os.path.join(D, f"{maze}-{task}{suffix}.md"), maze, task))


table("**What MCG changes in a plan**: replans from 300 states df visited per cell (seed 0, 10 episodes); "
      "medians of the executed actions' RMS difference from df-nomcg's plan: with MCG and without guidance "
      "from the same noise, df-nomcg from other noise", "", ("umaze", "medium", "large"))

# More samples than shipped (effect.sh DFPLAN N), where they were run.
more = sorted(glob.glob(os.path.join(D, "*-mcg*.md")))
for n in sorted({re.search(r"-mcg(\d+)\.md$", p).group(1) for p in more}, key=int):
    print()
    table(f"**What MCG changes in a plan, {n} samples**: the same states and measures, "
          f"MCG with {n} samples instead of the shipped number", f"-mcg{n}", ("medium", "large"))

# The chained MCG (effect.sh DFPLAN chain; ../mcg-chain/README.md).
if glob.glob(os.path.join(D, "*-chain.md")):
    print()
    table("**What the chained MCG changes in a plan**: the same states and measures, the chained MCG "
          "(`--mcg-chain`, shipped samples) in place of ours; it computes no gradient shift", "-chain",
          ("umaze", "medium", "large"))
