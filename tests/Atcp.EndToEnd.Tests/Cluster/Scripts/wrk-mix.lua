-- wrk script for the cluster load test: each connection cycles through the paths given after
-- "--" (path:length pairs), counts replies by status and checks each body's length against the
-- lengths of the mix, and done() prints one JSON line with wrk's totals and these counts.
--   wrk -t2 -c50 -d10s -s wrk-mix.lua http://198.18.0.1 -- /a.bin:100 /b.bin:1460 ...

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  paths, lengths = {}, {}
  for _, arg in ipairs(args) do
    local path, length = arg:match("^(.*):(%d+)$")
    table.insert(paths, path)
    lengths[tonumber(length)] = true
  end
  -- Each thread starts at another place in the mix.
  next_path = (id or 0) % #paths
  ok, not_ok, bad_length = 0, 0, 0
  statuses = {}
end

function request()
  next_path = next_path % #paths + 1
  return wrk.format("GET", paths[next_path])
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else not_ok = not_ok + 1 end
  statuses[status] = (statuses[status] or 0) + 1
  if not lengths[#(body or "")] then bad_length = bad_length + 1 end
end

function done(summary, latency, requests)
  local total_ok, total_not_ok, total_bad_length, by_status = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_not_ok = total_not_ok + thread:get("not_ok")
    total_bad_length = total_bad_length + thread:get("bad_length")
    for status, count in pairs(thread:get("statuses")) do by_status[status] = (by_status[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(by_status) do table.insert(parts, string.format('"%d":%d', status, count)) end
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,"write_errors":%d,' ..
    '"status_errors":%d,"timeouts":%d,"ok":%d,"not_ok":%d,"bad_length":%d,"latency_p50_us":%d,"latency_p99_us":%d,"latency_max_us":%d,"statuses":{%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    total_ok, total_not_ok, total_bad_length, latency:percentile(50), latency:percentile(99), latency.max, table.concat(parts, ",")))
end
