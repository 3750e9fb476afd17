#!/usr/bin/env bash
# Installs the Debian packages the tests need when they are missing (CI runs as root on a fresh machine).
set -euo pipefail
need=()
command -v make >/dev/null || need+=(make)
if ((${#need[@]})); then
  if [ "$(id -u)" -ne 0 ]; then echo "missing packages: ${need[*]} (install them as root)"; exit 1; fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
# kubectl renders k8s/ in tests/P2PShare.Deployment.Tests; without it that test is skipped with the reason, so a
# failed install is reported but does not stop the tests.
if ! command -v kubectl >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq kubernetes-client; } >/dev/null 2>&1; then
    echo "installed kubernetes-client (kubectl)"
  else
    echo "kubectl is missing and kubernetes-client could not be installed: the kustomize render test will be skipped"
  fi
fi
# The NAT tests build network namespaces (tests/netlab) and capture the server's traffic; they need root, so only
# root installs these, and without them those tests are skipped with the reason.
lab=()
command -v ip >/dev/null || lab+=(iproute2)
command -v iptables >/dev/null || lab+=(iptables)
command -v nft >/dev/null || lab+=(nftables)
command -v tcpdump >/dev/null || lab+=(tcpdump)
command -v python3 >/dev/null || lab+=(python3)
if ((${#lab[@]})); then
  if [ "$(id -u)" -eq 0 ] && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${lab[@]}"; } >/dev/null 2>&1; then
    echo "installed ${lab[*]} for the NAT lab tests"
  else
    echo "missing ${lab[*]}: the NAT lab tests will be skipped"
  fi
fi
# Debian's chromium runs the dashboard browser tests (tests/P2PShare.EndToEnd.Tests/Dashboard; Playwright never
# downloads a browser here). Without it those tests are skipped with the reason.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1; then
    echo "installed chromium"
  else
    echo "chromium is missing and could not be installed: the dashboard browser tests will be skipped"
  fi
fi
