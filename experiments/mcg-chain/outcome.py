#!/usr/bin/env python3
"""df with the chained MCG (--mcg-chain) on held-out seeds 4 and 5, paired
against plain guidance (df-nomcg) and our MCG (df) on the same episodes;
then the rule's runs on seeds 2 and 3, paired against df (README.md).
Cells not run yet are marked.

Usage: python3 experiments/mcg-chain/outcome.py   (from the repository root)
"""
import os
import sys

R = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(R, ".."))
from paired import cell, changed, fmt, load, mean_se, verdict  # noqa: E402

HELDOUT = os.path.join(R, "..", "heldout")
SEEDS = (4, 5)


print("**chained MCG on the held-out seeds**, df at the shipped settings with `--mcg-chain`, 50 episodes per cell: "
      "its score per seed, and paired differences on the same episodes against plain guidance (df-nomcg) "
      "and our MCG (df), seeds 4 and 5 pooled\n")
print("| maze | task | seed 4 | seed 5 | chain − df-nomcg | chain − df |")
print("|---|---|---|---|---|---|")
vs_plain, vs_mcg = [], []
for maze in ("umaze", "medium", "large"):
    for task in ("single", "multi"):
        row, plain, mcg = [maze, task], [], []
        for seed in SEEDS:
            f = f"{R}/seed{seed}-{maze}-{task}-df-chain.json"
            if not os.path.exists(f):
                row.append("not run")
                continue
            base = f"{HELDOUT}/seed{seed}-{maze}-{task}"
            plain += changed(f"{base}-df-nomcg.json", f, ["mcg_samples", "mcg_chain"])
            mcg += changed(f"{base}-df.json", f, ["mcg_chain"])
            row.append(cell(load(f)))
        row += [fmt(plain), fmt(mcg)] if plain else ["–", "–"]
        vs_plain += plain
        vs_mcg += mcg
        print("| " + " | ".join(row) + " |")
if vs_plain:
    print(f"\nchain − df-nomcg, all pairs: {verdict(vs_plain)}.")
    print(f"chain − df, all pairs: {verdict(vs_mcg)}.")

# Where umaze single-task's score went: robots that reach the goal and do
# not stay (hold: the share of steps from the first reach on spent there).
held = []
for seed in SEEDS:
    f = f"{R}/seed{seed}-umaze-single-df-chain.json"
    if os.path.exists(f):
        c, d = load(f), load(f"{HELDOUT}/seed{seed}-umaze-single-df.json")
        held.append(f"seed {seed}: chain {100 * c['success_rate']:.0f} % reach, hold {100 * c['hold_rate']:.0f} %; "
                    f"df {100 * d['success_rate']:.0f} % reach, hold {100 * d['hold_rate']:.0f} %")
if held:
    print("\numaze single-task, " + "; ".join(held) + ".")

# The rule's baselines: df at the shipped settings on seeds 2 and 3.
RULE_DF = {
    "large": "../unstick/seed{s}/large-{t}-df-ol5u10.json",
    "medium": "../unstick/seed{s}/medium-{t}-df-u10.json",
    "umaze": "../hold/seed{s}/umaze-{t}-df-ol3.json",
}
print("\n**the rule on seeds 2 and 3**, df with `--mcg-chain` against df at the shipped settings on the same "
      "episodes, 50 per cell (normalized score ± s.e. · success rate; chain − df, mean ± s.e.)\n")
print("| maze | task | df, seed 2 | chain, seed 2 | df, seed 3 | chain, seed 3 | chain − df |")
print("|---|---|---|---|---|---|---|")
rule = []
for maze in ("umaze", "medium", "large"):
    for task in ("single", "multi"):
        row, d = [maze, task], []
        for seed in (2, 3):
            base = os.path.join(R, RULE_DF[maze].format(s=seed, t=task))
            f = f"{R}/seed{seed}-{maze}-{task}-df-chain.json"
            row.append(cell(load(base)))
            if not os.path.exists(f):
                row.append("not run")
                continue
            d += changed(base, f, ["mcg_chain"])
            row.append(cell(load(f)))
        row.append(fmt(d) if d else "–")
        rule += d
        print("| " + " | ".join(row) + " |")
if rule:
    print(f"\nchain − df, all pairs of seeds 2 and 3: {verdict(rule)}.")
