#!/usr/bin/env bash
# The fuzz tests of `make test` (frame decoder, Hello exchange, tracker JSON readers) with a longer budget:
# FUZZ_SECONDS (default 60) per test instead of 2. A failure prints the CsCheck seed; FUZZ_SEED=<seed> replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench/results/fuzz.md}
seconds=${FUZZ_SECONDS:-60}
export FUZZ_SECONDS=$seconds
dir=$(mktemp -d "${TMPDIR:-/tmp}/p2pshare-bench-fuzz.XXXXXX")
trap 'rm -rf "$dir"' EXIT
dotnet build P2PShare.slnx -c Release --nologo -v quiet >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 1; }

rows=()
status=0
run() {  # run <label> <test project> <class filter>
  local label=$1 project=$2 filter=$3 log="$dir/$3.log" result
  if dotnet test "$project" -c Release --no-build --nologo --filter "FullyQualifiedName~$filter" >"$log" 2>&1; then
    result="passed"
  else
    result="**failed** (seed in the log below)"
    status=1
    grep -E "seed|Assert|Exception" "$log" | head -n 20 >&2 || true
  fi
  local tests; tests=$(grep -oE 'Total: +[0-9]+' "$log" | grep -oE '[0-9]+' | tail -n 1)
  rows+=("| $label | \`$filter\` | ${tests:-?} | $((${tests:-0} * seconds)) | $result |")
}
run "frame decoder (random, plausible headers, mutated streams)" tests/P2PShare.Core.Tests FrameFuzzTests
run "Hello exchange (random fields, mutated frames)" tests/P2PShare.Core.Tests HelloFuzzTests
run "tracker JSON readers and validators, in process and over HTTP" tests/P2PShare.Tracker.Tests JsonReaderFuzzTests
{
  echo "## Fuzzing: frame decoder, Hello exchange, tracker JSON"
  echo
  echo "CsCheck property tests fed random and mutated inputs, $seconds s per test (\`make test\` runs the same tests for 2 s each)."
  echo "Pass means no input made them throw anything but the documented exceptions, over-allocate or answer a 5xx."
  echo
  echo "| target | test class | tests | seconds at most | result |"
  echo "|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} > "$out"
exit $status
