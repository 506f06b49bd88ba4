#!/usr/bin/env python3
"""Loss curves of the scaling study's trainings from their `dfplan train`
logs (stderr): for each log, the validation loss against training tokens
seen and wall time, every --every steps.

    python3 experiments/scaling/curves.py LOG... [--every 1000]
"""
import argparse
import re
from datetime import datetime


def parse(path):
    """Rows (step, tokens, val_loss, wall seconds of training) from a log;
    resumed runs continue the same log, and their pauses do not count."""
    rows, batch, horizon, params = [], None, None, None
    wall, last_t, last_step = 0.0, None, None
    for line in open(path):
        t = re.search(r"time=(\S+)", line)
        ts = datetime.fromisoformat(t.group(1).replace("Z", "+00:00")) if t else None
        if "msg=training " in line:
            batch = int(re.search(r"batch=(\d+)", line).group(1))
            horizon = int(re.search(r"horizon=(\d+)", line).group(1))
            params = int(re.search(r"parameters=(\d+)", line).group(1))
            last_t = ts  # a (re)start: the time before it was not training
            continue
        if "msg=train " not in line or ts is None:
            continue
        if last_t is not None:
            wall += (ts - last_t).total_seconds()
        last_t = ts
        m = re.search(r"msg=train step=(\d+).*?val_loss=([\d.]+)", line)
        if not m:
            continue
        step = int(m.group(1))
        if step != last_step:
            rows.append((step, step * batch * horizon, float(m.group(2)), wall))
            last_step = step
    return params, rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("logs", nargs="+")
    ap.add_argument("--every", type=int, default=1000, help="print one row per this many steps")
    a = ap.parse_args()
    for path in a.logs:
        params, rows = parse(path)
        print(f"## {path}: {params} parameters")
        print("| step | tokens (M) | val loss | training wall (min) |")
        print("|---|---|---|---|")
        shown = -1
        for step, tokens, val, wall in rows:
            if step // a.every != shown or (step, tokens, val, wall) == rows[-1]:
                shown = step // a.every
                print(f"| {step} | {tokens / 1e6:.1f} | {val:.4f} | {wall / 60:.1f} |")
        print()


if __name__ == "__main__":
    main()
