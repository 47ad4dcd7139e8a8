package io.roomgate.app.reliability;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.edge.ConsistencyToken;
import io.roomgate.query.web.KnockFeeds;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, rows 2, 6 and 7, on loopback and bounded: slow and abandoned clients cost little.
 * Each attack comes from a loopback address of its own (127.0.0.2, ...) while a probe (a join
 * check) is sent from 127.0.0.1; the probe must be answered, and the time it took goes into the
 * reliability summary.
 * <ul>
 * <li>Bodies that trickle in: 250 connections declare a 50,000-byte body and send a byte every
 * 3 s. One address gets at most {@code roomgate.http.max-requests-per-address} (100) requests in
 * progress, the rest a 429 at once; those admitted are refused (no key: 400; with a key: 408
 * once the body has taken longer than {@code roomgate.http.body-timeout}, 2 s here) and their
 * unread bodies abandoned after {@code roomgate.http.unread-body-timeout}, not swallowed.</li>
 * <li>Reads waiting for a write that never comes: 90 at once; at most
 * {@code roomgate.consistency.max-waiting} (16 here) wait, the others are refused at once.</li>
 * <li>Knock feeds whose clients hang up: found by the heartbeat and closed; a room's feeds are
 * capped.</li>
 * </ul>
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-slow-clients;DB_CLOSE_DELAY=-1",
        "roomgate.http.body-timeout=PT2S",
        "roomgate.consistency.max-waiting=16",
        "roomgate.knock-feeds.heartbeat=PT1S"})
class SlowClientsIT extends WithEmbeddedApp {

    private static final String PART = "slow clients";

    @Autowired
    KnockFeeds feeds;

    @Test
    void bodies_that_trickle_in_without_a_key_are_refused_at_once_and_do_not_hold_workers() throws Exception {
        String room = publicRoom(api);
        List<Socket> sockets = openTrickles(250, null, "127.0.0.2");
        Thread trickling = trickleInBackground(sockets, 6);
        try {
            Thread.sleep(1_500);
            long probe = probe(api, room);
            Map<Integer, Integer> answered = answeredAndClosed(sockets);
            trickling.join();
            Summary.line(PART + ", bodies without a key", "250 connections from one address trickling a 50,000-byte body without a key: " + answered.getOrDefault(400, 0)
                    + " admitted and refused 400, " + answered.getOrDefault(429, 0) + " refused 429 at once (100 in progress per address), "
                    + "every one closed, no body swallowed; a join check from another address meanwhile answered in " + probe + " ms");
            assertThat(answered.getOrDefault(400, 0) + answered.getOrDefault(429, 0)).isEqualTo(250);
            assertThat(answered.getOrDefault(429, 0)).isGreaterThanOrEqualTo(150);
        } finally {
            closeAll(sockets);
        }
    }

    @Test
    void bodies_that_trickle_in_with_a_key_are_cut_off_after_the_body_timeout() throws Exception {
        String room = publicRoom(api);
        List<Socket> sockets = openTrickles(90, Api.ADMIN, "127.0.0.3");
        long started = System.nanoTime();
        Thread trickling = trickleInBackground(sockets, 6);
        try {
            Thread.sleep(1_000);
            long probe = probe(api, room);
            Map<Integer, Integer> answered = answeredAndClosed(sockets);
            long seconds = (System.nanoTime() - started + 999_999_999L) / 1_000_000_000L;
            trickling.join();
            Summary.line(PART + ", bodies with a key", "90 connections trickling a body with a valid key: " + answered.getOrDefault(408, 0) + "/90 answered 408 and closed within "
                    + seconds + " s (body timeout 2 s); a join check from another address meanwhile answered in " + probe + " ms");
            assertThat(answered.getOrDefault(408, 0)).isEqualTo(90);
        } finally {
            closeAll(sockets);
        }
    }

    @Test
    void reads_waiting_for_a_write_that_never_comes_are_capped() throws Exception {
        String room = publicRoom(api);
        String roomId = api.get("/v1/rooms/" + room, Api.ADMIN).text("id");
        String never = new ConsistencyToken(roomId, 1_000_000).encode();
        ExecutorService pool = Executors.newFixedThreadPool(90);
        try {
            List<Future<Api.Answer>> waits = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                waits.add(pool.submit(() -> api.joinCheck("{\"room_name\":\"" + room + "\"}", never)));
            }
            Thread.sleep(300);
            long probe = probe(api, room);
            int refusedAtOnce = 0;
            for (Future<Api.Answer> w : waits) {
                Api.Answer a = w.get();
                assertThat(a.status()).isEqualTo(503);
                assertThat(a.text("error")).isEqualTo("consistency-timeout");
                if (a.text("info").startsWith("too many reads")) {
                    refusedAtOnce++;
                }
            }
            Summary.line(PART + ", waiting reads", "90 join checks waiting for a write that never comes: at most 16 waited, " + refusedAtOnce
                    + " were refused at once (503 consistency-timeout); a join check sent meanwhile answered in " + probe + " ms");
            assertThat(refusedAtOnce).isGreaterThanOrEqualTo(90 - 16);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void knock_feeds_whose_clients_hang_up_are_closed_and_a_rooms_feeds_are_capped() throws Exception {
        String room = Api.uniqueName("feeds");
        assertThat(api.createRoom("{\"name\":\"" + room + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}").status()).isEqualTo(200);
        for (int i = 0; i < 200; i++) {
            assertThat(api.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"k" + i + "\"}").status()).isEqualTo(200);
        }
        int before = feeds.openFeeds();
        List<Socket> sockets = new ArrayList<>();
        int refused = 0;
        try {
            for (int i = 0; i < 60; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
                s.setSoTimeout(10_000);
                s.getOutputStream().write(("GET /v1/rooms/" + room + "/knocks/events HTTP/1.1\r\nHost: localhost\r\n"
                        + "Authorization: Bearer " + Api.JOIN + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String status = statusLine(s.getInputStream());
                if (status.contains(" 429 ")) {
                    refused++;
                    s.close();
                } else {
                    assertThat(status).contains(" 200 ");
                    sockets.add(s);
                }
            }
            assertThat(sockets).as("the room's cap (50)").hasSize(50);
            assertThat(refused).isEqualTo(10);
        } finally {
            closeAll(sockets); // every client hangs up without a word
        }
        long t0 = System.nanoTime();
        while (feeds.openFeeds() > before && System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos()) {
            Thread.sleep(100);
        }
        long gone = (System.nanoTime() - t0) / 1_000_000;
        long probe = probe(api, publicRoom(api));
        Summary.line(PART + ", abandoned feeds", "50 waiting-list feeds on a room with 200 knocks whose clients hung up: closed within " + gone
                + " ms (heartbeat 1 s); 10 more refused by the room's cap (429); a join check then answered in " + probe + " ms");
        assertThat(feeds.openFeeds()).isEqualTo(before);
    }

    // ---- helpers

    private static String publicRoom(Api api) {
        String room = Api.uniqueName("slow");
        assertThat(api.createRoom("{\"name\":\"" + room + "\",\"privacy\":\"public\"}").status()).isEqualTo(200);
        return room;
    }

    /** A join check that must be answered while an attack runs; returns how long it took. */
    private static long probe(Api api, String room) {
        long t0 = System.nanoTime();
        Api.Answer a = api.joinCheck("{\"room_name\":\"" + room + "\"}", null);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        assertThat(a.text("decision")).isEqualTo("allow");
        assertThat(ms).as("the probe was answered, not starved").isLessThan(5_000);
        return ms;
    }

    private List<Socket> openTrickles(int n, String key, String from) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port, InetAddress.getByName(from), 0);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/rooms HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + (key == null ? "" : "Authorization: Bearer " + key + "\r\n")
                    + "Content-Length: 50000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            sockets.add(s);
        }
        return sockets;
    }

    /** A byte every 3 s (well inside the socket's read timeout) on every connection still open, for this many seconds, from a thread of its own. */
    private static Thread trickleInBackground(List<Socket> sockets, int seconds) {
        Thread t = new Thread(() -> {
            try {
                trickle(sockets, seconds);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "trickle");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void trickle(List<Socket> sockets, int seconds) throws InterruptedException {
        for (int t = 0; t < seconds; t += 3) {
            Thread.sleep(3_000);
            for (Socket s : sockets) {
                try {
                    s.getOutputStream().write(' ');
                    s.getOutputStream().flush();
                } catch (IOException closedByTheServer) {
                    // what we want: the server let go of it
                }
            }
        }
    }

    /** Status → how many connections got it and were then closed by the server. */
    private static Map<Integer, Integer> answeredAndClosed(List<Socket> sockets) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Socket s : sockets) {
                results.add(pool.submit(() -> {
                    String line = statusLine(s.getInputStream());
                    String[] parts = line.split(" ");
                    if (parts.length < 2) {
                        return -1;
                    }
                    // the server closes it: reading ends (the rest of the body is never read)
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    while (in.read(buf) >= 0) {
                        // drain the answer until the server closes
                    }
                    return Integer.parseInt(parts[1]);
                }));
            }
            Map<Integer, Integer> counts = new java.util.TreeMap<>();
            for (Future<Integer> r : results) {
                try {
                    counts.merge(r.get(), 1, Integer::sum);
                } catch (java.util.concurrent.ExecutionException e) {
                    counts.merge(-1, 1, Integer::sum); // reset before an answer
                }
            }
            return counts;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString();
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
