#!/usr/bin/env bash
# The WebSocket relay: throughput of a SecureStream through a relay tunnel of the real tracker process against a
# SecureStream over direct loopback TCP (same run, same process), the tracker's CPU per relayed GiB, and the
# tracker's RSS with 1,000 idle relay control sockets. Writes a Markdown section to $1.
#
#   bench/relay.sh bench/results/relay.md
#
# Knobs: RELAY_BENCH_MIB (1024), RELAY_BENCH_RUNS (3), RELAY_BENCH_SOCKETS (1000), RELAY_BENCH_TRACKER (the
# tracker binary, default out/tracker/tracker; to compare two builds in turn).
set -euo pipefail
result=$(realpath -m "${1:?usage: bench/relay.sh RESULT_MD}")
cd "$(dirname "$0")/.."
source bench/lib.sh
mib=${RELAY_BENCH_MIB:-1024}
runs=${RELAY_BENCH_RUNS:-3}
sockets=${RELAY_BENCH_SOCKETS:-1000}

tracker_bin=${RELAY_BENCH_TRACKER:-out/tracker/tracker}
[ -x "$tracker_bin" ] || dotnet publish src/P2PShare.Tracker -c Release -o out/tracker --nologo -v quiet >/dev/null
[ -x out/bench/p2pshare-bench ] || dotnet build bench/P2PShare.Bench -c Release -o out/bench --nologo -v quiet >/dev/null

work=$(bench_dir relay)
trap 'stop_bg; rm -rf "$work"' EXIT
port=$(free_port)
start_bg "$work/tracker.log" 1800 env LOG_LEVEL=Warning REGISTER_RATE_LIMIT=0 "$tracker_bin" -addr "127.0.0.1:$port"
tracker_pid=$(child_pid "$BG_PID")
url="http://127.0.0.1:$port"
wait_for 60 curl -sf "$url/health"
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# Throughput and tracker CPU, after a short unmeasured transfer so the tracker's code is compiled.
out/bench/p2pshare-bench relay-throughput "$url" --mib 64 --runs 1 > /dev/null 2>&1
cpu0=$(cpu_seconds "$tracker_pid")
out/bench/p2pshare-bench relay-throughput "$url" --mib "$mib" --runs "$runs" > "$work/throughput.txt"
cpu1=$(cpu_seconds "$tracker_pid")
relay_mbps=$(awk '/^relay_mbps/ { print $2 }' "$work/throughput.txt")
direct_mbps=$(awk '/^direct_mbps/ { print $2 }' "$work/throughput.txt")
relayed=$(awk '/^relayed_bytes/ { print $2 }' "$work/throughput.txt")
cpu_per_gib=$(awk -v c0="$cpu0" -v c1="$cpu1" -v b="$relayed" 'BEGIN { printf "%.2f", (c1 - c0) / (b / 1073741824) }')

# RSS with idle control sockets.
rss_before=$(rss_kib "$tracker_pid")
start_bg "$work/idle.log" 600 out/bench/p2pshare-bench relay-idle "$url" --sockets "$sockets" --hold-seconds 20
wait_for 300 grep -q '^ready' "$work/idle.log"
sleep 3
rss_with=$(rss_kib "$tracker_pid")
sessions=$(curl -sf "$url/metrics" | awk '/^tracker_relay_control_sockets / { print $2 }')

{
  echo "## Relay"
  echo
  echo "bench/relay.sh: ${mib} MiB one way through the real SecureStream, over a tunnel of the tracker's WebSocket relay"
  echo "(\`bin/tracker\` as its own process, both peers in one bench process) and over direct loopback TCP, alternately,"
  echo "${runs} runs each, medians. Then ${sockets} peers register and each keeps a relay control socket open."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| relayed SecureStream | ${relay_mbps} MB/s |"
  echo "| direct TCP SecureStream | ${direct_mbps} MB/s |"
  echo "| relayed / direct | $(ratio "$relay_mbps" "$direct_mbps") |"
  echo "| tracker CPU per relayed GiB | ${cpu_per_gib} s |"
  echo "| tracker RSS before / with ${sessions} idle control sockets | $((rss_before / 1024)) MiB / $((rss_with / 1024)) MiB |"
  echo "| tracker RSS per idle control socket | $(( (rss_with - rss_before) / (sessions > 0 ? sessions : 1) )) KiB |"
  echo
  echo "On loopback the relay's two extra hops share the machine's cores with both peers and the tracker, so the"
  echo "ratio is a floor for the relay's own cost, not a network figure."
} > "$result"
cat "$result"
