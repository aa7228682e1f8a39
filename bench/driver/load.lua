-- wrk script of `make bench` (bench/driver/load.py writes its settings into the environment).
--
-- One script for every gateway and both modes, so that all are loaded and checked alike:
--   BENCH_BODY            the request body (bench/federation/body.json)
--   BENCH_MODE            identical | unique
--   BENCH_TOKENS          unique mode, our gateway: a file of signed tokens, one a line; request i
--                         sends `Authorization: Bearer <line i>` (each token is used once; when the
--                         file runs out, requests reuse tokens and `tokens_short` counts them, which
--                         fails the mode)
--   BENCH_UNIQUE_PREFIX   unique mode, the peers: `Authorization: Bearer <prefix><n>-<random>`, a
--                         header they ignore but that no two requests share
--   BENCH_EXPECTED_BYTES  the length of this gateway's verified cold answer; every answer of
--                         another length, or with a status outside 200-299, is counted
--   BENCH_SAMPLES         a folder: every BENCH_SAMPLE_EVERY-th answer (the first included, at most
--                         BENCH_SAMPLE_MAX) is written there for the driver to compare in full
-- done() prints one RESULT line that bench/driver/results.py parses.

local function read_file(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

local body = read_file(os.getenv("BENCH_BODY"))
local mode = os.getenv("BENCH_MODE") or "identical"
local tokens_path = os.getenv("BENCH_TOKENS") or ""
local unique_prefix = os.getenv("BENCH_UNIQUE_PREFIX") or ""
local expected_bytes = tonumber(os.getenv("BENCH_EXPECTED_BYTES") or "0")
local samples_dir = os.getenv("BENCH_SAMPLES") or ""
local sample_every = tonumber(os.getenv("BENCH_SAMPLE_EVERY") or "0")
local sample_max = tonumber(os.getenv("BENCH_SAMPLE_MAX") or "0")

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"

-- Counters per thread (each thread runs this file in a Lua state of its own, as globals that
-- done(), in the main state, reads with thread:get); thread_id is set by setup().
answers, non_2xx, wrong_length, sampled, tokens_short, thread_id = 0, 0, 0, 0, 0, 0

local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

if mode == "unique" then
  local tokens = {}
  if tokens_path ~= "" then
    for line in io.lines(tokens_path) do
      tokens[#tokens + 1] = line
    end
  end
  local sent = 0
  request = function()
    sent = sent + 1
    local authorization
    if #tokens > 0 then
      if sent > #tokens then
        tokens_short = tokens_short + 1
      end
      authorization = "Bearer " .. tokens[(sent - 1) % #tokens + 1]
    else
      authorization = string.format("Bearer %s%d-%d", unique_prefix, sent, math.random(1, 1e9))
    end
    -- wrk.format uses these headers instead of wrk.headers (it adds Host and Content-Length).
    return wrk.format(nil, nil, {
      ["Content-Type"] = "application/json",
      ["Authorization"] = authorization,
    }, body)
  end
end

response = function(status, headers, answer)
  answers = answers + 1
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
  if #answer ~= expected_bytes then
    wrong_length = wrong_length + 1
  end
  if samples_dir ~= "" and sampled < sample_max and (answers - 1) % sample_every == 0 then
    sampled = sampled + 1
    local f = io.open(string.format("%s/%d-%d.json", samples_dir, thread_id, sampled), "wb")
    if f then
      f:write(answer)
      f:close()
    end
  end
end

done = function(summary, latency, requests)
  local totals = { answers = 0, non_2xx = 0, wrong_length = 0, sampled = 0, tokens_short = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  io.write(string.format(
    "RESULT rps=%.1f p50=%.2fms p95=%.2fms p99=%.2fms requests=%d " ..
    "errors(status)=%d errors(connect/read/write/timeout)=%d/%d/%d/%d " ..
    "answers=%d non_2xx=%d wrong_length=%d samples=%d tokens_short=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout,
    totals.answers, totals.non_2xx, totals.wrong_length, totals.sampled, totals.tokens_short))
end
