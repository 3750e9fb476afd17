#!/usr/bin/env bash
# Runs the built images for real: the tracker answers /health (and its image's HEALTHCHECK passes), one peer
# container shares a file, a second peer container downloads it, and the two copies are compared byte for byte.
# Every container runs with a read-only root file system as the non-root user of its image (container.sh).
# Usage: verify.sh TRACKER_IMAGE PEER_IMAGE WORK_DIR
set -euo pipefail
tracker_image=$1 peer_image=$2 work=$3
here=$(dirname "$0")
size_mib=${IMAGES_FILE_MIB:-20}
names=()
cleanup() {
  for name in "${names[@]}"; do podman rm -f -t 5 "$name" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
fail() {
  echo "images: $*"
  for name in "${names[@]}"; do echo "--- logs of $name"; podman logs "$name" 2>&1 | tail -20; done
  exit 1
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The images run as UID 1654; their /data volumes must belong to it.
fresh_dir() { rm -rf "$1"; mkdir -p "$1"; chown 1654:1654 "$1"; chmod 0700 "$1"; }

rm -rf "$work"
mkdir -p "$work"
suffix=$$
tracker_port=$(free_port)
tracker="http://127.0.0.1:$tracker_port"

echo "    tracker container on $tracker"
fresh_dir "$work/tracker"
names+=("p2p-verify-tracker-$suffix")
"$here/container.sh" -d --name "p2p-verify-tracker-$suffix" -v "$work/tracker:/data" \
  -e "TRACKER_ADDR=127.0.0.1:$tracker_port" "$tracker_image" >/dev/null
for _ in $(seq 1 300); do curl -fsS "$tracker/health" >/dev/null 2>&1 && break; sleep 0.1; done
health=$(curl -fsS "$tracker/health") || fail "the tracker container does not answer $tracker/health"
echo "    /health: $health"
podman healthcheck run "p2p-verify-tracker-$suffix" >/dev/null || fail "the tracker image's HEALTHCHECK fails"
echo "    tracker HEALTHCHECK: healthy"

echo "    peer container 'seeder' shares a ${size_mib} MiB file"
fresh_dir "$work/seeder"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom >"$work/seeder/sample.bin"
chown 1654:1654 "$work/seeder/sample.bin"
hash=$("$here/container.sh" --rm -v "$work/seeder/sample.bin:/in/sample.bin:ro" "$peer_image" manifest /in/sample.bin \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["hash"])') || fail "'peer manifest' in the peer image failed"
echo "    file ID $hash"
names+=("p2p-verify-seeder-$suffix")
"$here/container.sh" -d --name "p2p-verify-seeder-$suffix" -v "$work/seeder:/data" \
  -e "TRACKER_URL=$tracker" -e "PEER_PORT=$(free_port)" -e PEER_NAME=seeder "$peer_image" >/dev/null
for _ in $(seq 1 600); do curl -fsS "$tracker/api/files?q=sample.bin" 2>/dev/null | grep -q "$hash" && break; sleep 0.1; done
curl -fsS "$tracker/api/files?q=sample.bin" | grep -q "$hash" || fail "the seeder container never announced sample.bin"
podman healthcheck run "p2p-verify-seeder-$suffix" >/dev/null || fail "the peer image's HEALTHCHECK fails"
echo "    announced; peer HEALTHCHECK: healthy"

echo "    peer container 'leecher' downloads it"
fresh_dir "$work/leecher"
names+=("p2p-verify-leecher-$suffix")
timeout 300 "$here/container.sh" --name "p2p-verify-leecher-$suffix" -v "$work/leecher:/data" \
  -e "TRACKER_URL=$tracker" -e "PEER_PORT=$(free_port)" -e PEER_NAME=leecher -e DAEMON=0 \
  "$peer_image" download "$hash" -o /data || fail "the download in the leecher container failed"
cmp "$work/seeder/sample.bin" "$work/leecher/sample.bin" || fail "the downloaded copy differs"
echo "    byte-identical: $(sha256sum "$work/leecher/sample.bin" | cut -c1-16)… in both"
