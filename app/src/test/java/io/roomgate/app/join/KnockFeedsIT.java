package io.roomgate.app.join;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Knocks, live (access rules §1 "The knocker and the owners can follow a knock live"): the knocker's
 * Server-Sent Events stream says the moment the knock is decided, and the owners' waiting list
 * shows who waits and whether an owner is there to let them in.
 */
@RoomgateTest
class KnockFeedsIT extends WithEmbeddedApp {

    /** How long "the moment" may take: the feed polls the view, which is projected asynchronously. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();

    final List<Feed> feeds = new ArrayList<>();

    @AfterEach
    void closeFeeds() {
        feeds.forEach(Feed::close);
    }

    @Test
    void the_knocker_hears_the_approval_the_moment_it_is_made() throws Exception {
        String room = Api.uniqueName("sse");
        steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        Answer knock = steps.knock(room, "Kim");
        String knockId = knock.text("id");
        // the feed of a knock just filed: it must exist for the feed to open, so wait for the view
        assertThat(steps.get("/v1/knocks/" + knockId, knock).status()).isEqualTo(200);

        Feed feed = open("/v1/knocks/" + knockId + "/events");
        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.contentType()).startsWith("text/event-stream");
        JsonNode first = feed.next(PROMPTLY, e -> true);
        assertThat(first.get("id").asText()).isEqualTo(knockId);
        assertThat(first.get("status").asText()).isEqualTo("pending");
        assertThat(first.get("owner_present").asBoolean()).isTrue();

        Answer approved = steps.approve(knockId, "p-owner");
        assertThat(approved.status()).isEqualTo(200);
        long decidedAt = System.nanoTime();
        JsonNode decided = feed.next(PROMPTLY, e -> !"pending".equals(e.get("status").asText()));
        long tookMillis = (System.nanoTime() - decidedAt) / 1_000_000;
        assertThat(decided.get("status").asText()).isEqualTo("approved");
        assertThat(decided.get("decided_by").asText()).isEqualTo("p-owner");
        assertThat(decided.get("valid_until").isNull()).isFalse();
        assertThat(tookMillis).as("ms from approval to event").isLessThan(PROMPTLY.toMillis());
        assertThat(feed.names()).allMatch("knock"::equals);
        // a decided knock's feed ends
        assertThat(feed.ends(PROMPTLY)).isTrue();
        // and the knocker goes in with it
        steps.expect(body("room_name", room, "knock_id", knockId), approved, "allow", "knock-approved");
    }

    @Test
    void the_knocker_hears_a_denial_too_and_a_late_follower_gets_the_outcome_at_once() throws Exception {
        String room = Api.uniqueName("sse-deny");
        steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        Answer knock = steps.knock(room, "Kim");
        steps.get("/v1/knocks/" + knock.text("id"), knock);
        Feed feed = open("/v1/knocks/" + knock.text("id") + "/events");
        assertThat(feed.next(PROMPTLY, e -> true).get("status").asText()).isEqualTo("pending");
        Answer denied = steps.deny(knock.text("id"), "p-owner");
        assertThat(denied.status()).isEqualTo(200);
        assertThat(feed.next(PROMPTLY, e -> !"pending".equals(e.get("status").asText())).get("status").asText())
                .isEqualTo("denied");
        assertThat(feed.ends(PROMPTLY)).isTrue();

        steps.get("/v1/knocks/" + knock.text("id"), denied);
        Feed late = open("/v1/knocks/" + knock.text("id") + "/events");
        assertThat(late.next(PROMPTLY, e -> true).get("status").asText()).isEqualTo("denied");
        assertThat(late.ends(PROMPTLY)).isTrue();
    }

    @Test
    void the_waiting_list_shows_who_waits_and_that_no_owner_is_there() throws Exception {
        String room = Api.uniqueName("waiting");
        Answer created = steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer empty = steps.get("/v1/rooms/" + room + "/knocks", created);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body().get("total_count").asInt()).isZero();
        assertThat(empty.body().get("owner_present").asBoolean()).isFalse();

        Answer kim = steps.knock(room, "Kim");
        Answer lee = steps.knock(room, "Lee");
        Answer list = steps.get("/v1/rooms/" + room + "/knocks", lee);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().get("room_name").asText()).isEqualTo(room);
        assertThat(list.body().get("owner_present").asBoolean()).isFalse();
        assertThat(list.body().get("total_count").asInt()).isEqualTo(2);
        assertThat(list.body().get("data").get(0).get("id").asText()).isEqualTo(kim.text("id"));
        assertThat(list.body().get("data").get(0).get("user_name").asText()).isEqualTo("Kim");
        assertThat(list.body().get("data").get(1).get("id").asText()).isEqualTo(lee.text("id"));
        // the knocker's own status says no owner is there, so the join server can tell them
        Answer status = steps.get("/v1/knocks/" + kim.text("id"), lee);
        assertThat(status.text("status")).isEqualTo("pending");
        assertThat(status.body().get("owner_present").asBoolean()).isFalse();
        // a participant who is no owner changes nothing
        Answer guest = steps.issue("{\"room_name\":\"" + room + "\"}");
        Answer guestIn = steps.join(room, body("participant_id", "p-guest", "token", guest.text("token")));
        assertThat(steps.get("/v1/rooms/" + room + "/knocks", guestIn).body().get("owner_present").asBoolean()).isFalse();

        // an owner following the room's waiting list sees the knocks already waiting, and themselves arriving
        Feed roomFeed = open("/v1/rooms/" + room + "/knocks/events");
        assertThat(roomFeed.status()).isEqualTo(200);
        JsonNode waiting = roomFeed.next(PROMPTLY, e -> true);
        assertThat(waiting.get("total_count").asInt()).isEqualTo(2);
        assertThat(waiting.get("owner_present").asBoolean()).isFalse();
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        assertThat(roomFeed.next(PROMPTLY, e -> e.get("owner_present").asBoolean()).get("total_count").asInt()).isEqualTo(2);
        Answer approved = steps.approve(kim.text("id"), "p-owner");
        assertThat(approved.status()).isEqualTo(200);
        JsonNode after = roomFeed.next(PROMPTLY, e -> e.get("total_count").asInt() == 1);
        assertThat(after.get("data").get(0).get("id").asText()).isEqualTo(lee.text("id"));
        assertThat(roomFeed.names()).allMatch("waiting-list"::equals);
        // and the list answered once agrees
        Answer once = steps.get("/v1/rooms/" + room + "/knocks", approved);
        assertThat(once.body().get("owner_present").asBoolean()).isTrue();
        assertThat(once.body().get("total_count").asInt()).isEqualTo(1);
    }

    @Test
    void feeds_need_the_join_scope_and_an_existing_knock_or_room() throws Exception {
        assertThat(api.get("/v1/knocks/nope/events", Api.JOIN).status()).isEqualTo(404);
        assertThat(api.get("/v1/rooms/" + Api.uniqueName("none") + "/knocks/events", Api.JOIN).status()).isEqualTo(404);
        assertThat(api.get("/v1/rooms/" + Api.uniqueName("none") + "/knocks", Api.JOIN).status()).isEqualTo(404);
        assertThat(api.get("/v1/knocks/nope/events", Api.ADMIN).status()).isEqualTo(403);
        assertThat(api.get("/v1/knocks/nope/events", null).status()).isEqualTo(400);
    }

    // ---- reading a Server-Sent Events stream with java.net.http

    private Feed open(String path) throws Exception {
        Feed feed = new Feed(URI.create("http://localhost:" + port + path));
        feeds.add(feed);
        return feed;
    }

    /** One SSE connection: events (name, JSON data) queue up as they arrive. */
    static final class Feed {
        private static final JsonNode END = JSON.nullNode();
        private final HttpResponse<Stream<String>> response;
        private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        private final List<String> names = new ArrayList<>();
        private final CompletableFuture<Void> reader;
        private boolean ended;

        Feed(URI uri) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + Api.JOIN)
                    .header("Accept", "text/event-stream")
                    .GET().build();
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines());
            reader = CompletableFuture.runAsync(() -> {
                String name = null;
                StringBuilder data = new StringBuilder();
                try {
                    for (String line : (Iterable<String>) response.body()::iterator) {
                        if (line.startsWith("event:")) {
                            name = line.substring(6).trim();
                        } else if (line.startsWith("data:")) {
                            data.append(line.substring(5).trim());
                        } else if (line.isEmpty() && !data.isEmpty()) {
                            synchronized (names) {
                                names.add(name);
                            }
                            events.add(JSON.readTree(data.toString()));
                            name = null;
                            data.setLength(0);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the stream was closed under us: the end
                } finally {
                    events.add(END);
                }
            });
        }

        int status() {
            return response.statusCode();
        }

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }

        List<String> names() {
            synchronized (names) {
                return List.copyOf(names);
            }
        }

        /** The next event that matches, within {@code max}. */
        JsonNode next(Duration max, Predicate<JsonNode> matching) throws InterruptedException {
            long deadline = System.nanoTime() + max.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                JsonNode e = left <= 0 ? null : events.poll(left, TimeUnit.NANOSECONDS);
                if (e == null) {
                    throw new AssertionError("no matching event within " + max);
                }
                if (e == END) {
                    ended = true;
                    throw new AssertionError("the stream ended before a matching event");
                }
                if (matching.test(e)) {
                    return e;
                }
            }
        }

        /** Whether the server ends the stream within {@code max} (no further events in between). */
        boolean ends(Duration max) throws InterruptedException {
            if (ended) {
                return true;
            }
            JsonNode e = events.poll(max.toMillis(), TimeUnit.MILLISECONDS);
            return e == END;
        }

        void close() {
            reader.cancel(true);
            try {
                response.body().close();
            } catch (RuntimeException ignored) {
                // closing is best effort
            }
        }
    }
}
