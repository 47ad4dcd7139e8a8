#!/usr/bin/env bash
# Row 3: commands through the HTTP command API (issue token, join, leave), THREADS workers each
# on its own rooms, against the floor: raw JDBC inserts of one event-sized row per commit into
# the same H2 database file (a table with domain_event_entry's DDL), THREADS threads.
# The floor runs after the app has stopped (H2 locks its file), on the same file.
# The load runs WARMUP seconds (default 180: the JIT still compiled a quarter of the app's CPU
# two minutes in) before the SECONDS_ that are measured. Each client thread keeps one connection
# through a lean socket client (CLIENT=raw, ~0.06 ms of CPU per command); CLIENT=jdk uses the
# JDK's HttpClient (~0.55 ms per command, CPU the app then does not get on a 2-core machine).
#
#   bench/run-commands.sh
#   THREADS=8 SECONDS_=60 ROOMS=1000 PROFILE=1 bench/run-commands.sh
source "$(dirname "$0")/lib.sh"
THREADS="${THREADS:-8}"; DUR="${SECONDS_:-60}"; ROOMS="${ROOMS:-1000}"; WARMUP="${WARMUP:-180}"
ensure_built
D=$(fresh_dir commands)
trap 'stop_app "$D"' EXIT
machine
# rooms for the commands: events + command lookups + view rows, processor tokens at the head
tool io.roomgate.bench.tools.GenerateEvents --dir "$D" --rooms "$ROOMS" --view direct
start_app "$D"
SUBJECT=$(tool io.roomgate.bench.tools.Commands load --port "$PORT" --threads "$THREADS" --seconds "$DUR" --rooms "$ROOMS" --warmup "$WARMUP" --client "${CLIENT:-raw}")
echo "$SUBJECT"
if [[ "${PROFILE:-1}" == 1 ]]; then
  # where the CPU goes: 20 s more of the same load, the app's CPU per command and per thread (/proc)
  log "CPU of a further 20 s of the same load, per command and per thread (not part of the figures)"
  APP=$(app_pid "$D"); t0=$SECONDS; c0=$(proc_ticks "$APP")
  thread_cpu_watch_start "$APP" "$D/threads.tsv"
  CPU_RUN=$(tool io.roomgate.bench.tools.Commands load --port "$PORT" --threads "$THREADS" --seconds 20 --rooms "$ROOMS" --warmup 0 | grep RESULT)
  thread_cpu_watch_stop "$D/threads.tsv"; c1=$(proc_ticks "$APP"); t1=$SECONDS
  n=$(echo "$CPU_RUN" | sed -n 's/.* commands=\([0-9]*\).*/\1/p')
  echo "    [cpu] $CPU_RUN"
  awk -v c="$((c1 - c0))" -v n="$n" -v s="$((t1 - t0))" 'BEGIN { printf "    [cpu] the app used %.1f s of CPU in %d s (%.2f cores): %.2f ms of CPU per command\n", c / 100, s, c / 100 / s, 10 * c / n }'
  echo "    [cpu] the app's threads (from /proc, JIT compiler and GC threads included):"
  thread_cpu_report "$D/threads.tsv" "$((t1 - t0))" 14 "$((c1 - c0))"
  log "profiling a further 20 s of the same load with JFR (not part of the figures)"
  jfr_start "$D" commands
  tool io.roomgate.bench.tools.Commands load --port "$PORT" --threads "$THREADS" --seconds 20 --rooms "$ROOMS" --warmup 0 >/dev/null
  jfr_stop "$D" commands 30 "" "io.roomgate,org.h2,org.axonframework,org.hibernate,org.springframework.jdbc,org.springframework.orm,com.zaxxer,com.nimbusds,com.fasterxml"
fi
stop_app "$D"
FLOOR=$(tool io.roomgate.bench.tools.Floors insert --dir "$D" --threads "$THREADS" --seconds 30 2>/dev/null | grep RESULT)
echo "$FLOOR"
S=$(echo "$SUBJECT" | sed -n 's/.*commands_per_s=\([0-9.]*\).*/\1/p')
F=$(echo "$FLOOR" | sed -n 's/.*floor_insert_rows_per_s=\([0-9.]*\).*/\1/p')
echo
echo "ROW 3  commands on embedded H2, $THREADS client threads"
printf '  %-62s %10.0f /s\n' "floor: raw JDBC insert, one event-sized row per commit" "$F"
printf '  %-62s %10.0f /s\n' "subject: HTTP commands (issue token, join, leave), mixed" "$S"
awk -v s="$S" -v f="$F" 'BEGIN { printf "  ratio %.3f (target >= 0.20: %s)\n", s/f, (s/f >= 0.2 ? "met" : "MISSED") }'
