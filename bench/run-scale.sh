#!/usr/bin/env bash
# Row 6: join-check p99 with SMALL rooms (floor) vs BIG rooms and BIG*(1+3*CYCLES) events
# (subject): two app instances side by side (ports PORT and PORT+1), wrk rounds interleaved.
# Row 8: the heap of the instance holding BIG rooms' views (after a full GC), next to the
# SMALL one.
#
#   bench/run-scale.sh                        # SMALL=1000 BIG=1000000 CYCLES=3 (10,000,000 events)
#   BIG=300000 CYCLES=3 ROUNDS=3 DURATION=20 bench/run-scale.sh
#   REUSE=1 ROUNDS=5 bench/run-scale.sh         # again on the previous run's stores (no generation)
#   REUSE=1 PROFILE=1 bench/run-scale.sh        # and a JFR round of each instance after the figures
#   APP_JAVA_OPTS='-Dspring.datasource.url=jdbc:h2:file:./data/roomgate;CACHE_SIZE=262144' ...   # H2's page cache in KB
#
# Data: the generator (--bulk-sql: H2 INSERT ... SELECT from the real serializer's JSON templates) writes
# the events (RoomCreated + CYCLES x (TokenIssued, ParticipantJoined,
# ParticipantLeft) per room), the command lookups and the view's rows directly, and sets the
# view's processor at the head: only the read path is measured, not a 10M-event replay (row 4).
# Tokens: 20,000 per instance, signed locally with the demo key (valid self-signed tokens).
source "$(dirname "$0")/lib.sh"
SMALL="${SMALL:-1000}"; BIG="${BIG:-1000000}"; CYCLES="${CYCLES:-3}"; ROUNDS="${ROUNDS:-3}"; DURATION="${DURATION:-20}"
CONNS="${CONNS:-32}"; THREADS="${WRK_THREADS:-2}"
ensure_wrk; ensure_built
P_SMALL=$PORT; P_BIG=$((PORT + 1))
if [[ "${REUSE:-0}" == 1 && -d "$RUNS/scale-small/data" && -d "$RUNS/scale-big/data" ]]; then
  # REUSE=1: the stores of the previous run (same SMALL/BIG/CYCLES; the join checks write nothing)
  DS="$RUNS/scale-small"; DB="$RUNS/scale-big"
  trap 'PORT=$P_SMALL; stop_app "$DS"; PORT=$P_BIG; stop_app "$DB"' EXIT
  machine
  echo "reusing the stores of the previous run: $DS, $DB"
else
  DS=$(fresh_dir scale-small); DB=$(fresh_dir scale-big)
  trap 'PORT=$P_SMALL; stop_app "$DS"; PORT=$P_BIG; stop_app "$DB"' EXIT
  machine
  tool io.roomgate.bench.tools.GenerateEvents --dir "$DS" --rooms "$SMALL" --cycles "$CYCLES" --bulk-sql true 2>&1 | grep -v ' INFO '
  tool io.roomgate.bench.tools.GenerateEvents --dir "$DB" --rooms "$BIG" --cycles "$CYCLES" --bulk-sql true 2>&1 | grep -v ' INFO '
fi
du -sh "$DS/data" "$DB/data"
for side in small big; do
  if [[ $side == small ]]; then PORT=$P_SMALL; d=$DS; n=$SMALL; else PORT=$P_BIG; d=$DB; n=$BIG; fi
  BASE="http://127.0.0.1:$PORT"
  start_app "$d"
  tool io.roomgate.bench.tools.Seed tokens --count 20000 --rooms "$n" --via key --out "$d/tokens.tsv"
  head -5 "$d/tokens.tsv" | while IFS=$'\t' read -r room token; do
    r=$(curl -s -XPOST "$BASE/v1/join-checks" -H "$JOIN" -H "$CT" -d "{\"room_name\":\"$room\",\"token\":\"$token\"}")
    [[ "$r" == *'"valid-token"'* ]] || { echo "sanity check failed on $side: $r" >&2; exit 1; }
  done
  wrk_run "warm-$side" -t"$THREADS" -c"$CONNS" -d10s -s "$BENCH_DIR/wrk/join-check.lua" "$BASE" -- "$d/tokens.tsv" >/dev/null
done
: >"$DB/results.txt"
for r in $(seq 1 "$ROUNDS"); do
  wrk_run "small-$r" -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "http://127.0.0.1:$P_SMALL" -- "$DS/tokens.tsv" >>"$DB/results.txt"
  wrk_run "big-$r" -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "http://127.0.0.1:$P_BIG" -- "$DB/tokens.tsv" >>"$DB/results.txt"
done
cat "$DB/results.txt"
val() { grep "^$1" "$DB/results.txt" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p" | median; }
heap() {
  local pid; pid=$(app_pid "$1")
  jcmd "$pid" GC.run >/dev/null; sleep 2; jcmd "$pid" GC.run >/dev/null
  jcmd "$pid" GC.heap_info | awk '/garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i+1); sub(/K,?/, "", v); printf "%.0f", v / 1024 } }'
}
H_SMALL=$(heap "$DS"); H_BIG=$(heap "$DB")
jcmd "$(app_pid "$DB")" GC.class_histogram | head -15 >"$DB/histogram.txt"
EVB=$(( BIG * (1 + 3 * CYCLES) )); EVS=$(( SMALL * (1 + 3 * CYCLES) ))
echo
echo "ROW 6  join-check latency vs data size, wrk -t$THREADS -c$CONNS, ${ROUNDS}x${DURATION}s interleaved (medians)"
printf '  %-44s %10s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms"
printf '  %-44s %10.0f %10.2f %10.2f\n' "floor: $SMALL rooms, $EVS events" "$(val small rps)" "$(val small p50_ms)" "$(val small p99_ms)"
printf '  %-44s %10.0f %10.2f %10.2f\n' "subject: $BIG rooms, $EVB events" "$(val big rps)" "$(val big p50_ms)" "$(val big p99_ms)"
awk -v a="$(val big p99_ms)" -v b="$(val small p99_ms)" 'BEGIN { printf "  p99 ratio %.2f (target <= 1.50: %s)\n", a/b, (a/b <= 1.5 ? "met" : "MISSED") }'
echo "ROW 8  heap used after full GC: $H_BIG MiB with $BIG rooms' views ($H_SMALL MiB with $SMALL rooms); target <= 1024 MiB: $( (( H_BIG <= 1024 )) && echo met || echo MISSED )"
echo "  top of the class histogram (big): $DB/histogram.txt"
head -8 "$DB/histogram.txt" | sed 's/^/    /'
if [[ "${PROFILE:-0}" == 1 ]]; then
  # where the big instance's request threads spend a round, beside the small one's (H2's page reads show the store's size)
  for side in small big; do
    if [[ $side == small ]]; then PORT=$P_SMALL; d=$DS; else PORT=$P_BIG; d=$DB; fi
    log "profiling one more $side round with JFR (not part of the figures)"
    jfr_start "$d" "join-check-$side"
    wrk_run "profile-$side" -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "http://127.0.0.1:$PORT" -- "$d/tokens.tsv" >/dev/null 2>&1
    echo "JFR of the $side instance:"
    jfr_stop "$d" "join-check-$side" 25 http-nio "io.roomgate,org.h2.mvstore.MVMap.readPage,org.h2.mvstore.FileStore,org.h2.mvstore.MVStore.readPage,org.h2.mvstore.cache,org.h2.command.Command.executeQuery" | sed -n '/^-- total/,$p'
  done
fi
