#!/usr/bin/env bash
# Row 5: the same command (join + leave, one participant) on a fresh room and on a room with
# HEAVY past events (a room reused every day), alternated, sequential, one client.
# Row 7: command accepted -> join check reflecting it on the same node: POST /v1/rooms/{name}
# (privacy flip) then POST /v1/join-checks with its X-Consistency-Token; embedded H2.
#
#   bench/run-history.sh                      # HEAVY=100000 SAMPLES=200
#   HEAVY=100000 SAMPLES=300 WARMUP=20 MAX_SECONDS=300 PROFILE=1 bench/run-history.sh
#   FRESH=new bench/run-history.sh            # the floor: a room created just before each sample
# Sampling stops after MAX_SECONDS (the heavy room may take seconds per command); n is printed.
# FRESH=bench-room-0 (the default) is one room that gathers 2 events a sample, so late samples
# of the floor load a few hundred events too; FRESH=new measures against a one-event room.
# The app's snapshot threshold: APP_JAVA_OPTS=-Droomgate.snapshots.threshold=N.
source "$(dirname "$0")/lib.sh"
HEAVY="${HEAVY:-100000}"; SAMPLES="${SAMPLES:-200}"
ensure_built
D=$(fresh_dir history)
trap 'stop_app "$D"' EXIT
machine
# 1,000 ordinary rooms + bench-heavy with HEAVY events (RoomCreated + join/leave pairs); the
# view's rows are written directly and its processor starts at the head (only commands are measured)
tool io.roomgate.bench.tools.GenerateEvents --dir "$D" --rooms 1000 --heavy-events "$HEAVY" --view direct 2>&1 | grep -v ' INFO '
start_app "$D"
[[ "${PROFILE:-1}" == 1 ]] && jfr_start "$D" history
HIST=$(tool io.roomgate.bench.tools.Commands history --port "$PORT" --samples "$SAMPLES" --warmup "${WARMUP:-20}" \
    --max-seconds "${MAX_SECONDS:-300}" --fresh "${FRESH:-bench-room-0}" --heavy bench-heavy)
echo "$HIST"
if [[ "${PROFILE:-1}" == 1 ]]; then
  jfr_stop "$D" history 30 http-nio "io.roomgate,org.h2,org.axonframework,org.hibernate,com.fasterxml"
fi
CONS=$(tool io.roomgate.bench.tools.Commands consistency --port "$PORT" --samples "${CONS_SAMPLES:-300}" --room bench-room-2)
echo "$CONS"
echo
echo "ROW 5  join+leave latency: fresh room (${FRESH:-bench-room-0}) vs a room with $HEAVY past events (embedded H2, sequential)"
echo "$HIST" | grep RESULT | sed 's/^RESULT /  /'
echo "$HIST" | grep 'RESULT fresh' | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
  END { printf "  p50 ratio %.2f, p99 ratio %.2f (target <= 1.50: %s)\n", v["ratio_p50"], v["ratio_p99"], (v["ratio_p99"] <= 1.5 && v["ratio_p50"] <= 1.5 ? "met" : "MISSED") }'
echo "ROW 7  command accepted -> join check reflecting it (consistency token), same node, embedded H2"
echo "$CONS" | grep RESULT | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
  END { printf "  p50 %.1f ms, p99 %.1f ms (target p99 <= 50 ms: %s); stale or failed answers: %d\n", v["total_p50_ms"], v["total_p99_ms"], (v["total_p99_ms"] <= 50 ? "met" : "MISSED"), v["stale_or_failed"] }'
