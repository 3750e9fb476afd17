#!/usr/bin/env bash
# The main job end to end on loopback: a tracker, a peer that shares a 50 MiB file, a second peer that
# downloads it (encrypted, every chunk verified), then a byte-for-byte comparison. Cleans up after itself.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${DEMO_SIZE_MIB:-50}
work=$(mktemp -d "${TMPDIR:-/tmp}/p2pshare-demo.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # wait_for FILE PATTERN SECONDS
  for _ in $(seq 1 $(($3 * 10))); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for /$2/ in $1:"; cat "$1"; return 1
}

port=$(free_port)
tracker="http://127.0.0.1:$port"
echo "==> starting tracker on $tracker"
TRACKER_KEY_FILE="$work/tracker.key" ./bin/tracker -addr "127.0.0.1:$port" > "$work/tracker.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fsS "$tracker/health" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$tracker/health" >/dev/null

mkdir -p "$work/alice" "$work/bob" "$work/input"
echo "==> generating a ${size_mib} MiB file"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/input/demo.bin"

echo "==> alice shares it"
./bin/peer share "$work/input/demo.bin" -data "$work/alice" -port 0 -tracker "$tracker" > "$work/alice.log" 2>&1 &
pids+=($!)
wait_for "$work/alice.log" '^[0-9a-f]{64}$' 60
hash=$(grep -E '^[0-9a-f]{64}$' "$work/alice.log" | head -1)
echo "    file ID $hash"

echo "==> bob lists the network and downloads it"
./bin/peer list -data "$work/bob" -tracker "$tracker"
./bin/peer download "$hash" -data "$work/bob" -port 0 -tracker "$tracker"

echo "==> verifying"
cmp "$work/input/demo.bin" "$work/bob/demo.bin"
echo "    byte-identical: $(sha256sum "$work/bob/demo.bin" | cut -c1-16)… = $(sha256sum "$work/input/demo.bin" | cut -c1-16)…"
echo "==> dashboard: $tracker/dashboard (while the demo runs)"
echo "demo OK"
