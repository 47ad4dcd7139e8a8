package io.roomgate.query.replay;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The switch makes every view table equal to its twin, writing only the rows that differ: found
 * in memory (rows within the bound) or by anti-joins (beyond it). Both ways, on a view that
 * differs from its twins in every way a row can: missing, extra, a column changed, a null on
 * one side only, a composite key.
 */
class RebuildTablesTest {

    @ParameterizedTest(name = "rows held in memory at most: {0}")
    @ValueSource(ints = {500_000, 0})
    void the_switch_makes_the_view_equal_to_its_twins(int maxRowsInMemory) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:rebuild-tables-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/h2").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        for (String prefix : List.of("", "rebuild_")) {
            for (int i = 0; i < 50; i++) {
                jdbc.update("insert into " + prefix + "view_room (room_id, name, live, privacy, properties, nbf, exp, "
                        + "max_participants, enable_knocking, present_count, created_at) values (?, ?, true, 'public', '{}', "
                        + "null, 1795824000, 12, false, 1, timestamp with time zone '2026-11-27 14:00:00+00')", "room-" + i, "r" + i);
                jdbc.update("insert into " + prefix + "view_participant (room_id, participant_id, user_id, admission, is_owner, "
                        + "may_admit, joined_at) values (?, 'p1', 'u1', 'public', false, false, timestamp with time zone "
                        + "'2026-11-27 14:01:00+00')", "room-" + i);
                jdbc.update("insert into " + prefix + "view_position (aggregate_id, seq) values (?, 3)", "room-" + i);
            }
        }
        // the view differs from what the rebuild made
        jdbc.update("update view_room set present_count = 9 where room_id = 'room-1'");
        jdbc.update("update view_room set nbf = 1795784400 where room_id = 'room-2'"); // null in the twin
        jdbc.update("update rebuild_view_room set exp = null where room_id = 'room-3'"); // null in the view
        jdbc.update("delete from view_room where room_id = 'room-4'");
        jdbc.update("delete from rebuild_view_room where room_id = 'room-5'");
        jdbc.update("update view_participant set user_id = null where room_id = 'room-6'");
        jdbc.update("insert into view_participant (room_id, participant_id, admission, is_owner, may_admit, joined_at) "
                + "values ('room-7', 'ghost', 'public', false, false, timestamp with time zone '2026-11-27 14:02:00+00')");
        jdbc.update("insert into rebuild_view_participant (room_id, participant_id, admission, is_owner, may_admit, joined_at) "
                + "values ('room-8', 'p2', 'knock', false, false, timestamp with time zone '2026-11-27 14:03:00+00')");
        jdbc.update("update view_position set seq = 2 where aggregate_id = 'room-9'");
        jdbc.update("insert into rebuild_view_member (member_id) values ('member-1')");
        jdbc.update("insert into view_ban (room_id, user_id) values ('room-1', 'mallory')");
        for (String table : RebuildTables.VIEW) {
            if (List.of("view_room", "view_participant", "view_position", "view_member", "view_ban").contains(table)) {
                assertThat(dump(jdbc, table)).as(table).isNotEqualTo(dump(jdbc, RebuildTables.twin(table)));
            }
        }

        new RebuildTables(jdbc).maxRowsInMemory(maxRowsInMemory).copyTwinsToView();

        for (String table : RebuildTables.VIEW) {
            assertThat(dump(jdbc, table)).as(table).isEqualTo(dump(jdbc, RebuildTables.twin(table)));
        }
        assertThat(dump(jdbc, "view_room")).hasSize(49);
    }

    private static List<String> dump(JdbcTemplate jdbc, String table) {
        List<String> rows = new ArrayList<>(jdbc.queryForList("select * from " + table).stream().map(Object::toString).toList());
        rows.sort(null);
        return rows;
    }
}
