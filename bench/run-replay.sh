#!/usr/bin/env bash
# Row 4: full replay of the join-eligibility view from EVENTS events, against the floor: a raw
# sequential JDBC scan of domain_event_entry (every column) on the same H2 file.
#
#   bench/run-replay.sh                       # EVENTS=1000000
#   EVENTS=300000 PROFILE=1 bench/run-replay.sh
#
# Events: EVENTS/10 rooms, each RoomCreated + 3 x (TokenIssued, ParticipantJoined,
# ParticipantLeft), serialized as the app serializes them, then one marker room.
# Replay A (always): the app starts on that store with no processor tokens, so the pooled
#   processor of the view applies every event from the first (what Axon's resetTokens replay does,
#   without the reset handler: the view starts empty). Timed from the log line where the
#   processor claims its segments to the moment a join check sees the marker room (polled every 0.2 s).
# Replay B (when the app has it): POST /v1/admin/projections/join-eligibility/replay, polled on
#   GET .../status until done; the rate is the status's events_per_second.
source "$(dirname "$0")/lib.sh"
EVENTS="${EVENTS:-1000000}"
ROOMS=$(( EVENTS / 10 ))
ensure_built
D=$(fresh_dir replay)
trap 'stop_app "$D"' EXIT
machine
tool io.roomgate.bench.tools.GenerateEvents --dir "$D" --rooms "$ROOMS" --cycles 3 --marker bench-replay-end 2>&1 | grep -v ' INFO '
FLOOR=$(tool io.roomgate.bench.tools.Floors scan --dir "$D" 2>/dev/null | grep RESULT)
echo "$FLOOR"
F=$(echo "$FLOOR" | grep 'round=1' | sed -n 's/.*floor_scan_rows_per_s=\([0-9.]*\).*/\1/p')
N=$(echo "$FLOOR" | grep 'round=1' | sed -n 's/.* rows=\([0-9]*\).*/\1/p')

if [[ "${PROFILE:-1}" == 1 ]]; then
  cpu_jfc "$D/cpu.jfc"
  APP_JAVA_OPTS="${APP_JAVA_OPTS:-} -XX:StartFlightRecording=name=replay,filename=$D/replay.jfr,settings=$D/cpu.jfc"
fi
start_app "$D"
wait_marker bench-replay-end "${REPLAY_TIMEOUT:-3600}"
T_END=$(date -u +%s.%N)
T_CLAIM=$(grep -m1 'claimed 2 new segments\|claimed the token for segment' "$D/app.log" | cut -d' ' -f1)
T_START=$(date -u -d "$T_CLAIM" +%s.%N)
SECS=$(awk -v a="$T_END" -v b="$T_START" 'BEGIN { printf "%.1f", a - b }')
S=$(awk -v n="$N" -v s="$SECS" 'BEGIN { printf "%.1f", n / s }')
log "replay A: $N events applied in $SECS s ($S events/s)"
if [[ "${PROFILE:-1}" == 1 ]]; then
  jcmd "$(app_pid "$D")" JFR.dump name=replay filename="$D/replay.jfr" >/dev/null
  jcmd "$(app_pid "$D")" JFR.stop name=replay >/dev/null || true
  tool io.roomgate.bench.tools.JfrTop "$D/replay.jfr" --top 30 --thread eligibility \
      --match "io.roomgate,org.h2,org.axonframework,org.hibernate,org.springframework.jdbc,org.springframework.orm,com.zaxxer,com.fasterxml"
fi

B=""
code=$(curl -s -o "$D/replay-start.json" -w '%{http_code}' -XPOST "$BASE/v1/admin/projections/join-eligibility/replay" -H "$ADMIN")
if [[ "$code" == 202 ]]; then
  log "replay B: the app's rebuild endpoint"
  [[ "${PROFILE:-1}" == 1 ]] && jfr_start "$D" rebuild
  t0=$SECONDS
  while true; do
    st=$(curl -s "$BASE/v1/admin/projections/join-eligibility/status" -H "$ADMIN")
    [[ "$st" == *'"state":"done"'* || "$st" == *'"state":"failed"'* ]] && break
    (( SECONDS - t0 > ${REPLAY_TIMEOUT:-3600} )) && break
    sleep 1
  done
  echo "status: $st"
  if [[ "${PROFILE:-1}" == 1 ]]; then
    jfr_stop "$D" rebuild 30 "" "io.roomgate,org.h2,org.axonframework,org.springframework.jdbc,com.zaxxer,com.fasterxml"
  fi
  B=$(echo "$st" | sed -n 's/.*"events_per_second":\([0-9.]*\).*/\1/p')
else
  log "no replay endpoint in this build (HTTP $code): replay B not measured"
fi

echo
echo "ROW 4  replay of the join-eligibility view, $N events, embedded H2 file"
printf '  %-66s %10.0f events/s\n' "floor: raw sequential JDBC scan of domain_event_entry (warm)" "$F"
printf '  %-66s %10.0f events/s  ratio %.3f (target >= 0.20: %s)\n' "subject A: processor from an empty token ($SECS s)" "$S" \
  "$(awk -v s="$S" -v f="$F" 'BEGIN { print s/f }')" "$(awk -v s="$S" -v f="$F" 'BEGIN { print (s/f >= 0.2 ? "met" : "MISSED") }')"
if [[ -n "$B" ]]; then
  printf '  %-66s %10.0f events/s  ratio %.3f\n' "subject B: POST /v1/admin/projections/join-eligibility/replay" "$B" "$(awk -v s="$B" -v f="$F" 'BEGIN { print s/f }')"
fi
