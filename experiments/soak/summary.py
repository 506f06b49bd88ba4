#!/usr/bin/env python3
"""Summarize experiments/soak/run.sh OUTDIR: RSS and open files at start and
end, the node's first and last health lines, and the master restarts the
nodes noticed."""
import re
import sys
from pathlib import Path


def main():
    d = Path(sys.argv[1])
    print("samples (kB, after one minute and at the end):")
    print((d / "samples.txt").read_text().rstrip())
    health = [l for l in (d / "node.log").read_text().splitlines() if "node health" in l]
    if health:
        keys = ("goroutines", "heap_mb", "open_files", "replans", "replan_p50", "replan_p99", "goals", "safety_ticks")
        for label, line in (("first", health[0]), ("last", health[-1])):
            vals = {k: re.search(k + r"=(\S+)", line) for k in keys}
            print(f"node health, {label}: " + ", ".join(f"{k} {v.group(1)}" for k, v in vals.items() if v))
    for name in ("node", "simnode"):
        log = (d / f"{name}.log").read_text()
        print(f"{name}: master lost {log.count('ROS master lost')}, "
              f"registered again {log.count('registered this node again')}")
    ev = (d / "events.txt").read_text().splitlines()
    print(f"events: {sum('goal' in e for e in ev)} goals, {sum('restart' in e for e in ev)} master restarts")


if __name__ == "__main__":
    main()
