#!/usr/bin/env bash
# Tracker requests per second: the P2PShare tracker (register + heartbeat + GET /api/files/{hash}/peers) side by
# side with opentracker answering BitTorrent announces, both on 127.0.0.1, both driven by wrk from a second
# process, in the same run. Writes a Markdown section to $1.
#
#   bench/tracker.sh bench/results/tracker.md
#
# Knobs: TRACKER_BENCH_SECONDS (10), TRACKER_BENCH_THREADS (2), TRACKER_BENCH_CONNECTIONS (50),
# TRACKER_BENCH_DASHBOARDS (0): that many dashboards (REST state once, then the /ws feed) stay connected throughout.
set -euo pipefail

result=${1:?usage: bench/tracker.sh RESULT_MD}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$(dirname "$result")"
result=$(cd "$(dirname "$result")" && pwd)/$(basename "$result")
seconds=${TRACKER_BENCH_SECONDS:-10}
threads=${TRACKER_BENCH_THREADS:-2}
connections=${TRACKER_BENCH_CONNECTIONS:-50}
dashboards=${TRACKER_BENCH_DASHBOARDS:-0}
peers=1000 files=100 holders=20
scripts=$root/bench/P2PShare.Bench/Tracker/wrk

need() { # command package
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" -ne 0 ]; then echo "tracker bench: $1 is missing; install the Debian package $2" >&2; exit 1; fi
  apt-get install -y "$2" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$2" >/dev/null; }
}
need opentracker opentracker
need wrk wrk

tracker_bin=$root/out/tracker/tracker
bench_bin=$root/out/bench/p2pshare-bench
[ -x "$tracker_bin" ] || dotnet publish "$root/src/P2PShare.Tracker" -c Release -o "$root/out/tracker" --nologo -v quiet
[ -x "$bench_bin" ] || dotnet build "$root/bench/P2PShare.Bench" -c Release -o "$root/out/bench" --nologo -v quiet >/dev/null

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 30000))
    if port_free "$port"; then echo "$port"; return; fi
  done
  echo "tracker bench: no free port" >&2; exit 1
}
wait_port() { # port name
  for _ in $(seq 200); do
    port_free "$1" || return 0
    sleep 0.05
  done
  echo "tracker bench: $2 did not start listening on $1" >&2; exit 1
}

# wrk_run SECONDS URL SCRIPT [VAR=VALUE...]: prints "requests/s p50_ms p99_ms failed"
wrk_run() {
  local secs=$1 url=$2 script=$3 line
  shift 3
  line=$(env TRACKER_BENCH_DATA="$work/data.lua" "$@" wrk -t"$threads" -c"$connections" -d"${secs}s" --timeout 5s -s "$script" "$url" | grep '^RESULT') || {
    echo "tracker bench: wrk failed against $url" >&2; exit 1; }
  awk -v line="$line" 'BEGIN {
    n = split(line, parts, /[ =]/)
    for (i = 2; i < n; i += 2) v[parts[i]] = parts[i + 1]
    printf "%.0f %.2f %.2f %d\n", v["requests"] / (v["duration_us"] / 1e6), v["p50_us"] / 1000, v["p99_us"] / 1000, v["failed"]
  }'
}

tracker_port=$(free_port)
REGISTER_RATE_LIMIT=0 HEARTBEAT_INTERVAL=3600 TRACKER_KEY_FILE="$work/tracker.key" Logging__LogLevel__Default=Warning \
  "$tracker_bin" --addr "127.0.0.1:$tracker_port" >"$work/tracker.log" 2>&1 &
tracker_pid=$!
pids+=("$tracker_pid")
wait_port "$tracker_port" tracker
"$bench_bin" tracker-prepare --url "http://127.0.0.1:$tracker_port" --out "$work" \
  --peers "$peers" --files "$files" --holders "$holders" --register-pool 1000 >/dev/null

if [ "$dashboards" -gt 0 ]; then
  "$bench_bin" tracker-dashboards --url "http://127.0.0.1:$tracker_port" --count "$dashboards" >"$work/dashboards.log" 2>&1 &
  dashboards_pid=$!
  pids+=("$dashboards_pid")
fi

opentracker_port=$(free_port)
mkdir -p "$work/opentracker"
cp "$work/whitelist.txt" "$work/opentracker/whitelist.txt"
opentracker -i 127.0.0.1 -p "$opentracker_port" -P "$opentracker_port" -d "$work/opentracker" -w whitelist.txt \
  >"$work/opentracker.log" 2>&1 &
pids+=("$!")
wait_port "$opentracker_port" opentracker

tracker_url=http://127.0.0.1:$tracker_port
opentracker_url=http://127.0.0.1:$opentracker_port

echo "tracker bench: warming up (JIT tiering, opentracker swarms)" >&2
for mode in mix register heartbeat peers mix; do
  wrk_run 4 "$tracker_url" "$scripts/tracker.lua" TRACKER_BENCH_MODE=$mode >/dev/null
done
wrk_run 3 "$opentracker_url" "$scripts/opentracker.lua" >/dev/null
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# The headline comparison alternates the two servers for $rounds rounds and takes the median of each, so load from
# other processes on the machine hits both alike; the remaining rows are single runs for the breakdown.
rounds=${TRACKER_BENCH_ROUNDS:-3}
ot_runs=() mix_runs=() round_ratios=()
for round in $(seq "$rounds"); do
  echo "tracker bench: round $round/$rounds (${seconds} s each)" >&2
  ot=$(wrk_run "$seconds" "$opentracker_url" "$scripts/opentracker.lua" TRACKER_BENCH_NUMWANT=20)
  mix=$(wrk_run "$seconds" "$tracker_url" "$scripts/tracker.lua" TRACKER_BENCH_MODE=mix)
  echo "  opentracker: $ot | tracker mix: $mix" >&2
  ot_runs+=("$ot") mix_runs+=("$mix")
  round_ratios+=("$(awk -v a="${mix%% *}" -v b="${ot%% *}" 'BEGIN { printf "%.2f", a / b }')")
done
median() { printf '%s\n' "$@" | sort -n -k1,1 | awk '{ line[NR] = $0 } END { print line[int((NR + 1) / 2)] }'; }

rows=()
rows+=("opentracker|BitTorrent announce, numwant=20 (median of $rounds)|$(median "${ot_runs[@]}")")
rows+=("tracker|mix: register challenge + heartbeat + file peers (median of $rounds)|$(median "${mix_runs[@]}")")
measure() { # label workload url script [VAR=VALUE...]
  local label=$1 workload=$2 figures
  shift 2
  echo "tracker bench: $label, $workload (${seconds} s)" >&2
  figures=$(wrk_run "$seconds" "$@")
  rows+=("$label|$workload|$figures")
  echo "  $figures" >&2
}
measure tracker "register challenge only" "$tracker_url" "$scripts/tracker.lua" TRACKER_BENCH_MODE=register
measure tracker "heartbeat only" "$tracker_url" "$scripts/tracker.lua" TRACKER_BENCH_MODE=heartbeat
measure tracker "GET /api/files/{hash}/peers only" "$tracker_url" "$scripts/tracker.lua" TRACKER_BENCH_MODE=peers
measure tracker "mix, Connection: close" "$tracker_url" "$scripts/tracker.lua" TRACKER_BENCH_MODE=mix TRACKER_BENCH_CLOSE=1
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
peak_rss_mb=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$tracker_pid/status")
dashboards_line="No dashboards were connected (TRACKER_BENCH_DASHBOARDS=0)."
if [ "$dashboards" -gt 0 ]; then
  kill -TERM "$dashboards_pid" 2>/dev/null || true
  wait "$dashboards_pid" 2>/dev/null || true
  dashboards_line="Dashboards held open during the run: $(grep -o '[0-9]* of [0-9]* connected, [0-9]* events received' "$work/dashboards.log" || echo "none ($dashboards requested; see the dashboards log)")."
fi

rps_of() { echo "${rows[$1]}" | cut -d'|' -f3 | cut -d' ' -f1; }
ratio=$(awk -v a="$(rps_of 1)" -v b="$(rps_of 0)" 'BEGIN { printf "%.2f", a / b }')
ratio_close=$(awk -v a="$(rps_of 5)" -v b="$(rps_of 0)" 'BEGIN { printf "%.2f", a / b }')

{
  echo "## Tracker: requests per second"
  echo
  echo "\`bench/tracker.sh\`: wrk -t$threads -c$connections, ${seconds} s per row, 127.0.0.1, both servers in the same run on $(nproc) cores."
  echo "The P2PShare tracker holds $peers peers and $files files with $holders holders each; every \`/peers\` answer lists $holders peers as JSON."
  echo "opentracker (Debian package) answers HTTP announces for the same $files info-hashes from a pool of 1000 peers with"
  echo "numwant=20, so its answers list 20 peers too (compact, 6 bytes each)."
  echo
  echo "| server | workload | requests/s | p50 ms | p99 ms | failed |"
  echo "|---|---|---:|---:|---:|---:|"
  for row in "${rows[@]}"; do
    IFS='|' read -r label workload figures <<<"$row"
    read -r rps p50 p99 errors <<<"$figures"
    echo "| $label | $workload | $rps | $p50 | $p99 | $errors |"
  done
  echo
  echo "**Ratio: the tracker's mix runs at ${ratio}× opentracker's requests per second** (medians; goal: at least 1×;"
  echo "per round: ${round_ratios[*]}). With a new connection per request, as opentracker forces on its clients: ${ratio_close}×."
  echo "Tracker peak RSS over the whole run: ${peak_rss_mb} MB. Load average before/after: ${load_before} / ${load_after}."
  echo "$dashboards_line"
  echo
  echo "Notes: opentracker serves HTTP from one thread and closes the connection after every reply; the tracker"
  echo "(Kestrel) uses every core and keeps connections alive unless told otherwise (last row). The machine is shared,"
  echo "so the two servers alternate and the medians are compared. The tracker ran with \`REGISTER_RATE_LIMIT=0\` because all load comes from one address,"
  echo "and \`HEARTBEAT_INTERVAL=3600\` so the prepared peers stay live for the whole run. \"failed\" counts non-2xx"
  echo "answers and timeouts; wrk's read errors are left out because against opentracker every reply ends in one (the"
  echo "server closes the socket without a Connection: close header, and wrk notices on its next write)."
} >"$result"
echo "tracker bench: wrote $result" >&2
