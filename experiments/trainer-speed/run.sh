#!/usr/bin/env bash
# The native trainer and batched planning next to PyTorch on this CPU, side
# by side in one run, at 1 and 2 threads (issue 25). Run from the
# repository root:
#
#   experiments/trainer-speed/run.sh OUTDIR
#
# Needs Debian's python3-torch and libopenblas0-pthread (PyTorch 1.13 on
# OpenBLAS; tools/torchref/README.md). Each side runs right after the other,
# so both see the same machine; compare on a quiet machine.
set -euo pipefail
out=${1:?usage: run.sh OUTDIR}
mkdir -p "$out"
for threads in 1 2; do
	GOMAXPROCS=$threads go test -run xxx -bench 'TrainStep|PredictVJP' -cpu "$threads" -count 5 ./dynamics \
		> "$out/go-native-$threads.txt"
	DFPLAN_GEMM=gonum GOMAXPROCS=$threads go test -run xxx -bench 'TrainStep/default|PredictVJP/B=32' -cpu "$threads" -count 3 ./dynamics \
		> "$out/go-puregonum-$threads.txt"
	/usr/bin/python3 tools/torchref/bench.py --threads "$threads" --blas openblas --min-time 3 \
		> "$out/torch-$threads.txt"
done
python3 experiments/trainer-speed/table.py "$out"
