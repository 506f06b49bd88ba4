#!/usr/bin/env bash
# Soak (issue 28): the planning node, the simulated robot and a real
# rosmaster for MINUTES minutes (default 30) on medium, a new goal every 20 s,
# the master killed and restarted twice (at a third and two thirds of the
# run). It samples the nodes' RSS and open files and keeps their logs; the
# node logs its goroutines, heap and replan latency every 30 s
# (--health-every). Run from the repository root:
#
#   experiments/soak/run.sh DFPLAN OUTDIR [MINUTES]
#   python3 experiments/soak/summary.py OUTDIR
#
# Needs ROS 1's tools from Debian (docs/ros.md); loopback only.
set -euo pipefail
bin=$(realpath "${1:?usage: run.sh DFPLAN OUTDIR [MINUTES]}")
out=${2:?usage: run.sh DFPLAN OUTDIR [MINUTES]}
minutes=${3:-30}
mkdir -p "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export ROS_MASTER_URI=http://127.0.0.1:$port ROS_IP=127.0.0.1
master() { rosmaster --core -p "$port" >> "$out/master.log" 2>&1 & echo $! > "$out/master.pid"; }
master
"$bin" simnode --maze medium --start 1,1 2> "$out/simnode.log" & sim=$!
"$bin" node --maze medium --health-every 30s 2> "$out/node.log" & node=$!
trap 'kill -INT $node $sim 2>/dev/null; kill $(cat "$out/master.pid") 2>/dev/null' EXIT

sample() { # label: RSS (kB) and open files of both nodes
	for p in node:$node simnode:$sim; do
		name=${p%%:*} pid=${p##*:}
		rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
		fds=$(ls /proc/$pid/fd | wc -l)
		echo "$1 $name rss_kb=$rss open_files=$fds" >> "$out/samples.txt"
	done
}
goals=("6 6" "1 1" "6 1" "1 6" "4 4" "2 5" "5 3" "3 2")
end=$((SECONDS + minutes * 60))
restarts=("$((minutes * 20))" "$((minutes * 40))") # seconds
i=0
while ((SECONDS < end)); do
	((i == 3)) && sample start # after a minute
	for r in "${restarts[@]}"; do
		if ((i * 20 <= r && r < (i + 1) * 20)); then
			echo "$(date -u +%FT%TZ) restart master" >> "$out/events.txt"
			kill -9 "$(cat "$out/master.pid")"
			sleep 5
			master
		fi
	done
	set -- ${goals[i % ${#goals[@]}]}
	echo "$(date -u +%FT%TZ) goal $1 $2" >> "$out/events.txt"
	/usr/bin/python3 /usr/bin/rostopic pub -1 /move_base_simple/goal geometry_msgs/PoseStamped \
		"{header: {frame_id: odom}, pose: {position: {x: $1, y: $2}, orientation: {w: 1.0}}}" > /dev/null 2>&1 || true
	i=$((i + 1))
	sleep 18
done
sample end
