-- Shared by the wrk scripts: one parseable line at the end of a run.
-- RESULT rps=<requests/s> p50_ms=<> p99_ms=<> errors=<non-2xx + socket errors>
function report(summary, latency)
  local e = summary.errors
  local errors = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, errors))
end
