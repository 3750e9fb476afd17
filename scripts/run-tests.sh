#!/usr/bin/env bash
# Runs every test project with TRX logging and prints one summary line over all of them.
set -uo pipefail
cd "$(dirname "$0")/.."
results=TestResults
rm -rf "$results"
dotnet build P2PShare.slnx -c Release --nologo -v quiet || exit 1
dotnet format P2PShare.slnx --verify-no-changes --no-restore || { echo "dotnet format found unformatted code (run 'make format')"; exit 1; }
dotnet test P2PShare.slnx -c Release --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  -- RunConfiguration.TestSessionTimeout=1500000
status=$?
passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
