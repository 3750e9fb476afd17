#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing (CI runs as root on a fresh machine).
set -euo pipefail
need=()
command -v make >/dev/null || need+=(make)
if ((${#need[@]})); then
  if [ "$(id -u)" -ne 0 ]; then echo "missing packages: ${need[*]} (install them as root)"; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
