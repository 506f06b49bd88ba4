#!/usr/bin/env python3
"""Check that README.md quotes the main results table exactly as
results/brief.py prints it from the JSON files in this folder, so that no
number in it was typed by hand.

Usage: python3 results/check-docs.py   (from anywhere; exit 1 on a mismatch)

Only the main table is checked (its title line and every table row), so the
prose around it, and everything in docs/ and experiments/, stays free to
edit. The experiments' tables have their own, optional check:
python3 experiments/check-quotes.py.
"""
import os
import subprocess
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    r = subprocess.run([sys.executable, os.path.join(root, "results", "brief.py")], cwd=root, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"results/brief.py: exit {r.returncode}: {r.stderr.strip()}")
    lines = [l for l in r.stdout.split("\n") if l.startswith(("|", "**"))]
    with open(os.path.join(root, "README.md")) as f:
        quoted = set(f.read().split("\n"))
    missing = [l for l in lines if l not in quoted]
    for l in missing:
        print(f"README.md does not quote this line of results/brief.py: {l[:140]}")
    print(f"results/brief.py: {len(lines) - len(missing)} of {len(lines)} table lines quoted in README.md", file=sys.stderr)
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    main()
