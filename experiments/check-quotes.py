#!/usr/bin/env python3
"""Check that the tables the experiments' scripts print appear verbatim in
the documents that quote them, so that no quoted number was typed by hand.

Usage: python3 experiments/check-quotes.py   (from anywhere; exit 1 on a mismatch)

Not run by CI: CI checks only the main table (results/check-docs.py), so
that prose stays free to edit. Run this one after changing a quoted table.

Each script below (with its arguments, if any) reads only JSON written by `dfplan bench` (or traces of
it). For every table line it prints (lines starting with "|" or "**"), the
line must appear, character for character, in one of the documents; a line
found nowhere is reported with the script that printed it. A few tables are
quoted in prose instead (their numbers in sentences); they are listed in
PROSE by their title and skipped.
"""
import glob
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
scripts = [
    "results/brief.py",
    "experiments/table.py",
    "experiments/stuck.py",
    "experiments/mcg/pool.py",
    "experiments/mcg/effect-summary.py",
    "experiments/hold/outcome.py",
    "experiments/unstick/outcome.py",
    "experiments/native/outcome.py",
    "experiments/native/table-latency/outcome.py",
    "experiments/plan-delay/outcome.py",
    "experiments/ros/outcome.py",
    "experiments/ros/confirm.py",
    "experiments/large-horizon/outcome.py",
    "experiments/large-horizon/paths.py",
    "experiments/large-horizon/seeds.py",
    "experiments/lookahead/outcome.py",
    "experiments/heldout/outcome.py",
    "experiments/mcg-chain/outcome.py",
    "experiments/stall/outcome.py",
    "experiments/steps/outcome.py",
    "experiments/speed/outcome.py experiments/speed/2core-s19",
    "experiments/eta/outcome.py",
]
# Titles of tables that the documents quote in prose, not as tables.
PROSE = [
    "**one robot's plan time**",  # docs/vs-reference.md: 78 / 32 / 33 ms
    "**plain guidance on umaze through ROS, confirmation**",  # docs/results.md, docs/ros.md: +27.8 ± 3.4
]
docs = ["README.md"] + sorted(os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "docs", "*.md"))) + sorted(
    os.path.relpath(p, root) for p in glob.glob(os.path.join(root, "experiments", "**", "README.md"), recursive=True))


def main():
    text = ""
    for d in docs:
        with open(os.path.join(root, d)) as f:
            text += f.read() + "\n"
    quoted = set(text.split("\n"))
    bad = 0
    for s in scripts:
        script, *args = s.split()
        r = subprocess.run([sys.executable, os.path.join(root, script)] + args, cwd=root, capture_output=True, text=True)
        if r.returncode != 0:
            print(f"{s}: exit {r.returncode}: {r.stderr.strip().splitlines()[-1:] }")
            bad += 1
            continue
        lines, skip = [], False
        for l in r.stdout.split("\n"):
            if l.startswith("**"):
                skip = l.startswith(tuple(PROSE))
            if l.startswith(("|", "**")) and not skip:
                lines.append(l)
        missing = [l for l in lines if l not in quoted]
        for l in missing:
            print(f"{s}: not quoted anywhere: {l[:140]}")
        bad += len(missing)
        print(f"{s}: {len(lines) - len(missing)} of {len(lines)} table lines quoted", file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
