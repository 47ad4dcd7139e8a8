#!/usr/bin/env bash
# Issue 15, one node: join checks at the default consistency level (no header: the answer reflects
# every write acknowledged before the request) against the same checks with
# X-Consistency: minimize-latency, both while WRITE_RATE commands/s (privacy flips) are written
# concurrently; rounds interleaved, medians. Then row 7 on one node with the default level: a
# privacy flip, then a join check without any header, back to back: how long until the write is
# visible, against the command's own latency.
#
#   bench/run-consistency.sh                      # defaults below
#   ROOMS=1000 TOKENS=5000 WARMUP=60 ROUNDS=4 DURATION=20 WRITE_RATE=50 CONS_SAMPLES=1000 bench/run-consistency.sh
#
# Across nodes, the same comparison is ROWS=C of bench/run-postgres.sh.
source "$(dirname "$0")/lib.sh"

ROOMS="${ROOMS:-1000}"; TOKENS="${TOKENS:-5000}"; ROUNDS="${ROUNDS:-4}"; DURATION="${DURATION:-20}"
CONNS="${CONNS:-32}"; THREADS="${WRK_THREADS:-2}"; WRITE_RATE="${WRITE_RATE:-50}"; CONS_SAMPLES="${CONS_SAMPLES:-1000}"
ensure_wrk; ensure_built
D=$(fresh_dir consistency)
WRITER=""
trap '[[ -n "$WRITER" ]] && kill "$WRITER" 2>/dev/null; stop_app "$D"' EXIT
machine

tool io.roomgate.bench.tools.GenerateEvents --dir "$D" --rooms "$ROOMS" --marker bench-marker
start_app "$D"
wait_marker bench-marker
tool io.roomgate.bench.tools.Seed tokens --port "$PORT" --count "$TOKENS" --rooms "$ROOMS" --via key --out "$D/tokens.tsv" >/dev/null
head -5 "$D/tokens.tsv" | while IFS=$'\t' read -r room token; do
  r=$(curl -s -XPOST "$BASE/v1/join-checks" -H "$JOIN" -H "$CT" -d "{\"room_name\":\"$room\",\"token\":\"$token\"}")
  [[ "$r" == *'"valid-token"'* ]] || { echo "sanity check failed: $r" >&2; exit 1; }
done

# the background writes run for the whole measurement (warm-up and every round)
WARMUP="${WARMUP:-60}"
TOTAL=$(( 2 * ROUNDS * (DURATION + 2) + 2 * (WARMUP + 2) + 30 ))
tool io.roomgate.bench.tools.Commands writes --port "$PORT" --rate "$WRITE_RATE" --seconds "$TOTAL" >"$D/writes.txt" 2>&1 &
WRITER=$!
sleep 5
log "warm-up, with $WRITE_RATE writes/s in the background"
wrk_run warm-min -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "$BASE" -- "$D/tokens.tsv" minimize-latency >/dev/null
wrk_run warm-full -t"$THREADS" -c"$CONNS" -d"${WARMUP}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "$BASE" -- "$D/tokens.tsv" full >/dev/null
LOAD_START="$(cut -d' ' -f1-3 /proc/loadavg)"
: >"$D/results.txt"
# the order turns every round, so neither level always runs on the warmer JIT
for r in $(seq 1 "$ROUNDS"); do
  order="minimize-latency full"; (( r % 2 == 0 )) && order="full minimize-latency"
  for level in $order; do
    label=$([[ $level == full ]] && echo full || echo min)
    wrk_run "$label-$r" -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "$BASE" -- "$D/tokens.tsv" "$level" >>"$D/results.txt"
  done
done
LOAD_END="$(cut -d' ' -f1-3 /proc/loadavg)"
wait "$WRITER" || true; WRITER=""
cat "$D/results.txt"; cat "$D/writes.txt"
val() { grep "^$1" "$D/results.txt" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p" | median; }
M_RPS=$(val min rps); F_RPS=$(val full rps); M_P99=$(val min p99_ms); F_P99=$(val full p99_ms)
M_P50=$(val min p50_ms); F_P50=$(val full p50_ms)
ERR=$(grep -E '^(min|full)' "$D/results.txt" | sed -n 's/.*errors=\([0-9]*\).*/\1/p' | paste -sd+ | bc)

log "row 7, default level: privacy flip, then a join check with no header"
R7=$(tool io.roomgate.bench.tools.Commands consistency --port "$PORT" --samples "$CONS_SAMPLES" --room bench-room-2 --mode full)
echo "$R7"
R7M=$(tool io.roomgate.bench.tools.Commands consistency --port "$PORT" --samples "$CONS_SAMPLES" --room bench-room-3 --mode minimize-latency)
echo "$R7M"

echo
echo "ROW C1  join checks, one node (embedded H2), $ROOMS rooms, $(wc -l <"$D/tokens.tsv") tokens, wrk -t$THREADS -c$CONNS, ${ROUNDS}x${DURATION}s interleaved (medians), $(sed -n 's/.*rate=\([0-9.]*\/s\).*/\1/p' "$D/writes.txt") privacy flips written meanwhile; load $LOAD_START -> $LOAD_END"
printf '  %-44s %10s %10s %10s\n' "" "req/s" "p50 ms" "p99 ms"
printf '  %-44s %10.0f %10.2f %10.2f\n' "floor: X-Consistency: minimize-latency" "$M_RPS" "$M_P50" "$M_P99"
printf '  %-44s %10.0f %10.2f %10.2f   (errors: %s)\n' "subject: no header (full, the default)" "$F_RPS" "$F_P50" "$F_P99" "$ERR"
awk -v a="$F_RPS" -v b="$M_RPS" 'BEGIN { printf "  throughput ratio %.3f (target >= 0.90: %s)\n", a/b, (a/b >= 0.9 ? "met" : "MISSED") }'
echo "ROW 7  one node, default level (no header), n = $CONS_SAMPLES"
echo "$R7" | grep RESULT | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
  END { printf "  command p99 %.2f ms; flip -> check without header p99 %.2f ms (check alone p99 %.2f ms); target: <= command p99 + 5 ms: %s; stale: %d\n",
        v["command_p99_ms"], v["total_p99_ms"], v["check_p99_ms"], (v["total_p99_ms"] <= v["command_p99_ms"] + 5 ? "met" : "MISSED"), v["stale_or_failed"] }'
echo "$R7M" | grep RESULT | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
  END { printf "  the same with X-Consistency: minimize-latency: check alone p99 %.2f ms; stale answers: %d of the samples (the trade of that level)\n",
        v["check_p99_ms"], v["stale_or_failed"] }'
