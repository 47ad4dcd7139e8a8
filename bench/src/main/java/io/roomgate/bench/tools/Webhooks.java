package io.roomgate.bench.tools;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook row's helpers (127.0.0.1 only).
 * <pre>
 * silent --port P                                 a receiver that accepts every connection and never answers, until killed
 * answer --port P                                 a receiver that answers every request at once with 204, until killed
 * stream --port P --seconds S [--threads T]       knocking stories through the API, each one in a room of its own
 * </pre>
 * A story: create a private room with knocking, issue an owner token, the owner joins, a guest
 * knocks, the owner approves, the guest joins, both leave, the room is deleted (9 commands, 7
 * notifications for a webhook subscribed to every type).
 */
public final class Webhooks {

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 1);
        switch (argv[0]) {
            case "silent" -> silent(a);
            case "answer" -> answer(a);
            case "stream" -> stream(a);
            default -> throw new IllegalArgumentException("silent | answer | stream");
        }
    }

    private static void silent(Args a) throws IOException {
        List<Socket> held = new CopyOnWriteArrayList<>();
        AtomicLong bytes = new AtomicLong();
        try (ServerSocket server = new ServerSocket(a.integer("port", 18090), 1000, InetAddress.getLoopbackAddress())) {
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
                    System.out.printf("SILENT connections=%d bytes_read=%d (never answered)%n", held.size(), bytes.get())));
            System.out.println("SILENT listening on 127.0.0.1:" + server.getLocalPort());
            while (true) {
                Socket s = server.accept();
                held.add(s);
                Thread reader = new Thread(() -> {
                    byte[] buffer = new byte[4096];
                    try (InputStream in = s.getInputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            bytes.addAndGet(n);
                        }
                    } catch (IOException closed) {
                        // the sender gave up
                    }
                });
                reader.setDaemon(true);
                reader.start();
            }
        }
    }

    private static void answer(Args a) throws IOException {
        AtomicLong requests = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), a.integer("port", 18091)), 1000);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.setExecutor(Executors.newFixedThreadPool(4));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.printf("ANSWER requests=%d (all answered 204)%n", requests.get())));
        server.start();
        System.out.println("ANSWER listening on 127.0.0.1:" + server.getAddress().getPort());
    }

    private static void stream(Args a) throws Exception {
        int port = a.integer("port", 18080);
        Http http = new Http(port);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(a.integer("seconds", 30));
        AtomicInteger stories = new AtomicInteger();
        AtomicInteger commands = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        String tag = Long.toString(System.currentTimeMillis() % 1_000_000, 36);
        Seed.run(a.integer("threads", 2), () -> {
            while (System.nanoTime() < end) {
                String room = "hook-" + tag + "-" + next.getAndIncrement();
                try {
                    story(http, room, commands);
                    stories.incrementAndGet();
                } catch (RuntimeException e) {
                    if (failures.incrementAndGet() <= 3) {
                        System.err.println("story failed: " + e.getMessage());
                    }
                }
            }
        });
        System.out.printf("STREAM stories=%d commands=%d failures=%d seconds=%d%n", stories.get(), commands.get(), failures.get(),
                a.integer("seconds", 30));
    }

    private static void story(Http http, String room, AtomicInteger commands) {
        String rooms = "/v1/rooms/" + room;
        ok(http, commands, "POST", "/v1/rooms", Http.ADMIN,
                "{\"name\":\"" + room + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}");
        String owner = Http.field(ok(http, commands, "POST", "/v1/meeting-tokens", Http.ADMIN,
                "{\"properties\":{\"room_name\":\"" + room + "\",\"is_owner\":true}}").body(), "token");
        ok(http, commands, "POST", rooms + "/participants", Http.JOIN, "{\"participant_id\":\"owner\",\"token\":\"" + owner + "\"}");
        String knock = Http.field(ok(http, commands, "POST", rooms + "/knocks", Http.JOIN, "{\"user_name\":\"guest\"}").body(), "id");
        ok(http, commands, "POST", "/v1/knocks/" + knock + "/approve", Http.JOIN, "{\"by_participant_id\":\"owner\"}");
        ok(http, commands, "POST", rooms + "/participants", Http.JOIN, "{\"participant_id\":\"guest\",\"knock_id\":\"" + knock + "\"}");
        ok(http, commands, "DELETE", rooms + "/participants/guest", Http.JOIN, null);
        ok(http, commands, "DELETE", rooms + "/participants/owner", Http.JOIN, null);
        ok(http, commands, "DELETE", rooms, Http.ADMIN, null);
    }

    private static HttpResponse<String> ok(Http http, AtomicInteger commands, String method, String path, String key, String body) {
        HttpResponse<String> r = http.ok(method, path, key, body);
        commands.incrementAndGet();
        return r;
    }
}
