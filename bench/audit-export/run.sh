#!/usr/bin/env bash
# The audit log's NDJSON export of 1,000,000 events in a 256 MB heap (issue 6, "bounded memory").
#
#   bench/audit-export/run.sh                    # EVENTS=1000000 HEAP=256m
#   EVENTS=3000000 HEAP=256m bench/audit-export/run.sh
#
# Runs AuditExportSlowTest (app/src/test/java/io/roomgate/app/audit/) with EVENTS events in a test
# JVM whose whole heap -- the application, its H2 file database's cache, the test's HTTP client
# reading the export -- is HEAP. The test writes the events straight into the event store of a
# file database of its own (target/audit-export/, removed afterwards), streams
# GET /v1/audit/events with Accept: application/x-ndjson, counts the lines and measures the live
# heap after a GC every 2 s: it fails if the export does not produce every event, if the heap grows
# by MAX_GROWTH_MB or more while exporting, or (the point of the small heap) with an OutOfMemoryError.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS="${EVENTS:-1000000}"
HEAP="${HEAP:-256m}"
MAX_GROWTH_MB="${MAX_GROWTH_MB:-64}"

./mvnw -B -q -DskipTests install
./mvnw -B -q -pl app test -Dtest=AuditExportSlowTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Droomgate.audit.export.events="$EVENTS" \
    -Droomgate.audit.export.max-heap-growth=$(( MAX_GROWTH_MB * 1024 * 1024 )) \
    -DargLine="-Xmx$HEAP -XX:+ExitOnOutOfMemoryError" \
  && status=passed || status=FAILED

out=app/target/surefire-reports/io.roomgate.app.audit.AuditExportSlowTest-output.txt
echo
echo "audit export, $EVENTS events, -Xmx$HEAP: $status"
grep -h 'stored \|exported \|audit export for' "$out" 2>/dev/null | sed 's/^.*: /  /' || true
[[ "$status" == passed ]]
