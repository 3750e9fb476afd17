#!/usr/bin/env bash
# Makes a local base image from Debian packages (debootstrap, then `podman import`), for machines that cannot pull
# Microsoft's runtime-deps image. It carries what runtime-deps carries: glibc, libstdc++, ICU, OpenSSL, CA
# certificates and time zones. Usage: base-image.sh IMAGE_NAME WORK_DIR. Kept when it exists already.
set -euo pipefail
image=$1 work=$2
if podman image exists "$image"; then echo "base image $image exists"; exit 0; fi
suite=${DEBIAN_SUITE:-bookworm}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
rootfs="$work/rootfs-$suite"
rm -rf "$rootfs"
mkdir -p "$work"
echo "debootstrap $suite into $rootfs"
debootstrap --variant=minbase --include=ca-certificates,libicu72,libssl3,tzdata "$suite" "$rootfs" "$mirror" \
  >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; exit 1; }
# An image needs no package caches or apt lists.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$image" >/dev/null
rm -rf "$rootfs"
echo "base image $image imported"
