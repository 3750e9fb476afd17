#!/usr/bin/env bash
# The Kademlia DHT: a loopback network of real DHT nodes (one UDP socket each, production options) in one bench
# process. Per lookup for an announced key: messages sent, rounds of α queries, wall time; memory per node; the same
# lookups after a share of the nodes stops without notice. Writes a Markdown section to $1.
#
#   bench/dht.sh bench/results/dht.md
#
# Knobs: DHT_BENCH_NODES (1000), DHT_BENCH_KEYS (100), DHT_BENCH_LOOKUPS (300), DHT_BENCH_CHURN (20, percent).
set -euo pipefail
result=$(realpath -m "${1:?usage: bench/dht.sh RESULT_MD}")
cd "$(dirname "$0")/.."
nodes=${DHT_BENCH_NODES:-1000}
keys=${DHT_BENCH_KEYS:-100}
lookups=${DHT_BENCH_LOOKUPS:-300}
churn=${DHT_BENCH_CHURN:-20}

[ -x out/bench/p2pshare-bench ] || dotnet build bench/P2PShare.Bench -c Release -o out/bench --nologo -v quiet >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
out/bench/p2pshare-bench dht --nodes "$nodes" --keys "$keys" --lookups "$lookups" --churn-percent "$churn" > "$out"
get() { awk -v k="$1" '$1 == k { print $2 }' "$out"; }
kib() { awk -v b="$(get "$1")" 'BEGIN { printf "%.0f", b / 1024 }'; }

{
  echo "## Kademlia DHT"
  echo
  echo "bench/dht.sh: ${nodes} DHT nodes on 127.0.0.1 in one process (k = 20, α = 3, production timeouts), each"
  echo "joining through three random earlier nodes; ${keys} keys announced from random nodes, then ${lookups} get_peers"
  echo "lookups for them from random nodes; then ${churn}% of the nodes stop without notice and the lookups run again."
  echo "A round is one hop of the lookup: the seeds from the routing table are round 1, nodes they name round 2, and so on."
  echo
  echo "| measure | all nodes up | after ${churn}% churn |"
  echo "|---|---|---|"
  echo "| lookups that found the holder | $(get success_percent)% | $(get churn_success_percent)% |"
  echo "| messages per lookup, median / p90 | $(get messages_median) / $(get messages_p90) | $(get churn_messages_median) / $(get churn_messages_p90) |"
  echo "| rounds per lookup, median / p90 | $(get rounds_median) / $(get rounds_p90) | $(get churn_rounds_median) / $(get churn_rounds_p90) |"
  echo "| wall time per lookup, median / p90 | $(get ms_median) ms / $(get ms_p90) ms | $(get churn_ms_median) ms / $(get churn_ms_p90) ms |"
  echo
  echo "| measure | value |"
  echo "|---|---|"
  echo "| join of all nodes (sequential) | $(get join_seconds) s |"
  echo "| routing-table size, median | $(get routing_table_median) contacts |"
  echo "| announce (lookup to the 20 closest + 20 announces), messages median | $(get announce_messages_median) |"
  echo "| nodes that stored an announcement, median | $(get announce_stored_at_median) |"
  echo "| managed memory per node (socket, table, store) | $(kib managed_bytes_per_node) KiB |"
  echo "| process RSS per node | $(kib rss_bytes_per_node) KiB |"
  echo
  echo "A get_peers lookup stops at the first reply that lists holders. A stopped node costs a lookup one query"
  echo "timeout (2 s) when it is asked; the other α − 1 queries carry on meanwhile."
} > "$result"
cat "$result"
