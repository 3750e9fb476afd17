-- wrk script for the P2PShare tracker (bench/tracker.sh).
-- TRACKER_BENCH_DATA: data.lua written by `p2pshare-bench tracker-prepare`.
-- TRACKER_BENCH_MODE: mix (register challenge, heartbeat, GET /api/files/{hash}/peers in turn) | register | heartbeat | peers.
-- "register" asks for a registration challenge: a proved registration needs a live single-use nonce, which a
-- replayed request cannot carry.
-- TRACKER_BENCH_CLOSE=1: send Connection: close, so every request pays for a new TCP connection.
local data = dofile(os.getenv("TRACKER_BENCH_DATA"))
local mode = os.getenv("TRACKER_BENCH_MODE") or "mix"
local close = os.getenv("TRACKER_BENCH_CLOSE") == "1"
local operations = { "register", "heartbeat", "peers" }
local counter = 0

function init(args)
  math.randomseed(math.floor(os.clock() * 1000000) + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  counter = counter + 1
  local op = mode
  if mode == "mix" then
    op = operations[counter % 3 + 1]
  end

  local headers = {}
  if close then
    headers["Connection"] = "close"
  end

  if op == "register" then
    return wrk.format("POST", "/api/peers/register/challenge", headers)
  elseif op == "heartbeat" then
    local peer = data.heartbeat[math.random(#data.heartbeat)]
    headers["Content-Type"] = "application/json"
    headers["X-Peer-Token"] = peer.token
    return wrk.format("POST", "/api/peers/heartbeat", headers, '{"peer_id":"' .. peer.id .. '"}')
  else
    return wrk.format("GET", "/api/files/" .. data.hashes[math.random(#data.hashes)] .. "/peers", headers)
  end
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d failed=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status + errors.timeout + errors.connect, errors.read + errors.write))
end
