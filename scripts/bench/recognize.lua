-- wrk script for scripts/bench-serve.sh: POSTs one JPEG to /api/v1/recognize and counts the
-- answers by status (200 and 503 are expected; anything else is a failure).
local image_path = os.getenv("FACETAG_BENCH_IMAGE")
local f = assert(io.open(image_path, "rb"))
local image = f:read("*all")
f:close()

wrk.method = "POST"
wrk.path = "/api/v1/recognize"
wrk.body = image
wrk.headers["Content-Type"] = "image/jpeg"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for code, n in pairs(s) do total[code] = (total[code] or 0) + n end
  end
  local other = 0
  for code, n in pairs(total) do
    io.write(string.format("status %d: %d\n", code, n))
    if code ~= 200 and code ~= 503 then other = other + n end
  end
  local ok = total[200] or 0
  io.write(string.format("answered_recognitions_per_s %.1f\n", ok / (summary.duration / 1e6)))
  io.write(string.format("p50_ms %.1f\np99_ms %.1f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("errors connect %d read %d write %d timeout %d status_other %d\n", summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, other))
end
