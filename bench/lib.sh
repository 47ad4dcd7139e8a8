# Shared helpers for the bench/run-*.sh scripts. Source it; do not run it.
# Everything runs on 127.0.0.1; each run has its own working directory (and so its own
# ./data H2 database) under bench/target/run/, never the repo's ./data.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
PORT="${PORT:-18080}"
BASE="http://127.0.0.1:$PORT"
JAR="${ROOMGATE_JAR:-$ROOT/app/target/roomgate.jar}"
RUNS="${RUNS_DIR:-$ROOT/bench/target/run}"
APP_HEAP="${APP_HEAP:--Xms1g -Xmx2g}"
ADMIN="Authorization: Bearer demo-admin-key"
JOIN="Authorization: Bearer demo-join-key"
CT="Content-Type: application/json"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

ensure_wrk() {
  if ! command -v wrk >/dev/null 2>&1; then
    log "installing wrk from Debian's packages"
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  fi
}

# Builds the app jar (if missing or BUILD=1) and the bench module (if missing or BUILD=1).
ensure_built() {
  if [[ ! -f "$JAR" || "${BUILD:-0}" == 1 ]]; then
    log "building the app jar"
    (cd "$ROOT" && ./mvnw -B -q -DskipTests -DskipPostgresScenarios package)
  fi
  if [[ ! -f "$ROOT/bench/target/bench.classpath" || "${BUILD:-0}" == 1 ]]; then
    log "building the bench module (profile bench)"
    (cd "$ROOT" && ./mvnw -B -q -Pbench -pl bench -am -DskipTests package)
  fi
}

# The bench classpath: this checkout's own module outputs (never the io.roomgate jars that
# someone's `mvn install` put in ~/.m2, which change under a running benchmark) + third-party jars.
bench_cp() {
  local m cp="$ROOT/bench/target/classes"
  for m in shared-events command-side query-side; do cp="$cp:$ROOT/$m/target/classes"; done
  echo "$cp:$(tr ':' '\n' <"$ROOT/bench/target/bench.classpath" | grep -v '/io/roomgate/' | paste -sd:)"
}

# Runs a bench tool class: tool io.roomgate.bench.tools.Seed rooms --count 10 ...
tool() {
  local cls="$1"; shift
  java -Xmx2g ${BENCH_JAVA_OPTS:-} -cp "$(bench_cp)" "$cls" "$@"
}

# fresh_dir NAME: an empty working directory for one app instance.
fresh_dir() {
  local d="$RUNS/$1"
  rm -rf "$d"; mkdir -p "$d"; echo "$d"
}

# The load generators send far more than Daily's per-key limits (20 requests a second): benchmarks
# measure the service with the limiter running, at limits the load never reaches.
BENCH_RATE_LIMITS="--roomgate.rate-limits.api.per-second=1000000 --roomgate.rate-limits.api.burst=1000000 --roomgate.rate-limits.join.per-second=1000000 --roomgate.rate-limits.join.burst=1000000 --roomgate.rate-limits.room-delete.per-second=1000000 --roomgate.rate-limits.room-delete.burst=1000000"

# start_app DIR [extra --args]: runs a copy of the jar in DIR (its ./data is DIR/data).
start_app() {
  local d; d="$(cd "$1" && pwd)"; shift
  if curl -s -o /dev/null "$BASE/actuator/health/liveness"; then
    echo "port $PORT is taken: stop what runs there or set PORT" >&2; return 1
  fi
  cp "$JAR" "$d/roomgate.jar"
  (cd "$d" && exec java $APP_HEAP ${APP_JAVA_OPTS:-} -jar roomgate.jar --server.port="$PORT" \
      --management.endpoint.health.probes.enabled=true $BENCH_RATE_LIMITS "$@" >"$d/app.log" 2>&1 & echo $! >"$d/app.pid")
  local t0=$SECONDS
  until curl -sf -o /dev/null "$BASE/actuator/health/liveness"; do
    if ! kill -0 "$(cat "$d/app.pid")" 2>/dev/null; then
      echo "roomgate did not start; see $d/app.log" >&2; tail -20 "$d/app.log" >&2; return 1
    fi
    if (( SECONDS - t0 > 400 )); then echo "roomgate not up after 400 s" >&2; return 1; fi
    sleep 1
  done
  log "roomgate up on $PORT after $((SECONDS - t0)) s (pid $(cat "$d/app.pid"), dir $d)"
}

stop_app() {
  local d="$1" pid
  pid="$(cat "$d/app.pid" 2>/dev/null || true)"
  [[ -z "$pid" ]] && return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 90); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$d/app.pid"
}

app_pid() { cat "$1/app.pid"; }

# wait_marker NAME [timeout]: until a join check on room NAME no longer says room-not-found
# (the generator appends that room last, so the view has applied every event before it).
wait_marker() {
  local name="$1" limit="${2:-3600}" t0=$SECONDS r
  while true; do
    r=$(curl -s -XPOST "$BASE/v1/join-checks" -H "$JOIN" -H "$CT" -d "{\"room_name\":\"$name\"}" || true)
    [[ "$r" == *'"public-room"'* ]] && break
    if (( SECONDS - t0 > limit )); then echo "view did not reach $name in $limit s" >&2; return 1; fi
    sleep 0.2
  done
}

# wrk_run LABEL wrk-args...: runs wrk, prints its output to stderr and "LABEL rps p50 p99 errors" to stdout.
wrk_run() {
  local label="$1"; shift
  local out
  out=$(wrk "$@" 2>&1)
  echo "$out" | sed "s/^/    [$label] /" >&2
  echo "$out" | awk -v l="$label" '/^RESULT/ {print l, $2, $3, $4, $5}'
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  java: $(java -version 2>&1 | head -1)"
  echo "code: ${CODE_LABEL:-}$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$( [[ -n "$(git -C "$ROOT" status --porcelain 2>/dev/null | grep -v '^?? bench/' || true)" ]] && echo ' + uncommitted changes' )  jar: $JAR"
}

# jfr_start DIR NAME / jfr_stop DIR NAME [top] [thread] [match]: records the running app's CPU
# samples (JFR, profile settings) while a load runs, then prints the top frames.
# JFR's profile settings with CPU samples every 1 ms instead of 10 ms (more samples in a short run)
cpu_jfc() {
  sed '/name="jdk.ExecutionSample"/,/<\/event>/ s/>[0-9]* ms</>1 ms</' \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" >"$1"
}
jfr_start() { cpu_jfc "$1/cpu.jfc"; jcmd "$(app_pid "$1")" JFR.start name=bench settings="$1/cpu.jfc" filename="$1/$2.jfr" >/dev/null; }
jfr_stop() {
  jcmd "$(app_pid "$1")" JFR.stop name=bench >/dev/null
  tool io.roomgate.bench.tools.JfrTop "$1/$2.jfr" --top "${3:-20}" --thread "${4:-}" \
      --match "${5:-io.roomgate,org.h2,com.nimbusds,org.springframework.jdbc,com.zaxxer,org.axonframework,com.fasterxml}"
}

# proc_ticks PID: CPU clock ticks (user + system) the process has used so far (/proc/PID/stat).
proc_ticks() { cut -d')' -f2 "/proc/$1/stat" | awk '{print $12 + $13}'; }

# thread_cpu PID: "tid<TAB>thread name<TAB>cpu ticks" for every thread of PID (/proc, user + system;
# includes what JFR's execution samples do not see: JIT compiler and GC threads).
thread_cpu() {
  awk '{ i = index($0, "("); for (k = length($0); k > i; k--) if (substr($0, k, 1) == ")") break
         split(substr($0, k + 2), f, " "); t = FILENAME; sub(/\/stat$/, "", t); sub(/.*\//, "", t)
         printf "%s\t%s\t%d\n", t, substr($0, i + 1, k - i - 1), f[12] + f[13] }' /proc/"$1"/task/*/stat 2>/dev/null || true
}
# thread_cpu_watch_start PID FILE / thread_cpu_watch_stop FILE: snapshots of thread_cpu every second
# (so threads that start and end in between, like the JIT's dynamic compiler threads, are seen).
thread_cpu_watch_start() {
  : >"$2"; touch "$2.on"
  ( i=0; while [[ -f "$2.on" ]] && kill -0 "$1" 2>/dev/null; do
      thread_cpu "$1" | sed "s/^/$i\t/" >>"$2"; i=$((i + 1)); sleep 1
    done ) &
  echo $! >"$2.pid"
}
thread_cpu_watch_stop() {
  rm -f "$1.on"; wait "$(cat "$1.pid")" 2>/dev/null || true; rm -f "$1.pid"
}
# thread_cpu_report FILE SECONDS [top] [process ticks]: CPU per thread group (digits in names folded
# to #) over the watched window, as seconds and share, largest first. A thread's CPU after its last
# snapshot (at most a second) is not counted; given the process's own ticks over the window, what no
# snapshot saw is printed as "(not seen)".
thread_cpu_report() {
  awk -F'\t' -v secs="$2" -v top="${3:-12}" -v proc="${4:-0}" '
    NR == 1 { first = $1 }
    { if (!($2 in base)) base[$2] = ($1 == first ? $4 : 0); last[$2] = $4; name[$2] = $3 }
    END {
      for (t in last) { g = name[t]; gsub(/[0-9]+/, "#", g); d = last[t] - base[t]; sum[g] += d; all += d }
      if (proc > all) { sum["(not seen)"] = proc - all; all = proc }
      printf "    all threads: %.1f s CPU = %.2f cores\n", all / 100, all / 100 / secs
      n = 0; for (g in sum) { order[++n] = g }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sum[order[j]] > sum[order[i]]) { x = order[i]; order[i] = order[j]; order[j] = x }
      for (i = 1; i <= n && i <= top; i++) if (sum[order[i]] > 0) printf "    %5.1f%%  %-16s %.1f s\n", 100 * sum[order[i]] / all, order[i], sum[order[i]] / 100
    }' "$1"
}
