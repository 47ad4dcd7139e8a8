#!/usr/bin/env bash
# Row 1: POST /v1/join-checks (fresh pre-issued token per request, ROOMS rooms in the view)
# against a trivial GET on the same server, both with wrk at 32 connections, interleaved.
#
#   bench/run-http.sh                      # defaults below
#   ROOMS=100000 TOKENS=20000 ROUNDS=3 DURATION=20 SEED=events TOKEN_VIA=mixed PROFILE=1 bench/run-http.sh
#
# SEED=events  writes ROOMS RoomCreated events (+ live_room rows) into the stopped app's store with
#              the bench generator, then starts the app and waits until its projection has built
#              the view from them (fast: 100k rooms in about a minute).
# SEED=api     creates the rooms with POST /v1/rooms, 8 in parallel, capped at SEED_SECONDS.
# TOKEN_VIA=mixed (default) issues tokens with POST /v1/meeting-tokens for up to TOKEN_SECONDS
#              (120) and signs the rest of TOKENS locally with the demo key and domain (valid
#              self-signed tokens, SPEC §1; same verification path); =api only the API; =key only local.
source "$(dirname "$0")/lib.sh"

ROOMS="${ROOMS:-100000}"; TOKENS="${TOKENS:-20000}"; ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-20}"
CONNS="${CONNS:-32}"; THREADS="${WRK_THREADS:-2}"; SEED="${SEED:-events}"; TOKEN_VIA="${TOKEN_VIA:-mixed}"
ensure_wrk; ensure_built
D=$(fresh_dir http)
trap 'stop_app "$D"' EXIT
machine

if [[ "$SEED" == events ]]; then
  tool io.roomgate.bench.tools.GenerateEvents --dir "$D" --rooms "$ROOMS" --marker bench-marker
  start_app "$D"
  t0=$SECONDS; wait_marker bench-marker; log "view built from $ROOMS RoomCreated events in $((SECONDS - t0)) s after start"
  SEEDED=$ROOMS
else
  start_app "$D"
  out=$(tool io.roomgate.bench.tools.Seed rooms --port "$PORT" --count "$ROOMS" --seconds "${SEED_SECONDS:-300}")
  echo "$out"
  SEEDED=$(echo "$out" | sed -n 's/.*SEED rooms=\([0-9]*\).*/\1/p')
fi
out=$(tool io.roomgate.bench.tools.Seed tokens --port "$PORT" --count "$TOKENS" --rooms "$SEEDED" --via "$TOKEN_VIA" \
    --out "$D/tokens.tsv" --seconds "${TOKEN_SECONDS:-120}")
echo "$out"
TOKEN_SPLIT=$(echo "$out" | sed -n 's/.*(\([0-9]* issued\).*, \([0-9]* signed\).*/\1 via API, \2 locally/p')
LIVE=$(curl -s "$BASE/v1/rooms?limit=1" -H "$ADMIN" | sed -n 's/.*"total_count":\([0-9]*\).*/\1/p')
log "rooms in the view: $LIVE; tokens: $(wc -l <"$D/tokens.tsv")"
# every token must be a real allow/valid-token, or the subject measures refusals
head -20 "$D/tokens.tsv" | while IFS=$'\t' read -r room token; do
  r=$(curl -s -XPOST "$BASE/v1/join-checks" -H "$JOIN" -H "$CT" -d "{\"room_name\":\"$room\",\"token\":\"$token\"}")
  [[ "$r" == *'"valid-token"'* ]] || { echo "sanity check failed: $r" >&2; exit 1; }
done

FLOOR_URL="$BASE/actuator/health/liveness"
log "warm-up"
wrk_run warm-floor -t"$THREADS" -c"$CONNS" -d10s --latency -s "$BENCH_DIR/wrk/floor-get.lua" "$FLOOR_URL" >/dev/null
wrk_run warm-subject -t"$THREADS" -c"$CONNS" -d10s --latency -s "$BENCH_DIR/wrk/join-check.lua" "$BASE" -- "$D/tokens.tsv" >/dev/null
: >"$D/results.txt"
for r in $(seq 1 "$ROUNDS"); do
  wrk_run "floor-$r" -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/floor-get.lua" "$FLOOR_URL" >>"$D/results.txt"
  wrk_run "subject-$r" -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "$BASE" -- "$D/tokens.tsv" >>"$D/results.txt"
done
cat "$D/results.txt"
val() { grep "^$1" "$D/results.txt" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p" | median; }
F_RPS=$(val floor rps); S_RPS=$(val subject rps); F_P99=$(val floor p99_ms); S_P99=$(val subject p99_ms)
F_P50=$(val floor p50_ms); S_P50=$(val subject p50_ms)
ERR=$(grep '^subject' "$D/results.txt" | sed -n 's/.*errors=\([0-9]*\).*/\1/p' | paste -sd+ | bc)
echo
echo "ROW 1  HTTP join check, $LIVE rooms in the view, $(wc -l <"$D/tokens.tsv") tokens ($TOKEN_SPLIT) round-robin, wrk -t$THREADS -c$CONNS, ${ROUNDS}x${DURATION}s interleaved (medians)"
printf '  %-34s %10s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms"
printf '  %-34s %10.0f %10.2f %10.2f\n' "floor: GET /actuator/health/liveness" "$F_RPS" "$F_P50" "$F_P99"
printf '  %-34s %10.0f %10.2f %10.2f   (errors: %s)\n' "subject: POST /v1/join-checks" "$S_RPS" "$S_P50" "$S_P99" "$ERR"
awk -v a="$S_RPS" -v b="$F_RPS" -v c="$S_P99" -v d="$F_P99" 'BEGIN {
  printf "  throughput ratio %.2f (target >= 0.80: %s)   p99 ratio %.2f (target <= 2.00: %s)\n",
    a/b, (a/b >= 0.8 ? "met" : "MISSED"), c/d, (c/d <= 2 ? "met" : "MISSED") }'

if [[ "${PROFILE:-1}" == 1 ]]; then
  log "profiling one more subject round with JFR (not part of the figures above)"
  jfr_start "$D" join-check
  wrk_run profile -t"$THREADS" -c"$CONNS" -d"${DURATION}s" -s "$BENCH_DIR/wrk/join-check.lua" "$BASE" -- "$D/tokens.tsv" >/dev/null
  jfr_stop "$D" join-check 30 http-nio
fi
