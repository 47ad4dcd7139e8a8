-- Row 1 subject: POST /v1/join-checks, each request with the next token of a pre-issued pool
-- (a file of "room_name<TAB>token" lines), round-robin; each wrk thread starts at its own offset.
-- wrk -s join-check.lua http://127.0.0.1:PORT -- tokens.tsv [consistency]
-- consistency: absent or "full" (no header: the default level), or "minimize-latency" (sent as X-Consistency)
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local bodies = {}
local n = 0
local i = 0
local headers = { ["Authorization"] = "Bearer demo-join-key", ["Content-Type"] = "application/json" }

function init(args)
  if args[2] and args[2] ~= "full" then headers["X-Consistency"] = args[2] end
  for line in io.lines(args[1]) do
    local room, token = line:match("^([^\t]+)\t(.+)$")
    if room then
      n = n + 1
      bodies[n] = '{"room_name":"' .. room .. '","token":"' .. token .. '"}'
    end
  end
  if n == 0 then error("no tokens in " .. tostring(args[1])) end
  i = ((tid or 0) * math.floor(n / 2)) % n
end

function request()
  i = i + 1
  if i > n then i = 1 end
  return wrk.format("POST", "/v1/join-checks", headers, bodies[i])
end

function done(summary, latency, requests) report(summary, latency) end
