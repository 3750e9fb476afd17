#!/usr/bin/env bash
# Swarm download over loopback: 1 seeder and N downloaders of one file, every peer's upload limited to the
# same rate, in the same run for P2PShare, libtorrent (TCP) and, for scale, N curls on one rate-limited nginx.
# Reports the time until all N finish, the ideal time for that upload budget and the efficiency ideal/measured.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
source bench/lib.sh
out=${1:-bench/results/swarm.md}
size_mib=${SWARM_MIB:-256}
n=${SWARM_PEERS:-8}
rate_mb=${SWARM_RATE_MB:-20}             # upload limit per peer, MB/s (10^6 bytes)
step_timeout=${SWARM_TIMEOUT:-600}       # seconds for one system's whole swarm
rate=$((rate_mb * 1000000))
python=/usr/bin/python3

ensure_pkg nginx command -v nginx
ensure_pkg curl command -v curl
ensure_pkg python3-libtorrent "$python" -c 'import libtorrent'
[ -x bin/peer ] && [ -x bin/tracker ] || { echo "bin/peer and bin/tracker missing: run 'make build'" >&2; exit 1; }
bin/peer --help | grep -q -- '-limit-up' || { echo "bin/peer has no -limit-up flag" >&2; exit 1; }

dir=$(bench_dir swarm)
cleanup() { stop_bg; if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $dir" >&2; else rm -rf "$dir"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$dir"                        # nginx workers run as nobody when started by root
src="$dir/src/swarm.bin"
mkdir -p "$dir/src"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$src"
chmod 644 "$src"
cat "$src" > /dev/null                  # page-cache it
bytes=$(stat -c %s "$src")
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a - b }'; }
# json_get FILE EXPR: the Python expression EXPR over the JSON object j read from FILE.
json_get() { "$python" -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# verify_all PATH...: every path is byte-identical to the source.
verify_all() { local f; for f in "$@"; do cmp "$src" "$f" || return 1; done; }

# wait_all PID...: waits for every PID; fails when any failed.
wait_all() { local pid rc=0; for pid in "$@"; do wait "$pid" || rc=1; done; return $rc; }

# --- P2PShare: a tracker, a seeding daemon, N daemons with empty data dirs; then bench/swarm/p2p_swarm.py
# starts the download on every downloader node through its control API and waits for all to complete.
p2pshare() {
  local i id dirs=() pids=() cpu0
  start_tracker "$dir/tracker.log"
  pids+=("$(child_pid "$BG_PID")")
  mkdir -p "$dir/nodes/0"
  ln "$src" "$dir/nodes/0/swarm.bin"
  start_node "$dir/node0.log" "$dir/nodes/0" -limit-up "${rate_mb}MB"
  pids+=("$(child_pid "$BG_PID")")
  id=$(file_id "$src")
  wait_for 300 holds "$id"
  for ((i = 1; i <= n; i++)); do
    mkdir -p "$dir/nodes/$i"
    start_node "$dir/node$i.log" "$dir/nodes/$i" -limit-up "${rate_mb}MB"
    pids+=("$(child_pid "$BG_PID")")
    dirs+=("$dir/nodes/$i")
  done
  cpu0=$(cpu_seconds "${pids[@]}")
  timeout --kill-after=5 "$((step_timeout + 60))" "$python" bench/swarm/p2p_swarm.py --hash "$id" \
    --timeout "$step_timeout" --seeder "$dir/nodes/0" "${dirs[@]}" > "$dir/p2p.json"
  p2p_cpu=$(minus "$(cpu_seconds "${pids[@]}")" "$cpu0")
  verify_all $(for d in "${dirs[@]}"; do echo "$d/swarm.bin"; done)
  p2p_s=$(json_get "$dir/p2p.json" '"%.2f" % j["seconds"]')
  mapfile -t p2p_up < <(json_get "$dir/p2p.json" '"\n".join(map(str, j["bytes_up"]))')
  # When the first downloader had sent 1 MB (the timeline samples every node about every second).
  p2p_mesh=$(json_get "$dir/p2p.json" '"%.1f" % min([n[0] for r in j["bytes_up_timeline"] for n in r[1:] if n[1] > 1e6] or [j["seconds"]])')
  stop_bg
  rm -rf "$dir/nodes"
}

# --- libtorrent: the driver runs all N+1 sessions in one process and prints JSON.
libtorrent() {
  mkdir -p "$dir/lt"
  timeout --kill-after=5 "$((step_timeout + 60))" "$python" bench/swarm/lt_swarm.py --file "$src" --workdir "$dir/lt" \
    --downloaders "$n" --rate "$rate" --piece 262144 --timeout "$step_timeout" > "$dir/lt.json"
  lt_s=$(json_get "$dir/lt.json" '"%.2f" % j["seconds"]')
  lt_version=$(json_get "$dir/lt.json" 'j["version"]')
  lt_cpu=$(json_get "$dir/lt.json" '"%.2f" % j["cpu_seconds"]')
  mapfile -t lt_files < <(json_get "$dir/lt.json" '"\n".join(j["files"])')
  [ "${#lt_files[@]}" -eq "$n" ]
  verify_all "${lt_files[@]}"
  rm -rf "$dir/lt"
}

# --- nginx + curl: N curls at once from one nginx whose limit_rate is rate/N per connection.
nginx_curl() {
  local ng="$dir/nginx" port i pids=() t0 t1 master cpu0
  port=$(free_port)
  mkdir -p "$dir/www" "$dir/curl"
  ln "$src" "$dir/www/swarm.bin"
  start_nginx "$ng" "$dir/www" "$port" "limit_rate $((rate / n));"
  master=$NGINX_MASTER
  wait_for 30 curl -sf -o /dev/null -r 0-0 "http://127.0.0.1:$port/swarm.bin"
  cpu0=$(cpu_seconds "$master" $(pgrep -P "$master"))
  t0=$EPOCHREALTIME
  for ((i = 1; i <= n; i++)); do
    start_bg "$dir/curl$i.log" "$step_timeout" /usr/bin/time -f '%U %S' -o "$dir/curl$i.cpu" \
      curl -sS -o "$dir/curl/$i.bin" "http://127.0.0.1:$port/swarm.bin"
    pids+=("$BG_PID")
  done
  wait_all "${pids[@]}" || { echo "a curl failed" >&2; cat "$dir"/curl*.log >&2; return 1; }
  t1=$EPOCHREALTIME
  curl_cpu=$(minus "$(cpu_seconds "$master" $(pgrep -P "$master"))" "$cpu0")
  curl_cpu=$(cat "$dir"/curl*.cpu | awk -v s="$curl_cpu" '{ s += $1 + $2 } END { printf "%.2f", s }')
  verify_all "$dir"/curl/*.bin
  [ "$(ls "$dir/curl" | wc -l)" -eq "$n" ]
  stop_bg
  rm -rf "$dir/curl"
  curl_s=$(secs "$t0" "$t1")
}

# SWARM_SYSTEMS picks a subset for trials; the figures of the others show as "not run".
systems=${SWARM_SYSTEMS:-p2pshare libtorrent nginx_curl}
p2p_s="not run" lt_s="not run" curl_s="not run" p2p_cpu="–" lt_cpu="–" curl_cpu="–" p2p_mesh="–" lt_version="(not run)" p2p_up=(0)
# Other work on the machine shows in the figures; each system's run records the load averages (1, 5, 15 min) it began with.
declare -A load_at
for system in $systems; do
  echo "$system..." >&2
  load_at[$system]=$(cut -d' ' -f1-3 /proc/loadavg)
  "$system"
done
echo "P2PShare ${p2p_s} s, libtorrent ${lt_s} s, nginx + curl ${curl_s} s" >&2

ideal=$(awk -v f="$bytes" -v u="$rate" -v n="$n" 'BEGIN { a = f / u; b = n * f / ((n + 1) * u); printf "%.2f", (a > b ? a : b) }')
ideal_cs=$(awk -v f="$bytes" -v u="$rate" -v n="$n" 'BEGIN { printf "%.2f", n * f / u }')
# div A B: A / B with two decimals, or "–" when either is not a number (a system that was not run).
div() { if [[ $1 =~ ^[0-9.]+$ && $2 =~ ^[0-9.]+$ ]]; then ratio "$1" "$2"; else echo "–"; fi; }
copies() { awk -v b="$1" -v f="$bytes" 'BEGIN { printf "%.2f", b / f }'; }
down_up=$(printf '%s\n' "${p2p_up[@]:1}" | awk '{ s += $1 } END { print s }')
nginx_version=$(nginx -v 2>&1 | sed 's/^nginx version: //')
curl_version=$(curl --version | head -n 1 | awk '{print $1 " " $2}')
{
  echo "## Swarm: 1 seeder and $n downloaders, upload limited to $rate_mb MB/s per peer"
  echo
  echo "One $size_mib MiB file of random data (page-cached), 1 seeder + $n downloaders on 127.0.0.1, every peer's"
  echo "upload limited to $rate_mb MB/s (10^6 bytes), downloads unlimited. Ideal time with upload u per node,"
  echo "file size F, N downloaders and 1 seeder: max(F/u, N·F/((N+1)·u)) = **$ideal s**; efficiency = ideal ÷ measured."
  echo "Every downloaded copy is compared with the source (cmp). One run of each, in the same run of this script."
  echo
  echo "- **P2PShare**: \`bin/tracker\`, $((n + 1)) \`peer -daemon -limit-up ${rate_mb}MB\` nodes (one holding the file);"
  echo "  bench/swarm/p2p_swarm.py starts the download on the $n downloader nodes through their control API (what"
  echo "  \`peer download HASH\` does, without its process start-up) and times until the last reports it completed."
  echo "- **libtorrent** $lt_version (Python bindings, bench/swarm/lt_swarm.py): $((n + 1)) sessions in one process,"
  echo "  v1 torrent with 256 KiB pieces, \`upload_rate_limit\` = $rate bytes/s per session with every address in"
  echo "  the global peer class (libtorrent exempts loopback from limits otherwise), TCP only (uTP off), DHT/LSD/UPnP"
  echo "  off, peers connected directly to each other (no tracker); timed from adding the torrents to the last one"
  echo "  seeding. Other settings are libtorrent's defaults."
  echo "- **nginx + curl**: $nginx_version, $curl_version; $n curls start at once against one nginx with"
  echo "  \`limit_rate $((rate / n))\` (per connection, = $rate_mb MB/s ÷ $n, so the server uploads $rate_mb MB/s in"
  echo "  total while all $n run; nginx has no shared limit across connections). Client-server has no swarm, so its"
  echo "  own ideal is N·F/u = $ideal_cs s."
  echo
  echo "| system | seconds until all $n finished | ideal s | efficiency (ideal ÷ measured) | time ÷ P2PShare time | CPU seconds |"
  echo "|---|---|---|---|---|---|"
  echo "| P2PShare | $p2p_s | $ideal | **$(div "$ideal" "$p2p_s")** | 1.00 | $p2p_cpu |"
  echo "| libtorrent (TCP) | $lt_s | $ideal | $(div "$ideal" "$lt_s") | $(div "$lt_s" "$p2p_s") | $lt_cpu |"
  echo "| nginx + curl | $curl_s | $ideal | $(div "$ideal" "$curl_s") ($(div "$ideal_cs" "$curl_s") of its own ideal $ideal_cs s) | $(div "$curl_s" "$p2p_s") | $curl_cpu |"
  echo
  echo "CPU seconds: user + system time of every process of that system during the timed part (P2PShare: tracker"
  echo "and all $((n + 1)) nodes; libtorrent: its process; nginx: master and workers, plus the $n curls); the machine has"
  echo "$(nproc) cores, so a system that needs more than $(nproc) × its time in CPU seconds is CPU-bound here."
  echo
  if [ "$p2p_s" != "not run" ]; then
    echo "P2PShare upload split (each node's \`bytes_up\` from its control API, encryption overhead included): the seeder"
    echo "sent $(copies "${p2p_up[0]}") copies of the file (1.00 in the ideal schedule) at $(rate_mb "${p2p_up[0]}" "$p2p_s") MB/s on average, the $n downloaders"
    echo "$(copies "$down_up") copies between them; the first downloader to pass 1 MB sent did so $p2p_mesh s after the start"
    echo "(until then only the seeder uploads)."
  fi
  echo
  echo "Load averages (1, 5, 15 min) when each system's run began: $(for system in $systems; do printf '%s %s; ' "$system" "${load_at[$system]}"; done | sed 's/; $//')."
  echo "The machine has $(nproc) cores, so a load above $(nproc) means other processes took part of the CPU."
  if [[ " $systems " != *" nginx_curl "* ]]; then
    echo
    echo "nginx + curl is not run in this configuration: one server uploading at $rate_mb MB/s to $n clients needs its"
    echo "own ideal N·F/u = $ideal_cs s."
  fi
  echo
  echo "Goals: ${SWARM_GOALS:-P2PShare efficiency ≥ 0.85 and faster than libtorrent.}"
} > "$out"
cat "$out"
