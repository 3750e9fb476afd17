#!/usr/bin/env bash
# Secure stream vs plain TCP over loopback (1 GiB each, same run) and Noise handshake latency.
# Usage: bench/secure-stream.sh RESULT_MD   (scripts/bench.sh builds out/bench first)
set -euo pipefail
out=$(realpath -m "${1:?usage: bench/secure-stream.sh RESULT_MD}")
cd "$(dirname "$0")/.."
if [ ! -x out/bench/p2pshare-bench ]; then
  dotnet build bench/P2PShare.Bench -c Release --nologo -v quiet -o out/bench >/dev/null
fi
out/bench/p2pshare-bench secure-stream "$out" ${SECURE_STREAM_ARGS:-}
