package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.RepeatedTest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.roomgate.app.admin.AdminApiSupport.quoted;
import static org.assertj.core.api.Assertions.assertThat;

/** Of several creates of one name at once, exactly one wins; the others get Daily's 400 (or a 409), never a 500. */
@RoomgateTest
class ConcurrentRoomCreateIT extends WithEmbeddedApp {

    private static final int RACERS = 8;

    @RepeatedTest(5)
    void exactly_one_of_racing_creates_of_one_name_wins() throws Exception {
        String name = Api.uniqueName("race");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            List<Future<Api.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return api.createRoom("{\"name\":" + quoted(name) + "}");
                }));
            }
            start.countDown();
            List<Api.Answer> results = new ArrayList<>();
            for (Future<Api.Answer> f : answers) {
                results.add(f.get(120, TimeUnit.SECONDS));
            }
            assertThat(results).filteredOn(a -> a.status() == 200).hasSize(1);
            assertThat(results).filteredOn(a -> a.status() == 200).singleElement()
                    .satisfies(a -> assertThat(a.consistencyToken()).isNotBlank());
            for (Api.Answer lost : results.stream().filter(a -> a.status() != 200).toList()) {
                assertThat(lost.status()).as(lost.raw()).isIn(400, 409);
                if (lost.status() == 400) {
                    AdminApiSupport.assertDailyError(lost, 400, "invalid-request-error");
                    assertThat(lost.text("info")).isEqualTo("a room named " + name + " already exists");
                } else {
                    AdminApiSupport.assertDailyError(lost, 409, "conflict");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        // one room, one RoomCreated
        List<byte[]> created = jdbc.queryForList("select payload from domain_event_entry where payload_type = ?",
                byte[].class, "io.roomgate.events.RoomCreated");
        assertThat(created).filteredOn(p -> new String(p, StandardCharsets.UTF_8).contains("\"name\":\"" + name + "\"")).hasSize(1);
        Api.Answer list = api.get("/v1/rooms/" + name, Api.ADMIN);
        assertThat(list.status()).isIn(200, 404); // the view may still be catching up; the store is what counts
    }
}
