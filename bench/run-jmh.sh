#!/usr/bin/env bash
# Row 2 (JMH, in-process): nimbus-jose-jwt HS256 parse+verify+claims of a token (floor) against
# the join check: MeetingTokens.verify + revocation lookup + JoinPolicy.decide (subjects), each
# invocation with the next of 65,536 distinct tokens over 100,000 rooms. See JoinCheckBench.
# The four benchmarks run one after another, ROUNDS times over (floor, part, A, B, floor, ...),
# so floor and subjects see the same spells of load; the figures are medians over the rounds.
# Warm-up is long (4x4 s) because on a loaded 2-core machine the JIT's compiler threads starve:
# with 2x2 s the first rounds measured partly interpreted code.
#
#   bench/run-jmh.sh                          # 1 thread, ROUNDS=3, each: 4x4 s warm-up, 3x3 s measured
#   JMH_THREADS=2 DB=file ROUNDS=5 PROFILE=1 bench/run-jmh.sh
source "$(dirname "$0")/lib.sh"
ensure_built
D=$(fresh_dir jmh)
machine
CP="$(bench_cp)"
THREADS="${JMH_THREADS:-1}"; ROUNDS="${ROUNDS:-3}"; DBV="${DB:-mem}"
BENCHES="floor_nimbusVerify part_meetingTokensVerify subject_mapView subject_h2View"
: >"$D/scores.txt"
for r in $(seq 1 "$ROUNDS"); do
  for b in $BENCHES; do
    java -cp "$CP" org.openjdk.jmh.Main "io.roomgate.bench.jmh.JoinCheckBench.$b\$" -f 1 -wi 4 -w 4s -i 3 -r 3s -t "$THREADS" \
        -p db="$DBV" -jvmArgs "-Xms2g -Xmx2g" -rf csv -rff "$D/$b-$r.csv" ${JMH_ARGS:-} >"$D/$b-$r.txt" 2>&1
    score=$(awk -F, 'NR == 2 { gsub(/"/, ""); print $5 }' "$D/$b-$r.csv")
    echo "$b $r $score" | tee -a "$D/scores.txt"
  done
done
med() { awk -v b="$1" '$1 == b { print $3 }' "$D/scores.txt" | median; }
F=$(med floor_nimbusVerify); P=$(med part_meetingTokensVerify); A=$(med subject_mapView); B=$(med subject_h2View)
echo
echo "ROW 2  in-process join check (JMH, $THREADS thread(s), ops/s, medians of $ROUNDS interleaved rounds, 65,536 distinct tokens, 100,000 rooms)"
printf '  %-56s %10.0f\n' "floor: nimbus parse + HS256 verify + claims" "$F"
printf '  %-56s %10.0f  (%.2f x floor)\n' "part: MeetingTokens.verify alone" "$P" "$(awk -v a="$P" -v f="$F" 'BEGIN { print a/f }')"
for pair in "subject A: verify + revocation + decide, HashMap view:$A" "subject B: JoinCheckService + JoinView, H2 $DBV:$B"; do
  label=${pair%:*}; s=${pair##*:}
  printf '  %-56s %10.0f  ratio %.2f (target >= 0.80: %s)\n' "$label" "$s" "$(awk -v a="$s" -v f="$F" 'BEGIN { print a/f }')" \
    "$(awk -v a="$s" -v f="$F" 'BEGIN { print (a/f >= 0.8 ? "met" : "MISSED") }')"
done

if [[ "${PROFILE:-0}" == 1 ]]; then
  log "profiling subject_h2View with JFR (a separate short run, not part of the figures above)"
  cpu_jfc "$D/cpu.jfc"
  java -cp "$CP" org.openjdk.jmh.Main 'io.roomgate.bench.jmh.JoinCheckBench.subject_h2View$' -f 1 -wi 2 -w 3s -i 3 -r 3s -t "$THREADS" \
      -p db="$DBV" -jvmArgs "-Xms2g -Xmx2g -XX:StartFlightRecording=filename=$D/jmh-h2view.jfr,settings=$D/cpu.jfc" >/dev/null
  tool io.roomgate.bench.tools.JfrTop "$D/jmh-h2view.jfr" --top 30 --thread jmh-worker --exclude World.setUp \
      --match "io.roomgate,org.h2,com.nimbusds,org.springframework.jdbc,com.zaxxer,com.fasterxml,java.util.regex,java.util.Base64"
fi
