package io.roomgate.app.audit;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import io.roomgate.app.Waiting;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.app.Api;
import io.roomgate.events.Admission;
import io.roomgate.events.DeletionCause;
import io.roomgate.events.EventJson;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.Privacy;
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.TokenIssued;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NDJSON export streams a big store in bounded memory. {@value #DEFAULT_EVENTS} synthetic but
 * valid events (the JSON the event classes serialize to, with metadata, in rooms, tokens and
 * knocks) are written straight into the event store of a file database of its own, then
 * exported over HTTP while a sampler measures the live heap (after a GC) every 2 seconds: it
 * must not grow with the data. Tagged slow; {@code -Droomgate.audit.export.events=N} changes the
 * size, and {@code bench/audit-export/run.sh} runs it with 1,000,000 events in a 256 MB heap (a
 * million events do not fit the suite's time on a shared 2-core machine: storing them alone takes
 * minutes there).
 */
@Tag("slow")
@ExtendWith(AuditExportSlowIT.DeleteDatabase.class) // registered before Spring's: runs after the context closed
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:file:./target/audit-export/roomgate;DB_CLOSE_ON_EXIT=FALSE"})
@DirtiesContext
class AuditExportSlowIT extends WithEmbeddedApp {

    static final int DEFAULT_EVENTS = 200_000;
    private static final int EVENTS = Integer.getInteger("roomgate.audit.export.events", DEFAULT_EVENTS);
    private static final long MAX_HEAP_GROWTH = Long.getLong("roomgate.audit.export.max-heap-growth", 64L << 20);
    private static final int EVENTS_PER_ROOM = 50;
    private static final int BATCH = 20_000;
    private static final Logger log = LoggerFactory.getLogger(AuditExportSlowIT.class);

    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void a_large_store_is_exported_line_by_line_in_bounded_memory() throws Exception {
        // only the export reads these events: the view's processors would spend minutes on them
        processing.eventProcessors().values().forEach(EventProcessor::shutDown);
        long before = api.eventCount();
        log.info("storing {} events", EVENTS);
        long started = System.nanoTime();
        long stored = insert(EVENTS);
        long inserted = System.nanoTime();
        long total = before + EVENTS;
        log.info("stored {} events ({} MB of payload and metadata) in {} ms", EVENTS, stored >> 20,
                (inserted - started) / 1_000_000);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long baseline = liveHeap(memory);
        AtomicLong peak = new AtomicLong(baseline);
        AtomicBoolean exporting = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (exporting.get()) {
                peak.accumulateAndGet(liveHeap(memory), Math::max);
                Waiting.sleep(java.time.Duration.ofMillis(2_000));
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        long lines = 0;
        long bytes = 0;
        long lastPosition = 0;
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/v1/audit/events"))
                .header("Authorization", "Bearer " + Api.AUDIT)
                .header("Accept", "application/x-ndjson").build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                bytes += line.length() + 1;
                if (lines % 50_000 == 1 || lines == total) {
                    JsonNode entry = json.readTree(line);
                    assertThat(entry.get("position").asLong()).isGreaterThan(lastPosition);
                    lastPosition = entry.get("position").asLong();
                    assertThat(entry.get("payload").isObject()).isTrue();
                    assertThat(entry.get("actor").asText()).isNotEmpty();
                }
            }
        } finally {
            exporting.set(false);
            sampler.join();
        }
        long exported = System.nanoTime();
        long growth = peak.get() - baseline;
        log.info("exported {} lines ({} MB) in {} ms; live heap {} MB at the start, at most {} MB more while exporting",
                lines, bytes >> 20, (exported - inserted) / 1_000_000, baseline >> 20, growth >> 20);

        assertThat(lines).isEqualTo(total);
        assertThat(growth).as("live heap growth while exporting %d MB", bytes >> 20).isLessThan(MAX_HEAP_GROWTH);
        assertThat(growth).as("far less than what was exported").isLessThan(bytes / 4);
    }

    /** Live heap: used after a full collection. */
    private static long liveHeap(MemoryMXBean memory) {
        System.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Writes n events in rooms of 50 (each with a token), as Axon would have; returns their stored bytes. */
    private long insert(int n) {
        ObjectMapper events = EventJson.newMapper();
        Long max = jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
        long first = (max == null ? 0 : max) + 1;
        Instant start = Instant.now().minusSeconds(n / 1000 + 60);
        TransactionTemplate tx = new TransactionTemplate(transactions);
        long[] bytes = {0};
        for (int from = 0; from < n; from += BATCH) {
            int size = Math.min(BATCH, n - from);
            List<Object[]> rows = new ArrayList<>(size);
            for (int i = from; i < from + size; i++) {
                rows.add(row(events, i, first + i, start.plusMillis(i)));
            }
            tx.executeWithoutResult(s -> jdbc.batchUpdate("insert into domain_event_entry (global_index, sequence_number, "
                    + "meta_data, payload, aggregate_identifier, event_identifier, payload_revision, payload_type, time_stamp, "
                    + "type) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new BatchPreparedStatementSetter() {
                @Override
                public void setValues(PreparedStatement ps, int i) throws SQLException {
                    Object[] r = rows.get(i);
                    for (int c = 0; c < r.length; c++) {
                        ps.setObject(c + 1, r[c]);
                    }
                    bytes[0] += ((byte[]) r[2]).length + ((byte[]) r[3]).length;
                }

                @Override
                public int getBatchSize() {
                    return rows.size();
                }
            }));
        }
        jdbc.execute("alter sequence domain_event_entry_seq restart with " + (first + n));
        return bytes[0];
    }

    private static Object[] row(ObjectMapper json, int i, long globalIndex, Instant at) {
        int room = i / EVENTS_PER_ROOM;
        int k = i % EVENTS_PER_ROOM;
        String roomId = new UUID(0xA0D17L, room).toString();
        String name = "bulk-" + room;
        String aggregate = roomId;
        long sequence = k;
        String aggregateType = "Room";
        Object event;
        if (k == 0) {
            event = new RoomCreated(roomId, name, Privacy.PRIVATE, new RoomProperties(null, null, 10, true, false, null, false,
                    Map.of("enable_chat", true)));
        } else if (k == 1) {
            aggregate = new UUID(0x70CE4L, room).toString();
            sequence = 0;
            aggregateType = "MeetingToken";
            event = new TokenIssued(aggregate, "test-1", new MeetingTokenClaims(name, null, null, true, "Owner " + room,
                    "owner-" + room, false, null, false, Map.of(), Map.of()), false);
        } else if (k == 2) {
            event = new PrivacyChanged(roomId, name, Privacy.PUBLIC);
        } else if (k == EVENTS_PER_ROOM - 1) {
            event = new RoomDeleted(roomId, name, DeletionCause.ADMIN);
        } else if (k % 4 == 3) {
            event = new ParticipantJoined(roomId, name, "p-" + i, "Person " + i, "user-" + i, Admission.publicRoom(), false,
                    false, null);
        } else if (k % 4 == 0) {
            event = new ParticipantLeft(roomId, name, "p-" + (i - 1));
        } else if (k % 4 == 1) {
            event = new KnockRequested(roomId, name, "knock-" + i, "Knocker " + i, at.plusSeconds(600));
        } else {
            event = new KnockApproved(roomId, name, "knock-" + (i - 1), "p-" + (i - 2), at.plusSeconds(300));
        }
        if (aggregate.equals(roomId)) {
            sequence = k == 0 ? 0 : k - 1; // the token event is not in the room's sequence
        }
        try {
            byte[] payload = json.writeValueAsBytes(event);
            byte[] meta = json.writeValueAsBytes(Map.of("actor", k < 3 ? "test-admin" : "test-join",
                    "request_id", "bulk-" + i, "traceId", UUID.randomUUID().toString(),
                    "correlationId", UUID.randomUUID().toString()));
                        // identifiers in insertion order, as time-based ones would be: the unique index grows at its end
            return new Object[]{globalIndex, sequence, meta, payload, aggregate, new UUID(0xE7E47L, globalIndex).toString(), "1",
                    event.getClass().getName(), DateTimeUtils.formatInstant(at), aggregateType};
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes the file database once the context (and with it the database) is closed. */
    static class DeleteDatabase implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) {
            File dir = new File("target/audit-export");
            File[] files = dir.listFiles();
            if (files != null) {
                for (File f : files) {
                    if (!f.delete()) {
                        f.deleteOnExit();
                    }
                }
            }
        }
    }
}
