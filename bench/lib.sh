# Shared helpers for bench/*.sh (sourced, not run).

# now_ns: monotonic-enough wall clock in nanoseconds.
now_ns() { date +%s%N; }

# time_runs N CMD...: runs CMD N times (output discarded) and prints the median seconds.
time_runs() {
  local n=$1; shift
  local times=()
  for ((i = 0; i < n; i++)); do
    local t0; t0=$(now_ns)
    "$@" >/dev/null
    local t1; t1=$(now_ns)
    times+=("$(( t1 - t0 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.4f\n", m / 1e9}'
}

# rate BYTES SECONDS: GB/s (10^9 bytes per second) with two decimals.
rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.2f", b / s / 1e9 }'; }

# ratio A B: A / B with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# bench_dir NAME: a scratch directory for one benchmark (removed by the caller's trap).
bench_dir() { mktemp -d "${TMPDIR:-/tmp}/p2pshare-bench-$1.XXXXXX"; }
