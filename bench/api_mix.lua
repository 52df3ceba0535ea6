-- The requests of bench/api.sh, for wrk. bench/api.sh puts before this the tables the
-- requests draw from (event_ids, article_ids, actors, since, words). KIND (environment)
-- names one kind of request to send alone; empty sends the mix, by the weights below.

local kinds = {
  -- name, weight, path maker
  {"events", 20, function() return "/api/events" end},
  {"events_root", 10, function() return string.format("/api/events?root=%02d", math.random(1, 20)) end},
  {"events_actor", 10, function() return "/api/events?actor=" .. pick(actors) end},
  {"events_since", 10, function() return "/api/events?since=" .. pick(since) end},
  {"event", 15, function() return "/api/events/" .. pick(event_ids) end},
  {"article", 10, function() return "/api/articles/" .. pick(article_ids) end},
  {"search", 10, function() return "/api/search?q=" .. pick(words) end},
  {"timeline", 6, function() return "/api/timeline" end},
  {"map", 4, function() return "/api/map" end},
  {"network", 3, function() return "/api/network" end},
  {"stats", 2, function() return "/api/stats" end},
}

function pick(values)
  return values[math.random(1, #values)]
end

local chosen = {}
local only = os.getenv("KIND") or ""
for _, kind in ipairs(kinds) do
  if only == "" or only == kind[1] then
    for _ = 1, kind[2] do
      chosen[#chosen + 1] = kind[3]
    end
  end
end
assert(#chosen > 0, "no request kind named " .. only)

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 7 + (seed or 0))
end

function request()
  return wrk.format("GET", chosen[math.random(1, #chosen)]())
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.1f, "requests_per_s": %.1f, "p50_ms": %.2f, "p90_ms": %.2f, ' ..
    '"p99_ms": %.2f, "max_ms": %.2f, "non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
