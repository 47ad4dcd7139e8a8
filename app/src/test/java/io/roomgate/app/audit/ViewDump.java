package io.roomgate.app.audit;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A canonical dump of the join-eligibility view: every table, every column, rows in a fixed order. */
final class ViewDump {

    static final List<String> TABLES = List.of("view_room", "view_participant", "view_knock", "view_ban",
            "view_revoked_token", "view_member", "view_position", "view_quarantine");

    private ViewDump() {
    }

    /** Table → its rows as text, ordered by every column. */
    static Map<String, List<String>> of(JdbcTemplate jdbc) {
        Map<String, List<String>> dump = new LinkedHashMap<>();
        for (String table : TABLES) {
            Integer columns = jdbc.query("select * from " + table + " where 1 = 0",
                    (org.springframework.jdbc.core.ResultSetExtractor<Integer>) rs -> rs.getMetaData().getColumnCount());
            String orderBy = IntStream.rangeClosed(1, columns).mapToObj(Integer::toString).collect(Collectors.joining(", "));
            List<String> rows = new ArrayList<>();
            jdbc.query("select * from " + table + " order by " + orderBy, (java.sql.ResultSet rs) -> {
                ResultSetMetaData meta = rs.getMetaData();
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    row.append(meta.getColumnName(i).toLowerCase()).append('=').append(value).append(i < meta.getColumnCount() ? " | " : "");
                }
                rows.add(row.toString());
            });
            dump.put(table, rows);
        }
        return dump;
    }

    static String sizes(Map<String, List<String>> dump) {
        return dump.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).collect(Collectors.joining(", "));
    }
}
