#!/bin/sh
# What Monte Carlo Guidance changes in a plan (README.md, "What MCG changes
# in a plan"): trace df on the first 10 episodes of seed 0 for every maze
# and task, then replan from the traced states with tools/mcgeffect.
# Usage: results/mcg/effect.sh DFPLAN   (DFPLAN: a built dfplan binary)
set -eu
if [ $# -ne 1 ]; then
	echo "usage: $0 DFPLAN   (a built dfplan binary)" >&2
	exit 2
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
for maze in umaze medium large; do
	for task in single multi; do
		"$dfplan" bench --maze $maze --task $task --planner df --episodes 10 --seed 0 --batch 10 \
			--trace "$tmp/$maze-$task.jsonl" >/dev/null
		"$tmp/mcgeffect" --maze $maze --trace "$tmp/$maze-$task.jsonl" >"$tmp/out.md"
		# The trace is gone after the run: name it by the command that made it.
		sed "1s|from $tmp/$maze-$task.jsonl|from 'dfplan bench --maze $maze --task $task --planner df --episodes 10 --seed 0 --batch 10 --trace'|" \
			"$tmp/out.md" >"$here/effect/$maze-$task.md"
		echo "$maze $task done" >&2
	done
done
