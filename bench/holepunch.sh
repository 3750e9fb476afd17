#!/usr/bin/env bash
# The hole-punched UDP stream against TCP in the NAT lab (tests/netlab, both sides --nat none): one-way throughput
# A→B at 0 ms and 25 ms per shaped link (≈100 ms RTT between the peers), and a UDP flow sharing the path with a TCP
# flow. Raw transport bytes (no Noise on top). Needs root, ip, iptables and python3; writes a Markdown section to $1.
#
#   bench/holepunch.sh bench/results/holepunch.md
#
# Knobs: HP_BENCH_MIB (256), HP_BENCH_SHARE_SECONDS (30), HP_BENCH_DELAYS ("0 25").
set -euo pipefail
result=$(realpath -m "${1:?usage: bench/holepunch.sh RESULT_MD}")
cd "$(dirname "$0")/.."
source bench/lib.sh
mib=${HP_BENCH_MIB:-256}
share_seconds=${HP_BENCH_SHARE_SECONDS:-30}
delays=${HP_BENCH_DELAYS:-0 25}
lab=tests/netlab/netlab.sh
prefix=hpb$$

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v iptables >/dev/null; then
  { echo "## Hole-punched UDP stream"; echo; echo "Skipped: needs root, ip and iptables for the network-namespace lab."; } > "$result"
  exit 0
fi

[ -x out/bench/p2pshare-bench ] || dotnet build bench/P2PShare.Bench -c Release -o out/bench --nologo -v quiet >/dev/null
bench=$(realpath out/bench/p2pshare-bench)
work=$(bench_dir holepunch)
trap '"$lab" down --prefix "$prefix" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
token=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# transfer PROTO PORT OUT [SENDER ARGS...]: one receiver in B, one sender in A; the receiver's report lands in OUT.
transfer() {
  local proto=$1 port=$2 out=$3; shift 3
  "$lab" exec B --prefix "$prefix" -- "$bench" hp-recv "$proto" "$port" "$token" > "$out" &
  local receiver=$!
  wait_for 60 grep -q '^ready' "$out"
  "$lab" exec A --prefix "$prefix" -- "$bench" hp-send "$proto" "$B_IP:$port" "$token" "$@"
  wait "$receiver"
}
field() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }

rows=()
for delay in $delays; do
  "$lab" up --prefix "$prefix" --nat-a none --nat-b none --delay-ms "$delay" >/dev/null
  eval "$("$lab" env --prefix "$prefix")"
  B_IP=$NETLAB_B_PUBLIC_IP
  transfer tcp 5001 "$work/tcp-$delay.txt" --mib "$mib"
  transfer udp 5002 "$work/udp-$delay.txt" --mib "$mib"
  tcp=$(field mbps "$work/tcp-$delay.txt")
  udp=$(field mbps "$work/udp-$delay.txt")
  rows+=("| ${delay} ms | ${tcp} MB/s | ${udp} MB/s | $(ratio "$udp" "$tcp") | $(field srtt_ms "$work/udp-$delay.txt") ms | $(field datagram "$work/udp-$delay.txt") B |")
  if [ "$delay" = "${delays##* }" ]; then
    # Sharing: both flows start together and send for the same time over the same shaped links.
    transfer tcp 5003 "$work/share-tcp.txt" --seconds "$share_seconds" &
    shared_tcp=$!
    transfer udp 5004 "$work/share-udp.txt" --seconds "$share_seconds"
    wait "$shared_tcp"
    share_delay=$delay
  fi
  "$lab" down --prefix "$prefix" >/dev/null
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
st=$(field bytes "$work/share-tcp.txt")
su=$(field bytes "$work/share-udp.txt")

{
  echo "## Hole-punched UDP stream"
  echo
  echo "bench/holepunch.sh: ${mib} MiB one way from A to B in the NAT lab (\`tests/netlab\`, \`--nat-a none --nat-b none\`),"
  echo "raw transport bytes without Noise, over TCP and over the hole-punched UDP stream (\`src/P2PShare.Net/HolePunch\`),"
  echo "one run each; delay is per shaped link, so 25 ms is ≈100 ms RTT between the peers. Load average before / after:"
  echo "${load_before} / ${load_after} (2 cores, shared)."
  echo
  echo "| delay per link | TCP | UDP stream | UDP / TCP | UDP smoothed RTT | UDP datagram |"
  echo "|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Sharing at ${share_delay} ms: a TCP flow and a UDP-stream flow start together and send for ${share_seconds} s."
  echo
  echo "| flow | rate | share |"
  echo "|---|---|---|"
  echo "| TCP | $(field mbps "$work/share-tcp.txt") MB/s | $(ratio "$st" "$((st + su))") |"
  echo "| UDP stream | $(field mbps "$work/share-udp.txt") MB/s | $(ratio "$su" "$((st + su))") |"
} > "$result"
cat "$result"
