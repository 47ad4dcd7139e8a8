#!/usr/bin/env bash
# Row W: join checks while webhooks hang on a receiver that never answers (issue 10).
#
#   bench/run-webhooks.sh
#   ROOMS=1000 TOKENS=5000 HOOKS=3 ROUNDS=6 DURATION=10 WARM=3 STREAM_THREADS=2 bench/run-webhooks.sh
#
# Every round measures wrk's join checks (POST /v1/join-checks, a different pre-signed token per
# request, as row 1) next to the same stream of knocking stories (Webhooks stream: create a
# private room with knocking, owner joins, guest knocks, is approved, joins, both leave, room
# deleted), three ways:
#   floor     no webhook;
#   answered  HOOKS webhooks subscribed to every event type, aimed at a receiver that answers
#             204 at once (Webhooks answer): what having webhooks costs;
#   subject   the same webhooks aimed at a receiver that accepts the connection and never answers
#             (Webhooks silent): every delivery hangs until the dispatcher's timeout.
# subject/answered is the dead receiver's own effect; subject/floor includes the webhooks' work.
# The order turns from round to round (F A S, A S F, S F A): over each three rounds every kind
# stands once in each place, so a steady drift (the app still warming up, the neighbours' load
# changing) favours none. Webhooks are registered before their round and deleted after it; after
# a subject round, unmeasured, the script waits until every webhook is marked failing and prints
# state, last error and deliveries (counts from the newest 1,000); after each round with webhooks
# it waits 2 x timeout so that no cut-off request is left over for the next one. Many short rounds
# rather than a few long ones: on a shared machine the neighbours' load changes by the minute.
# The app runs with the shipped webhook settings (timeout 5 s, 8 attempts, backoff from 1 s) plus
# the development-only allow-http and allow-private-addresses, given on the command line, so it
# may call the receivers on 127.0.0.1.
source "$(dirname "$0")/lib.sh"

ROOMS="${ROOMS:-1000}"; TOKENS="${TOKENS:-5000}"; HOOKS="${HOOKS:-3}"; ROUNDS="${ROUNDS:-6}"; DURATION="${DURATION:-10}"
CONNS="${CONNS:-32}"; THREADS="${WRK_THREADS:-2}"; STREAM_THREADS="${STREAM_THREADS:-2}"
SILENT_PORT="${SILENT_PORT:-$((PORT + 10))}"; ANSWER_PORT="${ANSWER_PORT:-$((PORT + 11))}"; HOOK_TIMEOUT_S=5
ensure_wrk; ensure_built
D=$(fresh_dir webhooks)
RECEIVERS=()
trap 'stop_app "$D"; for p in "${RECEIVERS[@]}"; do kill "$p" 2>/dev/null; done; true' EXIT
machine

tool io.roomgate.bench.tools.GenerateEvents --dir "$D" --rooms "$ROOMS" --marker bench-marker
start_app "$D" --roomgate.webhooks.allow-http=true --roomgate.webhooks.allow-private-addresses=true
wait_marker bench-marker
tool io.roomgate.bench.tools.Seed tokens --port "$PORT" --count "$TOKENS" --rooms "$ROOMS" --via key --out "$D/tokens.tsv"
head -5 "$D/tokens.tsv" | while IFS=$'\t' read -r room token; do
  r=$(curl -s -XPOST "$BASE/v1/join-checks" -H "$JOIN" -H "$CT" -d "{\"room_name\":\"$room\",\"token\":\"$token\"}")
  [[ "$r" == *'"valid-token"'* ]] || { echo "sanity check failed: $r" >&2; exit 1; }
done

# receiver KIND PORT: java itself in the background (not through `tool`, a function), so $! is its own pid
receiver() {
  java -Xmx256m -cp "$(bench_cp)" io.roomgate.bench.tools.Webhooks "$1" --port "$2" >"$D/$1.log" 2>&1 &
  local pid=$!
  RECEIVERS+=("$pid")
  until grep -qs 'listening' "$D/$1.log"; do
    kill -0 "$pid" 2>/dev/null || { echo "the $1 receiver did not start:" >&2; cat "$D/$1.log" >&2; exit 1; }
    sleep 0.2
  done
}
receiver silent "$SILENT_PORT"
receiver answer "$ANSWER_PORT"
ALL_TYPES='["waiting-participant.joined","waiting-participant.left","participant.joined","participant.left","room.deleted","meeting-token.revoked"]'

register() { # URL
  HOOK_IDS=()
  for _ in $(seq 1 "$HOOKS"); do
    local r; r=$(curl -s -XPOST "$BASE/v1/webhooks" -H "$ADMIN" -H "$CT" -d "{\"url\":\"$1\",\"event_types\":$ALL_TYPES}")
    HOOK_IDS+=("$(echo "$r" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')")
  done
  log "registered ${#HOOK_IDS[@]} webhooks -> $1"
}
field() { sed -n "s/.*\"$1\":\(\"[^\"]*\"\|[^,}]*\).*/\1/p"; }
hook_state() { # id: one line with the webhook's state and its deliveries by status (of the newest 1,000)
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
  HOOK_IDS=()
}

# measure LABEL: the knock stream for DURATION+5 s, wrk's join checks for DURATION s inside it
measure() {
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

# round KIND N
round() {
  local kind="$1" n="$2" id t0
  case "$kind" in
    floor) measure "floor-$n"; return ;;
    answered)
      register "http://127.0.0.1:$ANSWER_PORT/hook"
      measure "answered-$n"
      for id in "${HOOK_IDS[@]}"; do echo "answered-$n $(hook_state "$id")"; done | tee -a "$D/hooks.txt"
      unregister ;;
    subject)
      register "http://127.0.0.1:$SILENT_PORT/hook"
      measure "subject-$n"
      t0=$SECONDS
      for id in "${HOOK_IDS[@]}"; do
        until [[ "$(curl -s "$BASE/v1/webhooks/$id" -H "$ADMIN" | field state)" == '"failing"' ]] || (( SECONDS - t0 > 90 )); do sleep 1; done
      done
      for id in "${HOOK_IDS[@]}"; do echo "subject-$n +$((SECONDS - t0))s $(hook_state "$id")"; done | tee -a "$D/hooks.txt"
      echo "  delivery log of ${HOOK_IDS[0]}, the first attempts it shows:"
      curl -s "$BASE/v1/webhooks/${HOOK_IDS[0]}/deliveries?limit=1000" -H "$ADMIN" | { grep -o '{"at":[^}]*}' || true; } | head -2 | sed 's/^/    /'
      unregister ;;
  esac
  sleep $((2 * HOOK_TIMEOUT_S))
}

log "warm-up (no webhook, ${WARM:-3} rounds)"
: >"$D/results.txt"; : >"$D/streams.txt"
for w in $(seq 1 "${WARM:-3}"); do measure "warm-$w"; done
: >"$D/results.txt"; : >"$D/streams.txt"
KINDS=(floor answered subject)
for r in $(seq 1 "$ROUNDS"); do
  for k in 0 1 2; do round "${KINDS[$(( (r - 1 + k) % 3 ))]}" "$r"; done
done
for p in "${RECEIVERS[@]}"; do kill "$p"; wait "$p" 2>/dev/null || true; done; RECEIVERS=()
grep -h '^SILENT connections\|^ANSWER requests' "$D/silent.log" "$D/answer.log" || true

cat "$D/results.txt"; cat "$D/streams.txt"
val() { grep "^$1-" "$D/results.txt" | sed -n "s/.* $2=\([0-9.]*\).*/\1/p" | median; }
stories() { grep "^$1-" "$D/streams.txt" | sed -n 's/.*stories=\([0-9]*\).*/\1/p' | median; }
ERR=$(sed -n 's/.*errors=\([0-9]*\).*/\1/p' "$D/results.txt" | paste -sd+ | bc)
echo
echo "ROW W  join checks while $HOOKS webhooks hang on a receiver that never answers; $ROOMS rooms, $(wc -l <"$D/tokens.tsv") tokens,"
echo "       wrk -t$THREADS -c$CONNS, ${ROUNDS} rounds x 3 kinds x ${DURATION}s, order turning; knock stream with $STREAM_THREADS threads in every round (medians)"
printf '  %-46s %10s %10s %10s %16s\n' "" "req/s" "p50 ms" "p99 ms" "stories/round"
for k in floor answered subject; do
  case "$k" in floor) what="floor: no webhook" ;; answered) what="answered: $HOOKS webhooks -> 204 at once" ;;
               subject) what="subject: $HOOKS webhooks -> never answers" ;; esac
  printf '  %-46s %10.0f %10.2f %10.2f %16s\n' "$what" "$(val "$k" rps)" "$(val "$k" p50_ms)" "$(val "$k" p99_ms)" "$(stories "$k")"
done
echo "  (errors in all rounds: $ERR)"
ratios() { # A B: the per-round ratios A/B and their median
  local per
  per=$(awk -v a="$1" -v b="$2" '{split($1, l, "-"); for (i = 2; i <= NF; i++) {split($i, kv, "="); v[l[1], l[2], kv[1]] = kv[2]}
      if (l[2] + 0 > n) n = l[2] + 0}
    END {for (r = 1; r <= n; r++) printf "%.3f %.3f\n", v[a, r, "rps"] / v[b, r, "rps"], v[a, r, "p99_ms"] / v[b, r, "p99_ms"]}' "$D/results.txt")
  printf '  %s/%s: median of the per-round ratios: throughput %.2f, p99 %.2f   (per round, throughput/p99:%s)\n' "$1" "$2" \
      "$(cut -d' ' -f1 <<<"$per" | median)" "$(cut -d' ' -f2 <<<"$per" | median)" "$(awk '{printf " %.2f/%.2f", $1, $2}' <<<"$per")"
}
ratios subject answered
ratios subject floor
ratios answered floor
echo "  load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
