#!/usr/bin/env bash
# Runs a container the way this kind of machine allows, with the hardening a deployment uses: read-only root file
# system, /tmp as tmpfs, the image's non-root user. Usage: container.sh PODMAN_RUN_ARGS... (as for `podman run`).
#   --runtime runc      crun 1.8 (Debian 12) refuses hosts with hybrid (v1 + v2) cgroups; runc runs there.
#   --ulimit ...        podman raises RLIMIT_NOFILE and RLIMIT_NPROC by default, which fails without
#                       CAP_SYS_RESOURCE; these stay within the host's own limits.
#   --network host      containers reach each other on 127.0.0.1 only, no bridge network is made.
# Without systemd podman cannot schedule health checks by timer and says so on every start; the checks still run
# when asked (`podman healthcheck run`), so those lines are dropped.
set -euo pipefail
exec 2> >(grep -v --line-buffered 'unable to get systemd connection' >&2)
exec podman --runtime runc run --network host --read-only --tmpfs /tmp:rw,size=16m,mode=1777 \
  --ulimit "nofile=$(ulimit -Sn):$(ulimit -Hn)" --ulimit nproc=4096:4096 "$@"
