#!/usr/bin/env python3
"""Print the side-by-side table of experiments/trainer-speed/run.sh OUTDIR:
median ms per call of each benchmark, dfplan's native engine (internal/gemm),
dfplan on gonum's pure-Go products (DFPLAN_GEMM=gonum), and PyTorch 1.13 on
OpenBLAS, at 1 and 2 threads, with dfplan's speed over PyTorch's."""
import re
import statistics
import sys
from pathlib import Path

NAMES = ["TrainStep/small-z32-h64-l1", "TrainStep/default-z64-h128-l1", "TrainStep/large-z128-h256-l2",
         "PredictVJP/B=1", "PredictVJP/B=8", "PredictVJP/B=32"]


def go_ms(path):
    """Median (wall ms/op, CPU ms/op) per benchmark name (the -cpu suffix
    removed) over the -count runs."""
    runs = {}
    for line in Path(path).read_text().splitlines():
        m = re.match(r"Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
        if m:
            c = re.search(r"([\d.]+) cpu-ms/op", line)
            runs.setdefault(m.group(1), []).append((float(m.group(2)) / 1e6, float(c.group(1)) if c else None))
    return {k: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v) if v[0][1] is not None else None)
            for k, v in runs.items()}


def torch_ms(path):
    out = {}
    for line in Path(path).read_text().splitlines():
        m = re.match(r"(\S+)\s+\d+ reps\s+([\d.]+) ms/op\s+\d+ tokens/s\s+([\d.]+) cpu-ms/op", line)
        if m:
            out[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    return out


def main():
    d = Path(sys.argv[1])
    print("Wall ms per call (median), and in brackets CPU ms per call; speed = PyTorch's time / dfplan's.")
    print()
    print("| benchmark | threads | dfplan native | dfplan, pure-Go products | PyTorch 1.13 + OpenBLAS | speed (wall) | speed (CPU) |")
    print("|---|---|---|---|---|---|---|")
    for threads in (1, 2):
        nat, pure, tor = go_ms(d / f"go-native-{threads}.txt"), go_ms(d / f"go-puregonum-{threads}.txt"), torch_ms(d / f"torch-{threads}.txt")
        for name in NAMES:
            n, p, t = nat.get(name), pure.get(name), tor.get(name)

            def cell(v):
                if v is None:
                    return "–"
                return f"{v[0]:.2f} ({v[1]:.2f})" if v[1] is not None else f"{v[0]:.2f}"
            wall = f"{t[0] / n[0]:.2f}×" if n and t else "–"
            cpu = f"{t[1] / n[1]:.2f}×" if n and t and n[1] else "–"
            print(f"| {name} | {threads} | {cell(n)} | {cell(p)} | {cell(t)} | {wall} | {cpu} |")


if __name__ == "__main__":
    main()
