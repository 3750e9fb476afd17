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

# rate_mb BYTES SECONDS: MB/s (10^6 bytes per second) with one decimal.
rate_mb() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / s / 1e6 }'; }

# median: the median of the numbers on stdin, one a line.
median() { sort -g | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.3f\n", m}'; }

# free_port: a TCP port on 127.0.0.1 that was free a moment ago.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# wait_for SECONDS CMD...: runs CMD every 0.1 s until it succeeds; fails after SECONDS.
wait_for() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    if (( $(date +%s) >= deadline )); then echo "timed out waiting for: $*" >&2; return 1; fi
    sleep 0.1
  done
}

# ensure_pkg PACKAGE TEST_CMD...: installs the Debian PACKAGE with apt-get when TEST_CMD fails.
ensure_pkg() {
  local pkg=$1; shift
  "$@" >/dev/null 2>&1 && return 0
  echo "installing $pkg" >&2
  if [ -z "${BENCH_APT_UPDATED:-}" ]; then apt-get update -qq >&2; BENCH_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >&2
  "$@" >/dev/null 2>&1
}

# Background processes: start_bg runs one under `timeout` (so it ends even if this script is killed),
# stop_bg ends every one started so far by PID (TERM, then KILL after 10 s). Call stop_bg from an EXIT trap.
BG_PIDS=()
# start_bg LOG SECONDS CMD...: runs CMD in the background, output to LOG; sets BG_PID (the timeout process;
# `pgrep -P "$BG_PID"` is CMD itself).
start_bg() {
  local log=$1 limit=$2; shift 2
  timeout --kill-after=5 "$limit" "$@" >"$log" 2>&1 </dev/null &
  BG_PID=$!
  BG_PIDS+=("$BG_PID")
}
stop_bg() {
  local pid deadline live=()
  # Only those still among this shell's jobs: a PID already waited for may belong to someone else by now.
  for pid in "${BG_PIDS[@]}"; do
    if jobs -p | grep -qx "$pid"; then live+=("$pid"); fi
  done
  for pid in "${live[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  deadline=$(( $(date +%s) + 10 ))
  for pid in "${live[@]}"; do
    while kill -0 "$pid" 2>/dev/null && (( $(date +%s) < deadline )); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  BG_PIDS=()
}

# child_pid PID: the (single) child process of PID.
child_pid() { pgrep -P "$1" | head -n 1; }

# P2PShare processes (need `make build`). BENCH_LIFETIME bounds every background process (seconds).
BENCH_LIFETIME=${BENCH_LIFETIME:-1800}
# start_tracker LOG: bin/tracker on a free loopback port; sets TRACKER_URL once /health answers.
start_tracker() {
  local port; port=$(free_port)
  start_bg "$1" "$BENCH_LIFETIME" env LOG_LEVEL=Warning REGISTER_RATE_LIMIT=0 bin/tracker -addr "127.0.0.1:$port"
  TRACKER_URL="http://127.0.0.1:$port"
  wait_for 60 curl -sf "$TRACKER_URL/health"
}
# start_node LOG DATA_DIR EXTRA_ARGS...: a `bin/peer -daemon` node (shares whatever DATA_DIR holds) on a free
# port; returns once it prints its ready line. Sets BG_PID (see start_bg).
start_node() {
  local log=$1 data=$2; shift 2
  start_bg "$log" "$BENCH_LIFETIME" env LOG_LEVEL=Warning bin/peer -daemon -port 0 -data "$data" -tracker "$TRACKER_URL" "$@"
  wait_for 60 grep -q ' ready: ' "$log"
}
# holds HASH: the tracker lists at least one live holder of HASH.
holds() { curl -sf "$TRACKER_URL/api/files/$1/peers" | grep -q '"peer_id"'; }
# file_id PATH: the P2PShare file ID of PATH.
file_id() { bin/peer manifest "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["hash"])'; }

# cpu_seconds PID...: user + system CPU seconds the processes (all their threads) have used so far.
cpu_seconds() {
  local pid
  for pid in "$@"; do cat "/proc/$pid/stat"; done |
    awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); s += $12 + $13 } END { printf "%.2f", s / hz }'
}

# start_nginx NGDIR ROOT PORT [SERVER_EXTRA]: a foreground nginx serving ROOT on 127.0.0.1:PORT, everything under
# NGDIR, started with start_bg; sets NGINX_MASTER to the master's PID. SERVER_EXTRA goes into the server block
# (e.g. "limit_rate 2500000;").
start_nginx() {
  local ng=$1 root=$2 port=$3 extra=${4:-}
  mkdir -p "$ng/tmp"
  cat > "$ng/nginx.conf" <<NGINX
daemon off;
worker_processes auto;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  client_body_temp_path $ng/tmp/body;
  proxy_temp_path $ng/tmp/proxy;
  fastcgi_temp_path $ng/tmp/fastcgi;
  uwsgi_temp_path $ng/tmp/uwsgi;
  scgi_temp_path $ng/tmp/scgi;
  server { listen 127.0.0.1:$port; root $root; $extra }
}
NGINX
  start_bg "$ng/../nginx.out" "$BENCH_LIFETIME" nginx -p "$ng" -c "$ng/nginx.conf" -e "$ng/error.log"
  NGINX_MASTER=$(child_pid "$BG_PID")
}
