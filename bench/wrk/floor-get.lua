-- Row 1 floor: a trivial GET on the same server (Actuator liveness probe).
-- wrk -s floor-get.lua http://127.0.0.1:PORT/actuator/health/liveness
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "report.lua")
function done(summary, latency, requests) report(summary, latency) end
