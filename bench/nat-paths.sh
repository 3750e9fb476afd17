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
# Knobs: NAT_BENCH_MIB (256), NAT_BENCH_DELAYS ("0 25"), NAT_BENCH_SHARE_SECONDS (20), NAT_BENCH_SHARE_MIB (1024).
set -euo pipefail
shopt -s inherit_errexit
result=$(realpath -m "${1:?usage: bench/nat-paths.sh RESULT_MD}")
cd "$(dirname "$0")/.."
source bench/lib.sh
mib=${NAT_BENCH_MIB:-256}
delays=${NAT_BENCH_DELAYS:-0 25}
share_seconds=${NAT_BENCH_SHARE_SECONDS:-20}
share_mib=${NAT_BENCH_SHARE_MIB:-1024}
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
cleanup() { stop_bg; "$lab" down --prefix "$prefix" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# The seeder's files, kept across labs (its index in .p2pshare/ means each is hashed once): a warm-up file whose
# download opens the link, a 1 KiB file timing a download's fixed cost over the open link, the measured file, and
# a larger one for the shared-link run.
seed=$work/seed
mkdir -p "$seed"
head -c $((1024 * 1024)) /dev/urandom > "$seed/warm.bin"
head -c 1024 /dev/urandom > "$seed/tiny.bin"
head -c $((mib * 1024 * 1024)) /dev/urandom > "$seed/big.bin"
head -c $((share_mib * 1024 * 1024)) /dev/urandom > "$seed/share.bin"
declare -A id
for name in warm tiny big share; do id[$name]=$("$peer" manifest "$seed/$name.bin" | python3 -c 'import json, sys; print(json.load(sys.stdin)["hash"])'); done

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
  start_bg "$work/downloader.log" "$BENCH_LIFETIME" "$lab" exec B --prefix "$prefix" -- "${peer_env[@]}" "$peer" -daemon \
    -port 0 -data "$dl" -tracker "$tracker_url" -api-addr 127.0.0.1:0
  wait_for 60 grep -q ' ready: ' "$work/downloader.log"
  for name in warm tiny big share; do wait_for 300 tracker_holds "${id[$name]}"; done
}
lab_down() { stop_bg; "$lab" down --prefix "$prefix" >/dev/null; }

# fetch NAME: downloads NAME.bin into B through its node, checks it with cmp and prints the wall seconds.
fetch() {
  local t0 t1
  t0=$(now_ns)
  if ! peer_cli download "${id[$1]}" > "$work/fetch-$1.log" 2>&1; then
    echo "peer download of $1.bin failed:" >&2; cat "$work/fetch-$1.log" "$work/downloader.log" >&2; return 1
  fi
  t1=$(now_ns)
  cmp "$seed/$1.bin" "$dl/$1.bin"
  awk -v n=$((t1 - t0)) 'BEGIN { printf "%.3f", n / 1e9 }'
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

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A mbps
rows=()
for delay in $delays; do
  for setup in "direct none cone" "holepunch cone cone" "relay symmetric symmetric"; do
    read -r path nat_a nat_b <<< "$setup"
    echo "nat-paths: $path at $delay ms ($nat_a / $nat_b)" >&2
    lab_up "$nat_a" "$nat_b" "$delay"
    open=$(fetch warm)
    expect_path "$path" "after the warm-up download"
    fixed=$(fetch tiny)
    wall=$(fetch big)
    expect_path "$path" "after the measured download"
    rm -f "$dl/big.bin"
    bytes=$(stat -c %s "$seed/big.bin")
    mbps[$path-$delay]=$(awk -v b="$bytes" -v w="$wall" -v f="$fixed" 'BEGIN { printf "%.1f", b / (w - f) / 1e6 }')
    rows+=("| ${delay} ms | $path | \`$nat_a\` / \`$nat_b\` | ${open} s | ${fixed} s | ${wall} s | ${mbps[$path-$delay]} MB/s |")

    if [ "$path" = holepunch ] && [ "$delay" = "${delays##* }" ]; then
      # Sharing: the punched download and a TCP flow from A to B (through a forward on B's router) start together.
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
      punched_share=$(awk -v a="$down0" -v b="$down1" -v n=$((t1 - t0)) 'BEGIN { printf "%.1f", (b - a) / (n / 1e9) / 1e6 }')
      tcp_share=$(awk '$1 == "mbps" { print $2 }' "$work/share-tcp.txt")
      if (( down1 - down0 >= share_mib * 1024 * 1024 )); then
        echo "the punched download ended before the TCP flow; raise NAT_BENCH_SHARE_MIB" >&2; exit 1
      fi
      expect_path holepunch "after the shared-link run"
      share_delay=$delay
    fi
    lab_down
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

verdict() { awk -v r="$1" -v g="$2" 'BEGIN { print (r >= g) ? "met" : "missed" }'; }
{
  echo "## Download paths in the NAT lab"
  echo
  echo "bench/nat-paths.sh: real \`bin/tracker\` (in S), a seeding \`bin/peer -daemon\` (in A) and \`peer download\` through"
  echo "a daemon in B, with Noise and the wire protocol, in the namespace lab (\`tests/netlab\`); ${mib} MiB, random bytes,"
  echo "every copy checked with cmp, and the path \`peer peers --json\` reports in B checked before and after. Delay is"
  echo "per shaped link, so 25 ms is ≈100 ms RTT between A and B (50 ms between a peer and S). \"open\" is the warm-up"
  echo "download of 1 MiB that dials the link (direct TCP, or the punch after a 5 s TCP attempt, or the relay after"
  echo "both); \"fixed\" is a 1 KiB download over the open link (process start, control API, tracker look-up); MB/s is"
  echo "${mib} MiB / (wall − fixed). Load average before / after: ${load_before} / ${load_after} ($(nproc) cores, shared)."
  echo
  echo "| delay per link | path | NAT A / NAT B | open | fixed | wall | throughput |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "| delay per link | punched / direct (goal ≥ 0.50) | relay / direct |"
  echo "|---|---|---|"
  for delay in $delays; do
    r=$(ratio "${mbps[holepunch-$delay]}" "${mbps[direct-$delay]}")
    echo "| ${delay} ms | $r ($(verdict "$r" 0.5)) | $(ratio "${mbps[relay-$delay]}" "${mbps[direct-$delay]}") |"
  done
  echo
  echo "Sharing at ${share_delay} ms (\`cone\` / \`cone\`): a punched download of ${share_mib} MiB and a raw TCP flow from A"
  echo "to B (\`p2pshare-bench hp-send tcp\`, through a port forward on B's router) start together; the TCP flow sends for"
  echo "${share_seconds} s, the punched rate is the bytes B's node received on the link meanwhile."
  echo
  shared_total=$(awk -v a="$tcp_share" -v b="$punched_share" 'BEGIN { print a + b }')
  tcp_part=$(ratio "$tcp_share" "$shared_total")
  echo "| flow | rate | share |"
  echo "|---|---|---|"
  echo "| TCP | ${tcp_share} MB/s | ${tcp_part} (goal ≥ 0.33: $(verdict "$tcp_part" 0.33)) |"
  echo "| punched download | ${punched_share} MB/s | $(ratio "$punched_share" "$shared_total") |"
} > "$result"
cat "$result"
