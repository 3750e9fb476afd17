#!/usr/bin/env bash
# `peer manifest` on a page-cached 1 GiB file against sha256sum and openssl dgst -sha256 of the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
out=${1:-bench/results/hashing.md}
size_mib=${HASH_BENCH_MIB:-1024}
runs=${HASH_BENCH_RUNS:-5}
dir=$(bench_dir hashing)
trap 'rm -rf "$dir"' EXIT
file="$dir/input.bin"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$file"
cat "$file" > /dev/null   # page-cache it
bytes=$(stat -c %s "$file")

t_peer=$(time_runs "$runs" bin/peer manifest "$file")
t_sha=$(time_runs "$runs" sha256sum "$file")
t_ssl=$(time_runs "$runs" openssl dgst -sha256 "$file")

r_peer=$(rate "$bytes" "$t_peer"); r_sha=$(rate "$bytes" "$t_sha"); r_ssl=$(rate "$bytes" "$t_ssl")
{
  echo "## Hashing: \`peer manifest\` vs sha256sum and openssl"
  echo
  echo "$size_mib MiB of random data, page-cached, median of $runs runs each, whole process wall time (start-up included)."
  echo "\`peer manifest\` hashes 256 KiB chunks on all $(nproc) cores and builds the Merkle root; the others hash the file as one stream on one core."
  echo
  echo "| tool | seconds | GB/s | peer manifest speed ÷ tool speed |"
  echo "|---|---|---|---|"
  echo "| \`peer manifest\` | $t_peer | $r_peer | 1.00 |"
  echo "| \`openssl dgst -sha256\` | $t_ssl | $r_ssl | $(ratio "$t_ssl" "$t_peer") |"
  echo "| \`sha256sum\` | $t_sha | $r_sha | $(ratio "$t_sha" "$t_peer") |"
} > "$out"
cat "$out"
