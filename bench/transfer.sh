#!/usr/bin/env bash
# One-to-one download over loopback: P2PShare (tracker + seeding `peer -daemon` + `peer download`) against
# nginx + curl serving the same page-cached file, in the same run. Wall time and throughput of each, the
# transfer alone (wall time minus the median wall time of fetching a 1 KiB file the same way), and the peak
# RSS of both P2PShare peers, for a small and a large file (memory must not grow with the file). Two more
# references in the same run: nginx + curl followed by `sync FILE` (what a durable copy costs; P2PShare's
# download is durable when it exits), and the disk's own durable write speed (dd bs=256K conv=fdatasync).
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
source bench/lib.sh
out=${1:-bench/results/transfer.md}
big_mib=${TRANSFER_MIB:-1024}
small_mib=${TRANSFER_SMALL_MIB:-256}
runs=${TRANSFER_RUNS:-3}
step_timeout=${TRANSFER_TIMEOUT:-600}   # seconds for any one download

ensure_pkg nginx command -v nginx
ensure_pkg curl command -v curl
ensure_pkg time test -x /usr/bin/time
[ -x bin/peer ] && [ -x bin/tracker ] || { echo "bin/peer and bin/tracker missing: run 'make build'" >&2; exit 1; }

dir=$(bench_dir transfer)
cleanup() { stop_bg; if [ -n "${BENCH_KEEP:-}" ]; then echo "kept $dir" >&2; else rm -rf "$dir"; fi; }
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$dir"                        # nginx workers run as nobody when started by root
seed="$dir/seed" www="$dir/www" ng="$dir/nginx"
mkdir -p "$seed" "$www" "$ng/tmp"

# The files: random bytes, hard-linked into nginx's root so both servers read the same page-cached inode.
names=(tiny.bin small.bin big.bin)
head -c 1024 /dev/urandom > "$seed/tiny.bin"
head -c "$((small_mib * 1024 * 1024))" /dev/urandom > "$seed/small.bin"
head -c "$((big_mib * 1024 * 1024))" /dev/urandom > "$seed/big.bin"
declare -A hash bytes
for name in "${names[@]}"; do
  chmod 644 "$seed/$name"
  ln "$seed/$name" "$www/$name"
  cat "$seed/$name" > /dev/null        # page-cache it
  hash[$name]=$(file_id "$seed/$name")
  bytes[$name]=$(stat -c %s "$seed/$name")
done

# P2PShare: a tracker and one seeding daemon holding all three files.
start_tracker "$dir/tracker.log"
start_node "$dir/seeder.log" "$seed"
seeder_pid=$(child_pid "$BG_PID")
for name in "${names[@]}"; do wait_for 300 holds "${hash[$name]}"; done

# nginx: minimal config, foreground master, everything under $ng.
nginx_port=$(free_port)
start_nginx "$ng" "$www" "$nginx_port"
nginx_master=$NGINX_MASTER
wait_for 30 curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/tiny.bin"

# stamp: copies stdin to stdout, each line prefixed with the time it arrived (seconds, microsecond precision).
stamp() { local line; while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }
# span LOG FROM TO: seconds between the first stamped line of LOG matching FROM and the first matching TO.
span() { awk -v from="$2" -v to="$3" '$0 ~ from && !a { a = $1 } $0 ~ to && !b { b = $1 } END { printf "%.4f", b - a }' "$1"; }

# p2p_get NAME: one `peer download` into a fresh data dir; prints "wall transfer downloader_kib seeder_kib cpu",
# transfer being the time from the downloader node's ready line to its done line, cpu the CPU seconds of both.
p2p_get() {
  local name=$1 d="$dir/dl" t0 t1 hwm cpu0
  rm -rf "$d"; mkdir -p "$d"
  echo 5 > "/proc/$seeder_pid/clear_refs"   # restart the seeder's peak-RSS count (VmHWM) at its current RSS
  cpu0=$(cpu_seconds "$seeder_pid")
  t0=$(now_ns)
  if ! LOG_LEVEL=Warning /usr/bin/time -f '%M %U %S' -o "$dir/dl.rss" timeout "$step_timeout" \
      bin/peer download "${hash[$name]}" -data "$d" -tracker "$TRACKER_URL" -port 0 2>&1 | stamp > "$dir/dl.log"; then
    echo "peer download of $name failed:" >&2; cat "$dir/dl.log" >&2; return 1
  fi
  t1=$(now_ns)
  cmp "$seed/$name" "$d/$name"
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$seeder_pid/status")
  read -r rss user sys < <(tail -n 1 "$dir/dl.rss")
  echo "$(awk -v n=$((t1 - t0)) 'BEGIN { printf "%.4f", n / 1e9 }') $(span "$dir/dl.log" ' ready: ' ' done: ') $rss $hwm" \
    "$(awk -v a="$cpu0" -v b="$(cpu_seconds "$seeder_pid")" -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", b - a + u + s }')"
  rm -rf "$d"
}

# curl_get NAME: one curl download to a file on the same disk; prints "wall transfer cpu" (transfer = curl's
# time_total, cpu = CPU seconds of curl and the nginx processes).
curl_get() {
  local name=$1 f="$dir/curl.out" t0 t1 total cpu0 user sys
  rm -f "$f"
  cpu0=$(cpu_seconds "$nginx_master" $(pgrep -P "$nginx_master"))
  t0=$(now_ns)
  total=$(/usr/bin/time -f '%U %S' -o "$dir/curl.cpu" timeout "$step_timeout" curl -sS -o "$f" -w '%{time_total}' "http://127.0.0.1:$nginx_port/$name")
  t1=$(now_ns)
  cmp "$seed/$name" "$f"
  read -r user sys < <(tail -n 1 "$dir/curl.cpu")
  echo "$(awk -v n=$((t1 - t0)) 'BEGIN { printf "%.4f", n / 1e9 }') $total" \
    "$(awk -v a="$cpu0" -v b="$(cpu_seconds "$nginx_master" $(pgrep -P "$nginx_master"))" -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", b - a + u + s }')"
  rm -f "$f"
}

# curl_sync_get NAME: curl as above, then `sync FILE` (fsync of its data); prints the wall seconds of both.
curl_sync_get() {
  local name=$1 f="$dir/curl.out" t0 t1
  rm -f "$f"
  t0=$(now_ns)
  timeout "$step_timeout" curl -sS -o "$f" "http://127.0.0.1:$nginx_port/$name"
  sync "$f"
  t1=$(now_ns)
  cmp "$seed/$name" "$f"
  awk -v n=$((t1 - t0)) 'BEGIN { printf "%.4f", n / 1e9 }'
  rm -f "$f"
}

# dd_put NAME: the disk alone: dd copies the page-cached file to a new file on the same disk in 256 KiB blocks
# and fdatasyncs it; prints the wall seconds.
dd_put() {
  local name=$1 f="$dir/dd.out" t0 t1
  rm -f "$f"
  t0=$(now_ns)
  dd if="$seed/$name" of="$f" bs=256K conv=fdatasync status=none
  t1=$(now_ns)
  awk -v n=$((t1 - t0)) 'BEGIN { printf "%.4f", n / 1e9 }'
  rm -f "$f"
}

# Runs alternate between the two systems so that load from elsewhere on the machine hits both alike.
declare -A p2p_wall p2p_xfer p2p_cpu curl_wall curl_xfer curl_cpu sync_wall dd_wall dl_kib seed_kib
for name in "${names[@]}"; do
  p2p_wall[$name]="" p2p_xfer[$name]="" p2p_cpu[$name]="" curl_wall[$name]="" curl_xfer[$name]="" curl_cpu[$name]=""
  sync_wall[$name]="" dd_wall[$name]=""
  dl_kib[$name]=0 seed_kib[$name]=0
  for ((i = 1; i <= runs; i++)); do
    p2p=$(p2p_get "$name"); read -r pw px dl sd pc <<< "$p2p"
    cur=$(curl_get "$name"); read -r cw cx cc <<< "$cur"
    sw=$(curl_sync_get "$name") dw=$(dd_put "$name")
    echo "$name run $i: P2PShare ${pw}s (transfer ${px}s, downloader ${dl} KiB, seeder ${sd} KiB, ${pc} CPU s)," \
      "nginx+curl ${cw}s (transfer ${cx}s, ${cc} CPU s), nginx+curl+sync ${sw}s, dd ${dw}s" >&2
    sync_wall[$name]+="$sw"$'\n' dd_wall[$name]+="$dw"$'\n'
    p2p_wall[$name]+="$pw"$'\n' p2p_xfer[$name]+="$px"$'\n' p2p_cpu[$name]+="$pc"$'\n'
    curl_wall[$name]+="$cw"$'\n' curl_xfer[$name]+="$cx"$'\n' curl_cpu[$name]+="$cc"$'\n'
    if (( dl > dl_kib[$name] )); then dl_kib[$name]=$dl; fi
    if (( sd > seed_kib[$name] )); then seed_kib[$name]=$sd; fi
  done
done

med() { printf '%s' "$1" | median; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }
p2p_base=$(med "${p2p_xfer[tiny.bin]}") curl_base=$(med "${curl_xfer[tiny.bin]}")
nginx_version=$(nginx -v 2>&1 | sed 's/^nginx version: //')
curl_version=$(curl --version | head -n 1 | awk '{print $1 " " $2}')
{
  echo "## Transfer: one-to-one download over loopback, P2PShare vs nginx + curl"
  echo
  echo "One seeder, one downloader, 127.0.0.1, random data page-cached before the runs; the download lands in a"
  echo "file on the same disk. P2PShare: \`bin/tracker\`, a seeding \`peer -daemon\` and \`peer download HASH\` (a fresh"
  echo "node each run: Noise handshake, AES-256-GCM on every byte, every 256 KiB chunk checked against the"
  echo "Merkle root). Reference: $nginx_version (sendfile on, one server block) and \`curl -o FILE\`."
  echo "P2PShare writes whole chunks past the page cache (O_DIRECT, see docs/features/storage.md), curl through it."
  echo "Every download is compared with the source (cmp). Median of $runs runs each, the two systems alternating."
  echo
  echo "- **wall**: the client process from start to exit (for P2PShare that includes .NET and node start-up,"
  echo "  tracker registration and lookup, connection and handshake)."
  echo "- **transfer**: P2PShare from the downloader node's \`ready\` line to its \`done\` line, curl its \`time_total\`,"
  echo "  each minus the median of the same for a 1 KiB file (P2PShare ${p2p_base} s, curl ${curl_base} s),"
  echo "  leaving the time the bytes themselves cost."
  echo "- **CPU s**: user + system time of both ends during one download (P2PShare: the \`peer download\` process and"
  echo "  the seeder daemon; reference: curl and the nginx processes), on a $(nproc)-core machine shared with other work."
  echo
  echo "| file | system | wall s | MB/s (wall) | transfer s | MB/s (transfer) | P2PShare ÷ nginx+curl, wall / transfer | CPU s |"
  echo "|---|---|---|---|---|---|---|---|"
  for name in small.bin big.bin; do
    b=${bytes[$name]} mib_label="$((b / 1048576)) MiB"
    ps=$(med "${p2p_wall[$name]}") cs=$(med "${curl_wall[$name]}")
    pt=$(minus "$(med "${p2p_xfer[$name]}")" "$p2p_base") ct=$(minus "$(med "${curl_xfer[$name]}")" "$curl_base")
    echo "| $mib_label | P2PShare | $ps | $(rate_mb "$b" "$ps") | $pt | $(rate_mb "$b" "$pt") | **$(ratio "$cs" "$ps") / $(ratio "$ct" "$pt")** | $(med "${p2p_cpu[$name]}") |"
    echo "| $mib_label | nginx + curl | $cs | $(rate_mb "$b" "$cs") | $ct | $(rate_mb "$b" "$ct") | 1.00 | $(med "${curl_cpu[$name]}") |"
  done
  echo
  echo "Durable references, same runs: P2PShare's download is on disk when it finishes (every chunk fsynced"
  echo "before it counts), curl's is not. **nginx + curl + sync** is curl followed by \`sync FILE\` (wall time of"
  echo "both); **dd** is the disk alone, \`dd bs=256K conv=fdatasync\` copying the page-cached file to the same disk."
  echo "Ratios are reference time ÷ P2PShare time (1.00 = as fast), for P2PShare's wall and transfer times."
  echo
  echo "| file | P2PShare wall / transfer s | nginx+curl+sync s | dd fdatasync s (MB/s) | ÷ nginx+curl+sync, wall / transfer | ÷ dd, wall / transfer |"
  echo "|---|---|---|---|---|---|"
  for name in small.bin big.bin; do
    b=${bytes[$name]}
    ps=$(med "${p2p_wall[$name]}") pt=$(minus "$(med "${p2p_xfer[$name]}")" "$p2p_base")
    ss=$(med "${sync_wall[$name]}") ds=$(med "${dd_wall[$name]}")
    echo "| $((b / 1048576)) MiB | $ps / $pt | $ss | $ds ($(rate_mb "$b" "$ds")) | **$(ratio "$ss" "$ps") / $(ratio "$ss" "$pt")** | **$(ratio "$ds" "$ps") / $(ratio "$ds" "$pt")** |"
  done
  echo
  echo "Peak RSS of the two P2PShare peers during a download (highest of the $runs runs): the downloader is the"
  echo "\`peer download\` process (\`/usr/bin/time -f %M\`), the seeder is the daemon's VmHWM, reset (clear_refs 5)"
  echo "before each download, so it counts serving and not the daemon's start-up hashing."
  echo
  echo "| file | seeder peak RSS MiB | downloader peak RSS MiB |"
  echo "|---|---|---|"
  for name in small.bin big.bin; do
    echo "| $((bytes[$name] / 1048576)) MiB | $(mib "${seed_kib[$name]}") | $(mib "${dl_kib[$name]}") |"
  done
  echo
  echo "Goals: P2PShare ≥ 0.60 of nginx+curl, ≥ 0.8 of nginx+curl+sync and ≥ 0.9 of dd's durable write (1 GiB);"
  echo "each peer under 150 MB and flat in the file size."
  echo "Versions: $nginx_version, $curl_version, P2PShare $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
} > "$out"
cat "$out"
