#!/bin/sh
# What Monte Carlo Guidance changes in a plan (README.md, "What MCG changes
# in a plan"): trace df on the first 10 episodes of seed 0 for every maze
# and task, then replan from the traced states with tools/mcgeffect.
# Usage: experiments/mcg/effect.sh DFPLAN [N|chain]   (DFPLAN: a built dfplan binary)
# With N, medium and large only, comparing N MCG samples with plain
# guidance (tools/mcgeffect --mcg-samples N), into effect/M-T-mcgN.md.
# With chain, every maze, comparing the chained MCG (--mcg-chain) with
# plain guidance, into effect/M-T-chain.md (../mcg-chain/README.md).
set -eu
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 DFPLAN [N|chain]   (a built dfplan binary; N MCG samples, medium and large only; or the chained MCG)" >&2
	exit 2
fi
mazes="umaze medium large" flags= suffix=
if [ $# -eq 2 ] && [ "$2" = chain ]; then
	flags=--mcg-chain suffix=-chain
elif [ $# -eq 2 ]; then
	case $2 in
	'' | *[!0-9]*) echo "$0: N \"$2\": want a number of MCG samples or chain" >&2; exit 2 ;;
	esac
	mazes="medium large" flags="--mcg-samples $2" suffix=-mcg$2
fi
case $1 in
/*) dfplan=$1 ;;
*) dfplan=$(pwd)/$1 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$here/../.."
go build -o "$tmp/mcgeffect" ./tools/mcgeffect
for maze in $mazes; do
	for task in single multi; do
		"$dfplan" bench --maze $maze --task $task --planner df --episodes 10 --seed 0 --batch 10 \
			--trace "$tmp/$maze-$task.jsonl" >/dev/null
		"$tmp/mcgeffect" --maze $maze --trace "$tmp/$maze-$task.jsonl" $flags >"$tmp/out.md"
		# The trace is gone after the run: name it by the command that made it.
		sed "1s|from $tmp/$maze-$task.jsonl|from 'dfplan bench --maze $maze --task $task --planner df --episodes 10 --seed 0 --batch 10 --trace'|" \
			"$tmp/out.md" >"$here/effect/$maze-$task$suffix.md"
		echo "$maze $task done" >&2
	done
done
