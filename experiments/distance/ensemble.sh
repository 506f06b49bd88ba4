#!/usr/bin/env bash
# Session 28: an ensemble of learned distances.
#
# Why: neither more steps, more width (scale.sh) nor other Fourier scales
# (fourier.sh) made large's distance point along shortest paths more often
# than 0.77–0.79 of held-out pairs; sharper features made it worse, which
# looks like noise in the field's direction. Noise that differs from one
# training seed to the next averages out over several models; noise that
# comes from the targets does not. The mean of a few seeds' distances
# (and of their gradients) tells which.
#
# Distances (in /work/train/s28, data one directory up): the shipped recipe
# at seeds 2 and 3; seed 1 is the shipped model.
#   dfplan train-distance --data ../large-noisy.npz --out large-s2.safetensors --config experiments/distance/configs/td.yaml --steps 30000 --seed 2
#   dfplan train-distance --data ../large-noisy.npz --out large-s3.safetensors --config experiments/distance/configs/td.yaml --steps 30000 --seed 3
#
# Decision rules, written before any run:
#  1. fieldcheck on large, 2000 held-out data pairs, of the mean of the
#     three (models/shipped/large.distance.safetensors, s2, s3). Planned
#     with only if it beats the shipped model's 0.77 (all) and 0.74
#     (blocked) by 0.03 or more each.
#  2. Then as fourier.sh's rule 2: df on large, tuning seeds 777 and 31337,
#     80 pairs against out/tdblend3-large-*; adopted (an ensemble shipped
#     for large) only if positive by more than two standard errors, and
#     then positive on the fresh seed 5151 (40 pairs).
#  3. Medium is tried the same way only if large passes rule 1.
set -eu
