-- wrk script for opentracker (bench/tracker.sh): BitTorrent HTTP announces for the same files, from a pool of
-- 1000 peers (distinct ports on 127.0.0.1), asking for TRACKER_BENCH_NUMWANT peers in compact form.
local data = dofile(os.getenv("TRACKER_BENCH_DATA"))
local numwant = os.getenv("TRACKER_BENCH_NUMWANT") or "20"
local pool = 1000

function init(args)
  math.randomseed(math.floor(os.clock() * 1000000) + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  local peer = math.random(pool)
  local path = "/announce?info_hash=" .. data.info_hashes[math.random(#data.info_hashes)]
    .. "&peer_id=" .. string.format("-BE0001-%012d", peer)
    .. "&port=" .. (30000 + peer)
    .. "&uploaded=0&downloaded=0&left=0&compact=1&numwant=" .. numwant
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d failed=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status + errors.timeout + errors.connect, errors.read + errors.write))
end
