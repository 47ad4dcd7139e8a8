package io.roomgate.app.audit;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rebuilding the join-eligibility view: a seeded random workload of 10,000 commands builds the
 * view live; a rebuild from the first event (beside the live view, then switched in) builds it
 * again, and a canonical dump of every view table is the same before and after. Join checks
 * keep being answered from the old view meanwhile. On a database of its own, so nothing from
 * other test classes (their deadlines) writes while the two dumps are taken.
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-replay;DB_CLOSE_DELAY=-1",
        "roomgate.replay.log-interval=PT1S"})
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewReplayIT extends WithEmbeddedApp {

    private static final Logger log = LoggerFactory.getLogger(ViewReplayIT.class);
    private static final long SEED = Long.getLong("roomgate.workload.seed", 20261127L);
    private static final int COMMANDS = Integer.getInteger("roomgate.workload.commands", 10_000);
    private static final String STATUS = "/v1/admin/projections/join-eligibility/status";
    private static final String REPLAY = "/v1/admin/projections/join-eligibility/replay";

    @Autowired
    CommandGateway gateway;

    @Test
    @Order(1)
    void a_full_replay_rebuilds_the_view_the_live_workload_built() {
        long started = System.nanoTime();
        Workload workload = new Workload(gateway, SEED, "w");
        workload.run(COMMANDS);
        log.info("workload (seed {}): {} commands sent, {} accepted, refused {}; {} events stored in {} ms", SEED,
                workload.sent, workload.accepted, workload.rejectedByCommand, api.eventCount(),
                (System.nanoTime() - started) / 1_000_000);
        assertThat(workload.sent).isGreaterThanOrEqualTo(10_000);
        assertThat(workload.accepted).as("most commands are accepted").isGreaterThan(workload.sent / 2);

        JsonNode caughtUp = awaitLiveCaughtUp();
        assertThat(caughtUp.get("replaying").asBoolean()).isFalse();
        Map<String, List<String>> live = ViewDump.of(jdbc);
        log.info("view built live: {}", ViewDump.sizes(live));
        assertThat(live.get("view_room")).hasSizeGreaterThan(20);
        assertThat(live.get("view_participant")).isNotEmpty();
        assertThat(live.get("view_knock")).isNotEmpty();
        assertThat(live.get("view_revoked_token")).isNotEmpty();
        assertThat(live.get("view_member")).isNotEmpty();
        assertThat(live.get("view_ban")).isNotEmpty();

        // a public room to ask about while the view is rebuilt
        String publicRoom = jdbc.queryForObject("select min(name) from view_room where live = true and privacy = 'public' "
                + "and (max_participants is null or present_count < max_participants)", String.class);
        assertThat(joinCheck(publicRoom).text("reason")).isEqualTo("public-room");

        // damage the live view: only a rebuild from the events can make it right again
        jdbc.update("delete from view_member");
        jdbc.update("delete from view_revoked_token where token_id in (select min(token_id) from view_revoked_token)");
        jdbc.update("insert into view_ban (room_id, user_id) values ('no-such-room', 'nobody')");
        // a row whose key stays but whose other columns differ, a null among them (the switch writes only differences)
        assertThat(jdbc.update("update view_room set present_count = present_count + 7, "
                + "nbf = case when nbf is null then 1 else null end where room_id = (select min(room_id) from view_room)")).isOne();
        assertThat(ViewDump.of(jdbc)).isNotEqualTo(live);

        Answer accepted = api.post(REPLAY, Api.ADMIN, null);
        assertThat(accepted.status()).as(accepted.raw()).isEqualTo(202);
        assertThat(accepted.body().get("replaying").asBoolean()).isTrue();
        assertThat(accepted.text("state")).isIn("rebuilding", "switching");

        // one rebuild at a time
        Answer again = api.post(REPLAY, Api.ADMIN, null);
        if (again.status() != 202) { // unless the first already finished
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.text("error")).isEqualTo("conflict");
        }

        // meanwhile: join checks are answered from the old view, progress is reported
        List<Double> percents = new ArrayList<>();
        int answered = 0;
        JsonNode status;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            status = api.get(STATUS, Api.ADMIN).body();
            if (!status.get("replaying").asBoolean()) {
                break;
            }
            assertThat(status.get("head").asLong()).isEqualTo(caughtUp.get("head").asLong());
            assertThat(status.get("percent").asDouble()).isBetween(0.0, 100.0);
            percents.add(status.get("percent").asDouble());
            Answer check = joinCheck(publicRoom);
            assertThat(check.status()).isEqualTo(200);
            assertThat(check.text("reason")).as("answered from the old view while rebuilding").isEqualTo("public-room");
            answered++;
            assertThat(System.nanoTime()).as("the rebuild ends").isLessThan(deadline);
            Waiting.sleep(java.time.Duration.ofMillis(20));
        }
        log.info("rebuild done: {}; {} join checks answered meanwhile; progress seen {}", status, answered, percents);
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("done");
        assertThat(status.get("error").isNull()).isTrue();
        assertThat(status.get("events_applied").asLong()).isEqualTo(api.eventCount());
        assertThat(status.get("percent").asDouble()).isEqualTo(100.0);
        assertThat(status.get("eta_seconds").asDouble()).isZero();
        assertThat(status.get("events_per_second").asDouble()).isPositive();
        assertThat(status.get("started_at").asText()).isNotEmpty();
        assertThat(status.get("finished_at").asText()).isNotEmpty();
        assertThat(percents).isSorted();

        awaitLiveCaughtUp();
        Map<String, List<String>> rebuilt = ViewDump.of(jdbc);
        for (String table : ViewDump.TABLES) {
            assertThat(rebuilt.get(table)).as(table).containsExactlyElementsOf(live.get(table));
        }
        assertThat(rebuilt).isEqualTo(live);
        assertThat(joinCheck(publicRoom).text("reason")).isEqualTo("public-room");
        // the rebuild tables are left empty
        assertThat(jdbc.queryForObject("select count(*) from rebuild_view_room", Long.class)).isZero();
    }

    @Test
    @Order(2)
    void writes_during_a_rebuild_are_in_the_view_after_the_switch() {
        Answer started = api.post(REPLAY, Api.ADMIN, null);
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        List<String> names = new ArrayList<>();
        String lastToken = null;
        for (int i = 0; i < 20; i++) {
            String name = Api.uniqueName("during");
            Answer created = api.createRoom("{\"name\":\"" + name + "\",\"privacy\":\"private\"}");
            assertThat(created.status()).isEqualTo(200);
            names.add(name);
            lastToken = created.consistencyToken();
            // read-your-writes keeps working: the live processor still runs while the rebuild builds beside it
            Answer check = api.joinCheck("{\"room_name\":\"" + name + "\"}", lastToken);
            assertThat(check.status()).as(check.raw()).isIn(200, 503);
            Waiting.sleep(java.time.Duration.ofMillis(10));
        }
        Waiting.waitUntil("the rebuild is done", Duration.ofMinutes(3),
                () -> !api.get(STATUS, Api.ADMIN).body().get("replaying").asBoolean());
        assertThat(api.get(STATUS, Api.ADMIN).text("state")).isEqualTo("done");
        for (String name : names) {
            Waiting.waitUntil(name + " in the view", Duration.ofSeconds(10),
                    () -> "private-room".equals(api.joinCheck("{\"room_name\":\"" + name + "\"}", null).text("reason")));
        }
        assertThat(api.joinCheck("{\"room_name\":\"" + names.get(names.size() - 1) + "\"}", lastToken).text("reason"))
                .isEqualTo("private-room");
        awaitLiveCaughtUp();
    }

    @Test
    @Order(3)
    void only_the_join_eligibility_view_and_only_admins() {
        assertThat(api.post("/v1/admin/projections/nope/replay", Api.ADMIN, null).text("error")).isEqualTo("not-found");
        assertThat(api.post("/v1/admin/projections/nope/replay", Api.ADMIN, null).status()).isEqualTo(404);
        assertThat(api.get("/v1/admin/projections/nope/status", Api.ADMIN).status()).isEqualTo(404);
        assertThat(api.post(REPLAY, Api.AUDIT, null).status()).isEqualTo(403);
        assertThat(api.post(REPLAY, Api.JOIN, null).text("error")).isEqualTo("forbidden-error");
        assertThat(api.get(STATUS, Api.AUDIT).status()).isEqualTo(403);
        assertThat(api.get(STATUS, null).text("error")).isEqualTo("authorization-header-error");

        JsonNode status = api.get(STATUS, Api.ADMIN).body();
        assertThat(status.get("name").asText()).isEqualTo("join-eligibility");
        assertThat(status.get("live").get("running").asBoolean()).isTrue();
        assertThat(status.get("head").asLong()).isEqualTo(jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class));
    }

    @Test
    @Order(4)
    void the_rebuild_knows_every_table_of_the_view() throws Exception {
        Class<?> viewTables = Class.forName("io.roomgate.query.view.ViewTables");
        Field all = viewTables.getDeclaredField("ALL");
        all.setAccessible(true);
        List<Object> tables = List.copyOf((List<?>) all.get(null));
        assertThat(new ArrayList<Object>(ViewDump.TABLES)).isEqualTo(tables);
        Class<?> rebuildTables = Class.forName("io.roomgate.query.replay.RebuildTables");
        Field view = rebuildTables.getDeclaredField("VIEW");
        view.setAccessible(true);
        assertThat(List.copyOf((List<?>) view.get(null))).isEqualTo(tables);
    }

    @Test
    @Order(5)
    void a_rebuild_table_out_of_step_with_the_view_refuses_to_start() {
        jdbc.execute("alter table rebuild_view_member add column extra integer");
        try {
            Answer refused = api.post(REPLAY, Api.ADMIN, null);
            assertThat(refused.status()).isEqualTo(500);
            assertThat(refused.text("error")).isEqualTo("server-error");
            assertThat(api.get(STATUS, Api.ADMIN).body().get("replaying").asBoolean()).isFalse();
        } finally {
            jdbc.execute("alter table rebuild_view_member drop column extra");
        }
        Answer accepted = api.post(REPLAY, Api.ADMIN, null);
        assertThat(accepted.status()).isEqualTo(202);
        Waiting.waitUntil("the rebuild is done", Duration.ofMinutes(3),
                () -> "done".equals(api.get(STATUS, Api.ADMIN).text("state")));
        awaitLiveCaughtUp();
    }

    private Answer joinCheck(String room) {
        return api.joinCheck("{\"room_name\":\"" + room + "\"}", null);
    }

    private JsonNode awaitLiveCaughtUp() {
        JsonNode[] last = new JsonNode[1];
        Waiting.waitUntil("the live view caught up", Duration.ofMinutes(2), () -> {
            last[0] = api.get(STATUS, Api.ADMIN).body();
            JsonNode live = last[0].get("live");
            return live.get("running").asBoolean() && live.get("caught_up").asBoolean()
                    && live.get("position").asLong() >= last[0].get("head").asLong();
        });
        return last[0];
    }
}
