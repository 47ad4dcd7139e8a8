package io.roomgate.bench.tools;

import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Command-path load on a running roomgate (127.0.0.1 only).
 * <pre>
 * load        --port P --threads T --seconds S --rooms R [--client raw|jdk]
 *                                                          row 3: T workers loop issue token / join / leave, each on
 *                                                          its own keep-alive connection (raw: RawHttp, the default;
 *                                                          jdk: the JDK's HttpClient); prints the generator's own CPU
 *                                                          (P may be a list: worker w sends to P[w mod |P|])
 * history     --port P --samples N [--warmup W] [--max-seconds S] [--fresh NAME|new]
 *                                                          row 5: join+leave on bench-room-0 (fresh) vs bench-heavy, alternated, until N samples or S seconds;
 *                                                          --fresh new: the floor is a room created just before each sample (one event), not one room that grows
 * consistency --port P --samples N [--query-port Q] [--mode token|full|minimize-latency]
 *                                                          row 7: privacy flip, then a join check: with the flip's consistency
 *                                                          token (token), with no header (full, the default level), or
 *                                                          with X-Consistency: minimize-latency (counts stale answers)
 * writes      --port P --rate R --seconds S [--rooms N]    background writes for the consistency rows: R commands/s spread
 *                                                          evenly (privacy flips of bench-writes-0..N-1, created first),
 *                                                          from one thread; prints what it achieved
 * </pre>
 * {@code consistency} sends the flip to P and the check to Q (default P: the same node). Both take
 * comma-separated lists (scale-out: command nodes and query nodes are different processes); sample
 * i flips on P[i mod |P|] and checks on Q[(i div |P|) mod |Q|], so every pair is used.
 */
public final class Commands {

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 1);
        switch (argv[0]) {
            case "load" -> load(a);
            case "history" -> history(a);
            case "consistency" -> consistency(a);
            case "writes" -> writes(a);
            default -> throw new IllegalArgumentException("load | history | consistency | writes");
        }
    }

    /** One HTTP exchange of a load thread. */
    private interface Sender {
        RawHttp.Reply send(String method, String path, String key, String body);
    }

    /** Row 3: each worker owns rooms w, w+T, w+2T, ... so no two workers write the same room aggregate. */
    private static void load(Args a) throws Exception {
        Http[] nodes = nodes(a.str("port", "18080")); // a list: worker w sends to node w mod n
        int threads = a.integer("threads", 8);
        int rooms = a.integer("rooms", 1000);
        int warmup = a.integer("warmup", 10);
        int seconds = a.integer("seconds", 60);
        Stats issue = new Stats();
        Stats join = new Stats();
        Stats leave = new Stats();
        AtomicLong commands = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
        int[] worker = {0};
        String[] ports = a.str("port", "18080").split(",");
        boolean raw = !"jdk".equals(a.str("client", "raw"));
        AtomicLong sent = new AtomicLong();
        Seed.run(threads, () -> {
            int w;
            synchronized (worker) {
                w = worker[0]++;
            }
            Http http = nodes[w % nodes.length];
            RawHttp lean = raw ? new RawHttp(Integer.parseInt(ports[w % ports.length].trim())) : null;
            Sender send = lean != null ? lean::send : (method, path, key, body) -> {
                HttpResponse<String> r = http.send(method, path, key, body, null);
                return new RawHttp.Reply(r.statusCode(), r.body());
            };
            long exp = System.currentTimeMillis() / 1000 + 86_400;
            int k = 0;
            while (System.nanoTime() < end) {
                int roomIndex = (w + threads * (k++)) % rooms;
                roomIndex = roomIndex - roomIndex % threads + w; // stay in this worker's residue class
                if (roomIndex >= rooms) roomIndex = w;
                String room = "bench-room-" + roomIndex;
                String participant = "cl-" + UUID.randomUUID();
                String user = "u-" + w + "-" + k; // user_id is at most 36 characters
                long t0 = System.nanoTime();
                RawHttp.Reply r1 = send.send("POST", "/v1/meeting-tokens", Http.ADMIN,
                        "{\"properties\":{\"room_name\":\"" + room + "\",\"user_id\":\"" + user + "\",\"exp\":" + exp + "}}");
                long t1 = System.nanoTime();
                String token = Http.field(r1.body(), "token");
                RawHttp.Reply r2 = send.send("POST", "/v1/rooms/" + room + "/participants", Http.JOIN,
                        "{\"participant_id\":\"" + participant + "\",\"token\":\"" + token + "\"}");
                long t2 = System.nanoTime();
                RawHttp.Reply r3 = send.send("DELETE", "/v1/rooms/" + room + "/participants/" + participant, Http.JOIN, null);
                long t3 = System.nanoTime();
                sent.addAndGet(3);
                if (t0 >= measureFrom && t3 <= end) {
                    issue.add((t1 - t0) / 1000);
                    join.add((t2 - t1) / 1000);
                    leave.add((t3 - t2) / 1000);
                    commands.addAndGet(3);
                    for (RawHttp.Reply r : new RawHttp.Reply[]{r1, r2, r3}) {
                        if (r.status() / 100 != 2) {
                            if (failures.incrementAndGet() < 5) {
                                System.err.println("failed: " + r.status() + " " + r.body());
                            }
                        }
                    }
                }
            }
            if (lean != null) {
                lean.close();
            }
        });
        double cpuMs = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e6;
        System.out.printf("load generator (%s client): %.1f s of CPU for %d commands sent (warm-up included): %.3f ms per command%n",
                raw ? "raw socket" : "JDK HttpClient", cpuMs / 1000, sent.get(), cpuMs / Math.max(1, sent.get()));
        System.out.println("issue token: " + issue.summary());
        System.out.println("join:        " + join.summary());
        System.out.println("leave:       " + leave.summary());
        System.out.printf("RESULT commands_per_s=%.1f commands=%d failures=%d threads=%d seconds=%d%n",
                commands.get() / (double) seconds, commands.get(), failures.get(), threads, seconds);
    }

    /** Row 5: the same join + leave on a fresh room and on a room with a long history, alternated. */
    private static void history(Args a) {
        Http http = new Http(a.integer("port", 18080));
        int samples = a.integer("samples", 200);
        String fresh = a.str("fresh", "bench-room-0");
        String heavy = a.str("heavy", "bench-heavy");
        long t0 = System.nanoTime();
        // the first command loads the whole history (no snapshot yet): allow it up to 30 minutes
        joinLeave(new Http(a.integer("port", 18080), java.time.Duration.ofMinutes(30)), heavy, "first");
        System.out.printf("RESULT first_command_on_heavy_room_ms=%.1f (join+leave; loads the whole history, then a snapshot is taken)%n",
                (System.nanoTime() - t0) / 1e6);
        int warmup = a.integer("warmup", 20);
        long stopAt = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(a.integer("max-seconds", 300));
        Http slow = new Http(a.integer("port", 18080), java.time.Duration.ofMinutes(30));
        boolean newEachTime = fresh.equals("new");
        for (int i = 0; i < warmup && System.nanoTime() < stopAt; i++) {
            joinLeave(http, newEachTime ? newRoom(http, "w" + i) : fresh, "w" + i);
            joinLeave(slow, heavy, "w" + i);
        }
        Stats f = new Stats();
        Stats h = new Stats();
        for (int i = 0; i < samples && System.nanoTime() < stopAt; i++) {
            String floorRoom = newEachTime ? newRoom(http, "s" + i) : fresh;
            long s0 = System.nanoTime();
            joinLeave(http, floorRoom, "s" + i);
            long s1 = System.nanoTime();
            joinLeave(slow, heavy, "s" + i);
            long s2 = System.nanoTime();
            f.add((s1 - s0) / 1000);
            h.add((s2 - s1) / 1000);
        }
        System.out.println("fresh room (join+leave): " + f.summary());
        System.out.println("heavy room (join+leave): " + h.summary());
        System.out.printf("RESULT fresh_p50_ms=%.2f heavy_p50_ms=%.2f ratio_p50=%.2f fresh_p99_ms=%.2f heavy_p99_ms=%.2f ratio_p99=%.2f%n",
                f.pct(50), h.pct(50), h.pct(50) / f.pct(50), f.pct(99), h.pct(99), h.pct(99) / f.pct(99));
    }

    /** A public room with one event (RoomCreated), created outside the timed part. */
    private static String newRoom(Http http, String tag) {
        String name = "bench-fresh-" + tag + "-" + UUID.randomUUID().toString().substring(0, 8);
        http.ok("POST", "/v1/rooms", Http.ADMIN, "{\"name\":\"" + name + "\",\"privacy\":\"public\"}");
        return name;
    }

    private static Http[] nodes(String ports) {
        return java.util.Arrays.stream(ports.split(",")).map(p -> new Http(Integer.parseInt(p.strip()))).toArray(Http[]::new);
    }

    private static void joinLeave(Http http, String room, String tag) {
        String participant = "hist-" + tag + "-" + UUID.randomUUID();
        http.ok("POST", "/v1/rooms/" + room + "/participants", Http.JOIN, "{\"participant_id\":\"" + participant + "\"}");
        http.ok("DELETE", "/v1/rooms/" + room + "/participants/" + participant, Http.JOIN, null);
    }

    /** Row 7: command accepted → join check that reflects it, on the same node or across nodes. */
    private static void consistency(Args a) {
        String commandPorts = a.str("port", "18080");
        Http[] commandNodes = nodes(commandPorts);
        Http[] queryNodes = nodes(a.str("query-port", commandPorts));
        int samples = a.integer("samples", 300);
        String room = a.str("room", "bench-room-0");
        String mode = a.str("mode", "token");
        Stats command = new Stats();
        Stats check = new Stats();
        Stats total = new Stats();
        boolean priv = false;
        int wrong = 0;
        for (int i = 0; i < samples + 20; i++) {
            priv = !priv;
            Http http = commandNodes[i % commandNodes.length];
            Http queryNode = queryNodes[(i / commandNodes.length) % queryNodes.length];
            long t0 = System.nanoTime();
            HttpResponse<String> c = http.ok("POST", "/v1/rooms/" + room, Http.ADMIN, "{\"privacy\":\"" + (priv ? "private" : "public") + "\"}");
            long t1 = System.nanoTime();
            String ct = switch (mode) {
                case "token" -> c.headers().firstValue("X-Consistency-Token").orElseThrow();
                case "full" -> null;
                case "minimize-latency" -> "minimize-latency";
                default -> throw new IllegalArgumentException("--mode token | full | minimize-latency");
            };
            HttpResponse<String> q = queryNode.send("POST", "/v1/join-checks", Http.JOIN, "{\"room_name\":\"" + room + "\"}", ct);
            long t2 = System.nanoTime();
            String expected = priv ? "private-room" : "public-room";
            if (q.statusCode() != 200 || !expected.equals(Http.field(q.body(), "reason"))) {
                if (wrong++ < 5) {
                    System.err.println("stale or failed: expected " + expected + " after " + c.statusCode()
                            + " (" + mode + "), got " + q.statusCode() + " " + q.body());
                }
            }
            if (i >= 20) {
                command.add((t1 - t0) / 1000);
                check.add((t2 - t1) / 1000);
                total.add((t2 - t0) / 1000);
            }
        }
        System.out.println("command (POST /v1/rooms/{name}): " + command.summary());
        System.out.println("join check (" + mode + "):" + " ".repeat(Math.max(1, 22 - mode.length())) + check.summary());
        System.out.println("accepted → reflected (total):     " + total.summary());
        System.out.printf("RESULT mode=%s command_p99_ms=%.2f total_p50_ms=%.2f total_p99_ms=%.2f check_p99_ms=%.2f stale_or_failed=%d%n",
                mode, command.pct(99), total.pct(50), total.pct(99), check.pct(99), wrong);
    }

    /** Background writes at a steady rate while the join checks of the consistency rows are measured. */
    private static void writes(Args a) throws Exception {
        Http[] nodes = nodes(a.str("port", "18080"));
        double rate = a.integer("rate", 50);
        long seconds = a.integer("seconds", 60);
        int rooms = a.integer("rooms", 10);
        for (int r = 0; r < rooms; r++) {
            HttpResponse<String> c = nodes[0].send("POST", "/v1/rooms", Http.ADMIN, "{\"name\":\"bench-writes-" + r + "\"}", null);
            if (c.statusCode() != 200 && !c.body().contains("already exists")) {
                throw new IllegalStateException("create bench-writes-" + r + ": " + c.statusCode() + " " + c.body());
            }
        }
        long period = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long sent = 0;
        long failed = 0;
        Stats latency = new Stats();
        while (System.nanoTime() < end) {
            long due = start + sent * period;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            String room = "bench-writes-" + (sent % rooms);
            boolean priv = (sent / rooms) % 2 == 0;
            long t0 = System.nanoTime();
            HttpResponse<String> r = nodes[(int) (sent % nodes.length)].send("POST", "/v1/rooms/" + room, Http.ADMIN,
                    "{\"privacy\":\"" + (priv ? "private" : "public") + "\"}", null);
            latency.add((System.nanoTime() - t0) / 1000);
            if (r.statusCode() != 200) {
                failed++;
            }
            sent++;
        }
        double took = (System.nanoTime() - start) / 1e9;
        System.out.printf("WRITES sent=%d failed=%d rate=%.1f/s latency %s%n", sent, failed, sent / took, latency.summary());
    }
}
