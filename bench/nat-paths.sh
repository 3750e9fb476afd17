#!/usr/bin/env bash
# Real downloads over each connection path in the NAT lab (tests/netlab): bin/tracker on the server S, a seeding
# `bin/peer -daemon` in A and a downloading daemon in B (Noise and the wire protocol included), the same file over
#   direct TCP  (A on a public address: --nat-a none --nat-b cone),
#   hole punch  (--nat-a cone --nat-b cone),
#   relay       (--nat-a symmetric --nat-b symmetric: neither side can address the other, so the relay is certain),
# at each delay per shaped link (25 ms is ≈100 ms RTT between the peers). Each row checks the path `peer peers
# --json` reports in B before and after the measured download and fails when it is not the expected one; every
# copy is compared with cmp. Then, in the hole-punch lab at the last delay, a punched download shares the links
# with a TCP flow (A to B through a port forward on B's router) for a fixed time. Needs root, ip, iptables, nft and
# python3 (and `make build`); writes a Markdown section to $1.
#
#   bench/nat-paths.sh bench/results/nat-paths.md
#
# Knobs: NAT_BENCH_MIB (256), NAT_BENCH_DELAYS ("0 25"), NAT_BENCH_RUNS (2), NAT_BENCH_SHARE_SECONDS (20),
# NAT_BENCH_SHARE_MIB (1024).
set -euo pipefail
shopt -s inherit_errexit
result=$(realpath -m "${1:?usage: bench/nat-paths.sh RESULT_MD}")
cd "$(dirname "$0")/.."
source bench/lib.sh
mib=${NAT_BENCH_MIB:-256}
delays=${NAT_BENCH_DELAYS:-0 25}
share_seconds=${NAT_BENCH_SHARE_SECONDS:-20}
share_mib=${NAT_BENCH_SHARE_MIB:-1024}
runs=${NAT_BENCH_RUNS:-2}
step_timeout=600
lab=tests/netlab/netlab.sh
prefix=npb$$
tracker_port=8080
tracker_url="http://198.18.0.10:$tracker_port"

skip() { { echo "## Download paths in the NAT lab"; echo; echo "Skipped: $1."; } > "$result"; cat "$result"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root for the network-namespace lab"
for tool in ip iptables nft python3; do command -v "$tool" >/dev/null || skip "needs '$tool' for the network-namespace lab"; done
if [ ! -x bin/peer ] || [ ! -x bin/tracker ]; then echo "bin/peer and bin/tracker missing: run 'make build'" >&2; exit 1; fi
[ -x out/bench/p2pshare-bench ] || dotnet build bench/P2PShare.Bench -c Release -o out/bench --nologo -v quiet >/dev/null
bench=$(realpath out/bench/p2pshare-bench)
peer=$(realpath bin/peer)
tracker=$(realpath bin/tracker)

work=$(bench_dir nat-paths)
# On failure: the failing command, then the tail of every log, before the lab and the logs go.
set -E
trap 'echo "nat-paths: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
cleanup() {
  local code=$?
  if [ "$code" != 0 ]; then
    for log in "$work"/*.log; do [ -f "$log" ] && { echo "== $log"; tail -n 5 "$log"; }; done >&2
  fi
  stop_bg; "$lab" down --prefix "$prefix" >/dev/null 2>&1 || true; rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The seeder's files, kept across labs (its index in .p2pshare/ means each is hashed once): a warm-up file whose
# download opens the link, the measured file, and a larger one for the shared-link run.
seed=$work/seed
mkdir -p "$seed"
head -c $((1024 * 1024)) /dev/urandom > "$seed/warm.bin"
head -c $((mib * 1024 * 1024)) /dev/urandom > "$seed/big.bin"
head -c $((share_mib * 1024 * 1024)) /dev/urandom > "$seed/share.bin"
declare -A id
for name in warm big share; do id[$name]=$("$peer" manifest "$seed/$name.bin" | python3 -c 'import json, sys; print(json.load(sys.stdin)["hash"])'); done

in_lab() { local host=$1; shift; "$lab" exec "$host" --prefix "$prefix" -- "$@"; }
peer_env=(env LOG_LEVEL=Warning HEARTBEAT_INTERVAL=2)
# peer_cli ARGS...: a one-shot verb against B's running node.
peer_cli() { in_lab B "${peer_env[@]}" timeout "$step_timeout" "$peer" "$@" -data "$dl" -tracker "$tracker_url" -port 0; }
# tracker_holds HASH: the tracker lists a holder of HASH (asked from inside S).
tracker_holds() { in_lab S curl -sf "$tracker_url/api/files/$1/peers" | grep -q '"peer_id"'; }

# lab_up NAT_A NAT_B DELAY: a fresh lab with the tracker in S, the seeder in A and the downloader's node in B.
lab_up() {
  "$lab" up --prefix "$prefix" --nat-a "$1" --nat-b "$2" --delay-ms "$3" >/dev/null
  dl=$work/dl-$1-$3
  rm -rf "$dl"; mkdir -p "$dl"
  start_bg "$work/tracker.log" "$BENCH_LIFETIME" "$lab" exec S --prefix "$prefix" -- env LOG_LEVEL=Warning \
    REGISTER_RATE_LIMIT=0 TRACKER_KEY_FILE="$work/tracker.key" "$tracker" -addr "0.0.0.0:$tracker_port"
  wait_for 60 in_lab S bash docker/healthcheck.sh http "$tracker_port"
  start_bg "$work/seeder.log" "$BENCH_LIFETIME" "$lab" exec A --prefix "$prefix" -- "${peer_env[@]}" "$peer" -daemon \
    -port 0 -data "$seed" -tracker "$tracker_url" -api-addr 127.0.0.1:0
  wait_for 60 grep -q ' ready: ' "$work/seeder.log"
  seeder_pid=$(child_pid "$BG_PID")
  start_bg "$work/downloader.log" "$BENCH_LIFETIME" "$lab" exec B --prefix "$prefix" -- "${peer_env[@]}" "$peer" -daemon \
    -port 0 -data "$dl" -tracker "$tracker_url" -api-addr 127.0.0.1:0
  wait_for 60 grep -q ' ready: ' "$work/downloader.log"
  downloader_pid=$(child_pid "$BG_PID")
  for name in warm big share; do wait_for 300 tracker_holds "${id[$name]}"; done
}
lab_down() { stop_bg; "$lab" down --prefix "$prefix" >/dev/null; }

# stamp: copies stdin to stdout, each line prefixed with the time it arrived (seconds, microsecond precision).
stamp() { local line; while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }

# fetch NAME: downloads NAME.bin into B through its node with `--json`, checks it with cmp and prints the wall
# seconds of the whole command and the seconds from its first progress line (the download just started in the
# node) to its last (complete), which leave out the command's own start.
fetch() {
  local t0 t1
  t0=$(now_ns)
  if ! peer_cli download "${id[$1]}" --json 2>&1 | stamp > "$work/fetch-$1.log"; then
    echo "peer download of $1.bin failed:" >&2; cat "$work/fetch-$1.log" "$work/downloader.log" >&2; return 1
  fi
  t1=$(now_ns)
  cmp "$seed/$1.bin" "$dl/$1.bin"
  grep -q '"state":"completed"' "$work/fetch-$1.log"
  awk -v n=$((t1 - t0)) 'BEGIN { printf "%.3f ", n / 1e9 }'
  awk '/"state"/ { if (!a) a = $1; b = $1 } END { printf "%.3f\n", b - a }' "$work/fetch-$1.log"
}

# connections FIELD: one line per peer connection of B's node with that field of `peer peers --json`.
connections() { peer_cli peers --json | python3 -c "import json, sys; [print(c['$1']) for c in json.load(sys.stdin)['peers']]"; }

# expect_path PATH WHEN: B has exactly one peer connection and it is on PATH, or the run fails.
expect_path() {
  local seen
  seen=$(connections path | sort -u | paste -sd, -)
  if [ "$seen" != "$1" ]; then
    echo "expected one connection on path '$1' $2, B's node reports '${seen:-none}'" >&2
    cat "$work/downloader.log" >&2
    return 1
  fi
}

# measure_path RUN DELAY PATH NAT_A NAT_B: one lab, one row of the table (and the shared-link run where due).
measure_path() {
  local run=$1 delay=$2 path=$3 nat_a=$4 nat_b=$5 open wall transfer bytes cpu0 cpu
  echo "nat-paths: run $run, $path at $delay ms ($nat_a / $nat_b)" >&2
  lab_up "$nat_a" "$nat_b" "$delay"
  read -r open _ < <(fetch warm)
  expect_path "$path" "after the warm-up download"
  cpu0=$(cpu_seconds "$seeder_pid" "$downloader_pid")
  read -r wall transfer < <(fetch big)
  cpu=$(awk -v a="$cpu0" -v b="$(cpu_seconds "$seeder_pid" "$downloader_pid")" 'BEGIN { printf "%.2f", b - a }')
  expect_path "$path" "after the measured download"
  rm -f "$dl/big.bin"
  bytes=$(stat -c %s "$seed/big.bin")
  mbps[$run-$path-$delay]=$(awk -v b="$bytes" -v t="$transfer" 'BEGIN { printf "%.1f", b / t / 1e6 }')
  rows+=("| $run | ${delay} ms | $path | \`$nat_a\` / \`$nat_b\` | ${open} s | ${wall} s | ${transfer} s | ${mbps[$run-$path-$delay]} MB/s | ${cpu} s ($(ratio "$cpu" "$transfer")) |")
  if [ "$path" = holepunch ] && [ "$delay" = "$share_delay" ]; then measure_sharing "$run"; fi
  lab_down
}

# measure_sharing RUN: in the open punched lab, the punched download of share.bin and a TCP flow from A to B
# (through a forward on B's router) start together; the TCP flow sends for share_seconds.
measure_sharing() {
  local run=$1 down0 down1 t0 t1 punched tcp total
  "$lab" forward B tcp 5003 --prefix "$prefix" 2>/dev/null
  eval "$("$lab" env --prefix "$prefix")"
  start_bg "$work/share-tcp.txt" "$BENCH_LIFETIME" "$lab" exec B --prefix "$prefix" -- "$bench" hp-recv tcp 5003 00
  wait_for 60 grep -q '^ready' "$work/share-tcp.txt"
  down0=$(connections bytes_down | awk '{ s += $1 } END { print s + 0 }')
  t0=$(now_ns)
  start_bg "$work/share-dl.log" "$BENCH_LIFETIME" "$lab" exec B --prefix "$prefix" -- "${peer_env[@]}" "$peer" \
    download "${id[share]}" -data "$dl" -tracker "$tracker_url" -port 0
  in_lab A "$bench" hp-send tcp "$NETLAB_RB_WAN_IP:5003" 00 --seconds "$share_seconds"
  wait_for 60 grep -q '^mbps' "$work/share-tcp.txt"
  down1=$(connections bytes_down | awk '{ s += $1 } END { print s + 0 }')
  t1=$(now_ns)
  if (( down1 - down0 >= share_mib * 1024 * 1024 )); then
    echo "the punched download ended before the TCP flow; raise NAT_BENCH_SHARE_MIB" >&2; return 1
  fi
  expect_path holepunch "after the shared-link run"
  punched=$(awk -v a="$down0" -v b="$down1" -v n=$((t1 - t0)) 'BEGIN { printf "%.1f", (b - a) / (n / 1e9) / 1e6 }')
  tcp=$(awk '$1 == "mbps" { print $2 }' "$work/share-tcp.txt")
  total=$(awk -v a="$tcp" -v b="$punched" 'BEGIN { print a + b }')
  tcp_part[$run]=$(ratio "$tcp" "$total")
  share_rows+=("| $run | ${tcp} MB/s | ${punched} MB/s | ${tcp_part[$run]} ($(verdict "${tcp_part[$run]}" 0.33)) |")
}

verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r >= g) ? "met" : "missed" }'; }

uptime_before=$(uptime)
declare -A mbps tcp_part
rows=() share_rows=() ratio_rows=()
share_delay=${delays##* }
for run in $(seq 1 "$runs"); do
  for delay in $delays; do
    measure_path "$run" "$delay" direct none cone
    measure_path "$run" "$delay" holepunch cone cone
    measure_path "$run" "$delay" relay symmetric symmetric
    r=$(ratio "${mbps[$run-holepunch-$delay]}" "${mbps[$run-direct-$delay]}")
    ratio_rows+=("| $run | ${delay} ms | $r ($(verdict "$r" 0.5)) | $(ratio "${mbps[$run-relay-$delay]}" "${mbps[$run-direct-$delay]}") |")
  done
done
uptime_after=$(uptime)

{
  echo "## Download paths in the NAT lab"
  echo
  echo "bench/nat-paths.sh: real \`bin/tracker\` (in S), a seeding \`bin/peer -daemon\` (in A) and \`peer download\` through"
  echo "a daemon in B, with Noise and the wire protocol, in the namespace lab (\`tests/netlab\`); ${mib} MiB of random"
  echo "bytes, every copy checked with cmp, and the path \`peer peers --json\` reports in B checked after the warm-up and"
  echo "after the measured download. Delay is per shaped link, so 25 ms is ≈100 ms RTT between A and B (50 ms between a"
  echo "peer and S). \"open\": the warm-up download of 1 MiB that dials the link (direct TCP; the punch once direct has"
  echo "had a 300 ms head start; the relay once both failed). Then the measured download over the open link: \"wall\" is the whole \`peer"
  echo "download --json\` command, \"transfer\" the time from its first progress line (the node has just started the"
  echo "download) to its last (complete, every chunk verified and written); throughput is ${mib} MiB / transfer;"
  echo "\"peers' CPU\": CPU seconds of the seeder and the downloader's node during the measured download (in brackets"
  echo "divided by the transfer time: the cores they kept busy; the relay's tracker is not counted)."
  echo "${runs} runs, one after the other."
  echo
  echo "Machine: $(nproc) cores ($(uname -sr)), shared with other builds and tests. \`uptime\` before: ${uptime_before# };"
  echo "after: ${uptime_after# }."
  echo
  echo "| run | delay per link | path | NAT A / NAT B | open | wall | transfer | throughput | peers' CPU (cores) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| run | delay per link | punched / direct (goal ≥ 0.50) | relay / direct |"
  echo "|---|---|---|---|"
  printf '%s\n' "${ratio_rows[@]}"
  echo
  echo "Sharing at ${share_delay} ms (\`cone\` / \`cone\`): a punched download of ${share_mib} MiB and a raw TCP flow from A"
  echo "to B (\`p2pshare-bench hp-send tcp\`, through a port forward on B's router) start together; the TCP flow sends for"
  echo "${share_seconds} s; the punched rate is what B's node received on the link meanwhile."
  echo
  echo "| run | TCP flow | punched download | TCP's share (goal ≥ 0.33) |"
  echo "|---|---|---|---|"
  printf '%s\n' "${share_rows[@]}"
} > "$result"
cat "$result"
