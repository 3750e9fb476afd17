#!/usr/bin/env bash
# Runs every benchmark script bench/*.sh (or only those named in BENCH="a b"), each of which writes a
# Markdown section to bench/results/<name>.md, then assembles docs/benchmarks.md from all sections present.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
dotnet build bench/P2PShare.Bench -c Release --nologo -v quiet -o out/bench >/dev/null
selected=${BENCH:-}
for script in bench/*.sh; do
  name=$(basename "$script" .sh)
  [ "$name" = lib ] && continue   # helpers the benchmarks source, not a benchmark
  if [ -n "$selected" ] && [[ " $selected " != *" $name "* ]]; then continue; fi
  echo "== bench: $name"
  bash "$script" "bench/results/$name.md"
  if [ "$name" = swarm ]; then
    # The larger swarm: per-node costs show when 33 nodes share the machine. nginx + curl would take N·F/u (over
    # 14 minutes) here, so only P2PShare and libtorrent run, with the same limits and piece size.
    echo "== bench: swarm (1 + 32)"
    SWARM_PEERS=32 SWARM_RATE_MB=5 SWARM_MIB=128 SWARM_SYSTEMS="p2pshare libtorrent" \
      SWARM_GOALS="P2PShare efficiency ≥ 0.9 and at least twice as fast as libtorrent." \
      bash "$script" "bench/results/swarm32.md"
  fi
done
{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh); each section comes from one script in bench/."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, $(uname -sr), .NET $(dotnet --version)."
  echo
  for section in bench/results/*.md; do
    [ -f "$section" ] || continue
    cat "$section"
    echo
  done
} > docs/benchmarks.md
echo "wrote docs/benchmarks.md"
