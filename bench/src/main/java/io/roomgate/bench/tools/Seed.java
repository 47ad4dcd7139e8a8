package io.roomgate.bench.tools;

import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.token.MeetingTokens;
import io.roomgate.token.SigningKeys;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Data through the public API of a running roomgate (127.0.0.1 only).
 * <pre>
 * rooms  --port P --count N [--threads T] [--seconds S]      POST /v1/rooms bench-room-0..N-1, parallel, time-capped
 * tokens --port P --count N --rooms R --out FILE [--threads T] [--seconds S] [--via api|key|mixed]
 * </pre>
 * {@code tokens} writes "room_name TAB token" lines, each token for a random room of
 * bench-room-0..R-1 with its own jti and user_id. {@code --via api} issues them with
 * POST /v1/meeting-tokens (a TokenIssued event each); {@code --via key} signs them here with the
 * demo profile's key and domain (SPEC: a self-signed token with roomgate's key is valid);
 * {@code --via mixed} issues through the API for up to {@code --seconds} and signs the rest.
 */
public final class Seed {

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 1);
        switch (argv[0]) {
            case "rooms" -> rooms(a);
            case "tokens" -> tokens(a);
            default -> throw new IllegalArgumentException("rooms | tokens");
        }
    }

    private static void rooms(Args a) throws Exception {
        Http http = new Http(a.integer("port", 18080));
        int count = a.integer("count", 100_000);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(a.integer("seconds", 300));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        long t0 = System.nanoTime();
        run(a.integer("threads", 8), () -> {
            int i;
            while ((i = next.getAndIncrement()) < count && System.nanoTime() < deadline) {
                String privacy = i % 2 == 0 ? "public" : "private";
                http.ok("POST", "/v1/rooms", Http.ADMIN, "{\"name\":\"bench-room-" + i + "\",\"privacy\":\"" + privacy + "\"}");
                done.incrementAndGet();
            }
        });
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SEED rooms=%d of %d in %.1f s (%.0f rooms/s)%n", done.get(), count, s, done.get() / s);
    }

    private static void tokens(Args a) throws Exception {
        int port = a.integer("port", 18080);
        int count = a.integer("count", 20_000);
        int rooms = a.integer("rooms", 100_000);
        String via = a.str("via", "api");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(a.integer("seconds", 300));
        long exp = Instant.now().getEpochSecond() + 7 * 86_400;
        String[] lines = new String[count];
        AtomicInteger next = new AtomicInteger();
        long t0 = System.nanoTime();
        int viaApi = 0;
        if (!"key".equals(via)) {
            Http http = new Http(port);
            run(a.integer("threads", 8), () -> {
                int i;
                while (System.nanoTime() < deadline && (i = next.getAndIncrement()) < count) {
                    String room = "bench-room-" + ThreadLocalRandom.current().nextInt(rooms);
                    String body = http.ok("POST", "/v1/meeting-tokens", Http.ADMIN, "{\"properties\":{\"room_name\":\"" + room
                            + "\",\"user_id\":\"tok-user-" + i + "\",\"exp\":" + exp + "}}").body();
                    lines[i] = room + "\t" + Http.field(body, "token");
                }
            });
            for (String l : lines) {
                if (l != null) viaApi++;
            }
        }
        if (!"api".equals(via)) {
            // the rest (all of them with --via key) signed here with the demo profile's key and domain
            byte[] key = Base64.getDecoder().decode(a.str("key", "ZGVtby1vbmx5LXNpZ25pbmcta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMDAwMDA="));
            MeetingTokens signer = new MeetingTokens(new SigningKeys(Map.of(a.str("kid", "demo-1"), key), a.str("kid", "demo-1")),
                    a.str("domain", "demo-domain"));
            for (int i = 0; i < count; i++) {
                if (lines[i] != null) continue;
                String room = "bench-room-" + ThreadLocalRandom.current().nextInt(rooms);
                MeetingTokenClaims claims = new MeetingTokenClaims(room, exp, null, false, null, "tok-user-" + i, false, null,
                        false, Map.of(), Map.of());
                lines[i] = room + "\t" + signer.issue(claims, UUID.randomUUID().toString(), Instant.now());
            }
        }
        int written = 0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(a.str("out", "tokens.tsv"))))) {
            for (String line : lines) {
                if (line != null) {
                    out.println(line);
                    written++;
                }
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("SEED tokens=%d of %d (%d issued via POST /v1/meeting-tokens, %d signed locally with the demo key) in %.1f s%n", written, count, viaApi, written - viaApi, s);
    }

    static void run(int threads, Runnable body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            all.add(pool.submit(body));
        }
        for (Future<?> f : all) {
            f.get();
        }
        pool.shutdown();
    }
}
