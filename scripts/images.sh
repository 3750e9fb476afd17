#!/usr/bin/env bash
# `make images`: builds the tracker and peer images from docker/*.Dockerfile with podman and runs them for real
# (scripts/images/verify.sh). Where Microsoft's registry cannot be reached, the base and SDK images are made here:
# the base from Debian packages (debootstrap, imported into podman), the SDK from that base plus this machine's
# .NET SDK. IMAGES_BASE and IMAGES_SDK name images to use instead. Skips with a reason where podman cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${IMAGES_WORK:-/var/tmp/p2pshare-images}
tag=${IMAGES_TAG:-latest}
skip() { echo "images: skipped: $*"; exit 0; }
elapsed() { local t=$SECONDS; "$@"; echo "    ($((SECONDS - t)) s)"; }

# runc, because crun 1.8 refuses hosts with hybrid (v1 + v2) cgroups; see scripts/images/container.sh.
need=()
for tool in podman debootstrap runc python3 curl; do command -v "$tool" >/dev/null || need+=("$tool"); done
if ((${#need[@]})); then
  [ "$(id -u)" -eq 0 ] || skip "missing ${need[*]} and not root to install them"
  echo "==> installing ${need[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } \
    || skip "could not install ${need[*]} with apt-get"
fi
podman info >/dev/null 2>&1 || skip "podman cannot run here: $(podman info 2>&1 | tail -1)"
mkdir -p "$work"

base=${IMAGES_BASE:-}
if [ -z "$base" ]; then
  base=localhost/p2pshare-base:bookworm
  echo "==> base image from Debian packages"
  elapsed scripts/images/base-image.sh "$base" "$work"
fi
sdk=${IMAGES_SDK:-}
if [ -z "$sdk" ]; then
  sdk=localhost/p2pshare-sdk:local
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  echo "==> SDK image from $dotnet_root"
  elapsed podman build -q --isolation=chroot -f docker/sdk-from-host.Dockerfile --build-arg "BASE_IMAGE=$base" \
    -t "$sdk" "$dotnet_root"
fi

# --format docker: the OCI format has no HEALTHCHECK, podman would drop it.
# Restored packages are kept between runs in $work/nuget, and the restore trusts this machine's certificate
# authorities (/etc/ssl/certs); both are mounted only while building, the images contain neither.
mkdir -p "$work/nuget"
build() { # build NAME
  echo "==> building p2p-$1:$tag (docker/$1.Dockerfile, base $base)"
  local t=$SECONDS
  podman build --isolation=chroot --format docker -f "docker/$1.Dockerfile" \
    --build-arg "SDK_IMAGE=$sdk" --build-arg "BASE_IMAGE=$base" \
    -v "$work/nuget:/root/.nuget/packages" -v /etc/ssl/certs:/etc/ssl/certs:ro -t "localhost/p2p-$1:$tag" . >"$work/build-$1.log" 2>&1 \
    || { tail -30 "$work/build-$1.log"; echo "images: building p2p-$1 failed (log: $work/build-$1.log)"; exit 1; }
  echo "    $(podman image inspect --format '{{.Size}}' "localhost/p2p-$1:$tag") bytes ($((SECONDS - t)) s)"
}
build tracker
build peer

echo "==> running the images"
elapsed scripts/images/verify.sh "localhost/p2p-tracker:$tag" "localhost/p2p-peer:$tag" "$work/run"
echo "images OK in ${SECONDS} s"
