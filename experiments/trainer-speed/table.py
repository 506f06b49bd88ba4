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
    """Median ms/op per benchmark name (the -cpu suffix removed)."""
    runs = {}
    for line in Path(path).read_text().splitlines():
        m = re.match(r"Benchmark(\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op", line)
        if m:
            runs.setdefault(m.group(1), []).append(float(m.group(2)) / 1e6)
    return {k: statistics.median(v) for k, v in runs.items()}


def torch_ms(path):
    out = {}
    for line in Path(path).read_text().splitlines():
        m = re.match(r"(\S+)\s+\d+ reps\s+([\d.]+) ms/op", line)
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def main():
    d = Path(sys.argv[1])
    print("| benchmark | threads | dfplan native | dfplan pure-Go products | PyTorch 1.13 + OpenBLAS | native / PyTorch speed |")
    print("|---|---|---|---|---|---|")
    for threads in (1, 2):
        nat, pure, tor = go_ms(d / f"go-native-{threads}.txt"), go_ms(d / f"go-puregonum-{threads}.txt"), torch_ms(d / f"torch-{threads}.txt")
        for name in NAMES:
            n, p, t = nat.get(name), pure.get(name), tor.get(name)
            cell = lambda v: f"{v:.2f} ms" if v is not None else "–"
            ratio = f"{t / n:.2f}×" if n and t else "–"
            print(f"| {name} | {threads} | {cell(n)} | {cell(p)} | {cell(t)} | {ratio} |")


if __name__ == "__main__":
    main()
