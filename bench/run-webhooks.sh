#!/usr/bin/env bash
# Row W: join checks while webhooks hang on a receiver that never answers (issue 10).
#
#   bench/run-webhooks.sh
#   ROOMS=1000 TOKENS=5000 HOOKS=3 ROUNDS=6 DURATION=15 WARM=3 STREAM_THREADS=2 bench/run-webhooks.sh
#
# Floor and subject both run the same stream of knocking stories (Webhooks stream: create a
# private room with knocking, owner joins, guest knocks, is approved, joins, both leave, room
# deleted) next to wrk's join checks (POST /v1/join-checks, a different pre-signed token per
# request, as row 1). The subject adds HOOKS webhooks subscribed to every event type, all aimed
# at a receiver that accepts the connection and never answers (Webhooks silent): every delivery
# hangs until the dispatcher's timeout. Rounds are interleaved, floor first in odd rounds and
# subject first in even ones (F S S F F S S F ...): a steady drift (the app still warming up, the
# neighbours' load changing) then cancels out in each pair of rounds, whose ratio is the geometric
# mean of its two rounds' ratios. The webhooks are registered before each subject
# round; after it, unmeasured, the script waits until every one of them is marked failing, prints
# their state, last error and deliveries, deletes them and waits 2 x timeout so that no cut-off
# request is left over for the next floor round.
# The app runs with the shipped webhook settings (timeout 5 s, 8 attempts, backoff from 1 s) plus
# the development-only allow-http and allow-private-addresses, given on the command line, so it
# may call the receiver on 127.0.0.1.
source "$(dirname "$0")/lib.sh"

ROOMS="${ROOMS:-1000}"; TOKENS="${TOKENS:-5000}"; HOOKS="${HOOKS:-3}"; ROUNDS="${ROUNDS:-6}"; DURATION="${DURATION:-15}"
CONNS="${CONNS:-32}"; THREADS="${WRK_THREADS:-2}"; STREAM_THREADS="${STREAM_THREADS:-2}"
SILENT_PORT="${SILENT_PORT:-$((PORT + 10))}"; HOOK_TIMEOUT_S=5
ensure_wrk; ensure_built
D=$(fresh_dir webhooks)
SILENT_PID=
trap 'stop_app "$D"; [[ -n "$SILENT_PID" ]] && kill "$SILENT_PID" 2>/dev/null; true' EXIT
machine

tool io.roomgate.bench.tools.GenerateEvents --dir "$D" --rooms "$ROOMS" --marker bench-marker
start_app "$D" --roomgate.webhooks.allow-http=true --roomgate.webhooks.allow-private-addresses=true
wait_marker bench-marker
tool io.roomgate.bench.tools.Seed tokens --port "$PORT" --count "$TOKENS" --rooms "$ROOMS" --via key --out "$D/tokens.tsv"
head -5 "$D/tokens.tsv" | while IFS=$'\t' read -r room token; do
  r=$(curl -s -XPOST "$BASE/v1/join-checks" -H "$JOIN" -H "$CT" -d "{\"room_name\":\"$room\",\"token\":\"$token\"}")
  [[ "$r" == *'"valid-token"'* ]] || { echo "sanity check failed: $r" >&2; exit 1; }
done

# java itself in the background (not through `tool`, a function): $! is then the receiver's own pid
java -Xmx256m -cp "$(bench_cp)" io.roomgate.bench.tools.Webhooks silent --port "$SILENT_PORT" >"$D/silent.log" 2>&1 &
SILENT_PID=$!
until grep -qs 'SILENT listening' "$D/silent.log"; do
  kill -0 "$SILENT_PID" 2>/dev/null || { echo "the silent receiver did not start:" >&2; cat "$D/silent.log" >&2; exit 1; }
  sleep 0.2
done
HOOK_URL="http://127.0.0.1:$SILENT_PORT/hook"
ALL_TYPES='["waiting-participant.joined","waiting-participant.left","participant.joined","participant.left","room.deleted","meeting-token.revoked"]'

register() {
  HOOK_IDS=()
  for _ in $(seq 1 "$HOOKS"); do
    local r; r=$(curl -s -XPOST "$BASE/v1/webhooks" -H "$ADMIN" -H "$CT" -d "{\"url\":\"$HOOK_URL\",\"event_types\":$ALL_TYPES}")
    HOOK_IDS+=("$(echo "$r" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')")
  done
  log "registered ${#HOOK_IDS[@]} webhooks -> $HOOK_URL"
}
field() { sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p"; }
hook_state() { # id: one line with the webhook's state and its deliveries by status
  local w d
  w=$(curl -s "$BASE/v1/webhooks/$1" -H "$ADMIN")
  d=$(curl -s "$BASE/v1/webhooks/$1/deliveries?limit=1000" -H "$ADMIN")
  echo "webhook $1 state=$(echo "$w" | field state) consecutive_failures=$(echo "$w" | field consecutive_failures)" \
       "deliveries: pending=$(grep -o '"status":"pending"' <<<"$d" | wc -l) failed=$(grep -o '"status":"failed"' <<<"$d" | wc -l)" \
       "delivered=$(grep -o '"status":"delivered"' <<<"$d" | wc -l) attempts_logged=$(grep -o '"status_code":' <<<"$d" | wc -l)" \
       "last_error=$(echo "$w" | field last_error)"
}
unregister() {
  for id in "${HOOK_IDS[@]}"; do curl -s -o /dev/null -XDELETE "$BASE/v1/webhooks/$id" -H "$ADMIN"; done
  log "deleted the webhooks; waiting $((2 * HOOK_TIMEOUT_S)) s for requests in flight to be cut off"
  sleep $((2 * HOOK_TIMEOUT_S))
}

# round LABEL: the knock stream for DURATION+5 s, wrk's join checks for DURATION s inside it
round() {
  local label="$1"
  tool io.roomgate.bench.tools.Webhooks stream --port "$PORT" --seconds $((DURATION + 5)) --threads "$STREAM_THREADS" \
      >"$D/stream-$label.txt" 2>&1 &
  local stream=$!
  sleep 5
  wrk_run "$label" -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "$BASE" -- "$D/tokens.tsv" \
      | sed "s/\$/ load=$(cut -d' ' -f1 /proc/loadavg)/" >>"$D/results.txt"
  wait "$stream"
  echo "$label $(grep '^STREAM' "$D/stream-$label.txt")" >>"$D/streams.txt"
}

# subject_round N: webhooks registered, the round, then (not measured) until every webhook is marked failing
subject_round() {
  register
  round "subject-$1"
  local t0=$SECONDS id
  for id in "${HOOK_IDS[@]}"; do
    until [[ "$(curl -s "$BASE/v1/webhooks/$id" -H "$ADMIN" | field state)" == '"failing"' ]] || (( SECONDS - t0 > 90 )); do sleep 1; done
  done
  for id in "${HOOK_IDS[@]}"; do echo "subject-$1 +$((SECONDS - t0))s $(hook_state "$id")"; done | tee -a "$D/hooks.txt"
  echo "  delivery log of ${HOOK_IDS[0]}, the first attempts it shows:"
  curl -s "$BASE/v1/webhooks/${HOOK_IDS[0]}/deliveries?limit=1000" -H "$ADMIN" | { grep -o '{"at":[^}]*}' || true; } | head -2 | sed 's/^/    /'
  unregister
}
floor_round() {
  round "floor-$1"
  sleep $((2 * HOOK_TIMEOUT_S))
}

log "warm-up (no webhook, ${WARM:-3} rounds)"
: >"$D/results.txt"; : >"$D/streams.txt"
for w in $(seq 1 "${WARM:-3}"); do round "warm-$w"; done
: >"$D/results.txt"; : >"$D/streams.txt"
# floor first in odd rounds, subject first in even ones: the app still warms up, and neither side should gain by always coming second
for r in $(seq 1 "$ROUNDS"); do
  if (( r % 2 )); then floor_round "$r"; subject_round "$r"; else subject_round "$r"; floor_round "$r"; fi
done
kill "$SILENT_PID"; wait "$SILENT_PID" 2>/dev/null || true; SILENT_PID=
grep '^SILENT connections' "$D/silent.log" || true

cat "$D/results.txt"; cat "$D/streams.txt"
val() { grep "^$1" "$D/results.txt" | sed -n "s/.* $2=\([0-9.]*\).*/\1/p" | median; }
F_RPS=$(val floor rps); S_RPS=$(val subject rps); F_P99=$(val floor p99_ms); S_P99=$(val subject p99_ms)
F_P50=$(val floor p50_ms); S_P50=$(val subject p50_ms)
ERR=$(grep -h '^subject\|^floor' "$D/results.txt" | sed -n 's/.*errors=\([0-9]*\).*/\1/p' | paste -sd+ | bc)
echo
echo "ROW W  join checks while $HOOKS webhooks hang on a receiver that never answers; $ROOMS rooms, $(wc -l <"$D/tokens.tsv") tokens,"
echo "       wrk -t$THREADS -c$CONNS, ${ROUNDS}x${DURATION}s interleaved, knock stream with $STREAM_THREADS threads in both (medians)"
printf '  %-44s %10s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms"
printf '  %-44s %10.0f %10.2f %10.2f\n' "floor: no webhook" "$F_RPS" "$F_P50" "$F_P99"
printf '  %-44s %10.0f %10.2f %10.2f   (errors in all rounds: %s)\n' "subject: $HOOKS webhooks -> silent receiver" "$S_RPS" "$S_P50" "$S_P99" "$ERR"
awk -v a="$S_RPS" -v b="$F_RPS" -v c="$S_P99" -v d="$F_P99" -v e="$S_P50" -v f="$F_P50" 'BEGIN {
  printf "  throughput ratio %.2f   p50 ratio %.2f   p99 ratio %.2f\n", a/b, e/f, c/d }'
for r in $(seq 1 "$ROUNDS"); do
  awk -v r="$r" '$1 == "floor-" r {for (i = 2; i <= NF; i++) {split($i, kv, "="); f[kv[1]] = kv[2]}}
                 $1 == "subject-" r {for (i = 2; i <= NF; i++) {split($i, kv, "="); s[kv[1]] = kv[2]}}
                 END {printf "  round %d: throughput ratio %.2f   p99 ratio %.2f   (load at the rounds'"'"' start %s / %s)\n",
                      r, s["rps"] / f["rps"], s["p99_ms"] / f["p99_ms"], f["load"], s["load"]}' "$D/results.txt"
done
for r in $(seq 2 2 "$ROUNDS"); do
  awk -v r="$r" '{split($1, l, "-"); for (i = 2; i <= NF; i++) {split($i, kv, "="); v[l[1], l[2], kv[1]] = kv[2]}}
       END {a = r - 1; printf "  rounds %d+%d (F S S F): throughput ratio %.2f   p99 ratio %.2f\n", a, r,
            sqrt(v["subject", a, "rps"] / v["floor", a, "rps"] * v["subject", r, "rps"] / v["floor", r, "rps"]),
            sqrt(v["subject", a, "p99_ms"] / v["floor", a, "p99_ms"] * v["subject", r, "p99_ms"] / v["floor", r, "p99_ms"])}' "$D/results.txt"
done
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
