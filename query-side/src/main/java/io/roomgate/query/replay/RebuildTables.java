package io.roomgate.query.replay;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowMapper;

import javax.sql.DataSource;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The join-eligibility view's tables and their {@code rebuild_} twins (migration V210). A
 * rebuild runs the view's own projection code against a {@link JdbcTemplate} that rewrites
 * each table name to its twin, on the same data source, so it joins the same transactions.
 * A statement naming a {@code view_} table that has no twin is refused rather than let
 * through to the live view. Every view table needs a primary key (the switch writes only the
 * rows that differ).
 */
final class RebuildTables {

    /** The tables of the join-eligibility view (as {@code io.roomgate.query.view.ViewTables}). */
    static final List<String> VIEW = List.of("view_room", "view_participant", "view_knock", "view_ban",
            "view_revoked_token", "view_member", "view_position", "view_quarantine");
    static final String PREFIX = "rebuild_";

    private static final Pattern VIEW_TABLE = Pattern.compile("(?i)\\bview_[a-z0-9_]+\\b");

    private final JdbcTemplate jdbc;

    RebuildTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    static String twin(String table) {
        return PREFIX + table;
    }

    /** The SQL with every view table replaced by its twin; any other {@code view_} name is an error. */
    static String rewrite(String sql) {
        Matcher m = VIEW_TABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String table = m.group().toLowerCase(Locale.ROOT);
            if (!VIEW.contains(table)) {
                throw new IllegalStateException("the view wrote to " + table + ", which has no rebuild twin: "
                        + "add it to RebuildTables.VIEW and to a migration");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(twin(table)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A JdbcTemplate on the same data source whose statements go to the twins. */
    static JdbcTemplate twinWriter(DataSource dataSource) {
        return new TwinJdbcTemplate(dataSource);
    }

    /**
     * Throws unless every view table has a twin with the same columns (names, types, sizes,
     * nullability), so a rebuild never starts that the switch could not copy.
     */
    void requireTwins() {
        List<String> problems = new ArrayList<>();
        for (String table : VIEW) {
            Map<String, String> live = columns(table);
            Map<String, String> twin = columns(twin(table));
            if (live.isEmpty()) {
                problems.add(table + " does not exist");
            } else if (!live.equals(twin)) {
                problems.add(twin(table) + " " + twin + " differs from " + table + " " + live);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the rebuild tables do not match the view: " + String.join("; ", problems));
        }
    }

    /**
     * Empties the twins. {@code truncate}: on H2 it commits the connection's open transaction, so
     * it runs on its own, never inside the switch (the twins are scratch tables: emptying them
     * needs no atomicity with anything).
     */
    void clearTwins() {
        for (String table : VIEW) {
            jdbc.execute("truncate table " + twin(table));
        }
    }

    /**
     * Makes the view's rows equal to the twins' rows; call inside the switch's transaction. Writes
     * only the difference: a row of the view with no identical twin is deleted, a twin row whose
     * key is then missing from the view is inserted. A rebuild mostly confirms the view, and an
     * index lookup costs far less than a row written (deleting and copying every row made the
     * switch as long as the rebuild itself: issue 18).
     */
    void copyTwinsToView() {
        for (String table : VIEW) {
            List<String> columns = List.copyOf(columns(table).keySet());
            List<String> key = primaryKey(table);
            String same = columns.stream().map(c -> key.contains(c) ? "r." + c + " = v." + c : "r." + c + " is not distinct from v." + c)
                    .collect(java.util.stream.Collectors.joining(" and "));
            String sameKey = key.stream().map(c -> "r." + c + " = v." + c).collect(java.util.stream.Collectors.joining(" and "));
            String list = String.join(", ", columns);
            jdbc.update("delete from " + table + " v where not exists (select 1 from " + twin(table) + " r where " + same + ")");
            jdbc.update("insert into " + table + " (" + list + ") select " + columns.stream().map(c -> "r." + c)
                    .collect(java.util.stream.Collectors.joining(", ")) + " from " + twin(table) + " r where not exists "
                    + "(select 1 from " + table + " v where " + sameKey + ")");
        }
    }

    /** The primary key's columns; every view table has one (the switch's difference needs it). */
    List<String> primaryKey(String table) {
        List<String> key = jdbc.execute((ConnectionCallback<List<String>>) con -> {
            DatabaseMetaData meta = con.getMetaData();
            Map<Integer, String> columns = new java.util.TreeMap<>();
            for (String name : Set.of(table, table.toUpperCase(Locale.ROOT))) {
                try (ResultSet rs = meta.getPrimaryKeys(con.getCatalog(), con.getSchema(), name)) {
                    while (rs.next()) {
                        columns.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
            }
            return List.copyOf(columns.values());
        });
        if (key.isEmpty()) {
            throw new IllegalStateException(table + " has no primary key: the switch cannot tell its rows apart");
        }
        return key;
    }

    /** Column name → type description, in table order; empty if there is no such table. */
    Map<String, String> columns(String table) {
        return jdbc.execute((ConnectionCallback<Map<String, String>>) con -> {
            DatabaseMetaData meta = con.getMetaData();
            Map<String, String> columns = new LinkedHashMap<>();
            for (String name : Set.of(table, table.toUpperCase(Locale.ROOT))) {
                try (ResultSet rs = meta.getColumns(con.getCatalog(), con.getSchema(), name, null)) {
                    while (rs.next()) {
                        columns.put(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT),
                                rs.getString("TYPE_NAME") + "(" + rs.getInt("COLUMN_SIZE") + ")"
                                        + ("NO".equals(rs.getString("IS_NULLABLE")) ? " not null" : ""));
                    }
                }
            }
            return columns;
        });
    }

    /** Rewrites table names on every path the view's code (or ViewPositions) takes through JdbcTemplate. */
    private static final class TwinJdbcTemplate extends JdbcTemplate {

        TwinJdbcTemplate(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        public void execute(String sql) {
            super.execute(rewrite(sql));
        }

        @Override
        public <T> T execute(String sql, PreparedStatementCallback<T> action) {
            return super.execute(rewrite(sql), action);
        }

        @Override
        public <T> T query(String sql, ResultSetExtractor<T> rse) {
            return super.query(rewrite(sql), rse);
        }

        @Override
        public <T> T query(String sql, PreparedStatementSetter pss, ResultSetExtractor<T> rse) {
            return super.query(rewrite(sql), pss, rse);
        }

        @Override
        public <T> Stream<T> queryForStream(String sql, PreparedStatementSetter pss, RowMapper<T> rowMapper) {
            return super.queryForStream(rewrite(sql), pss, rowMapper);
        }

        @Override
        public int update(String sql) {
            return super.update(rewrite(sql));
        }

        @Override
        public int update(String sql, PreparedStatementSetter pss) {
            return super.update(rewrite(sql), pss);
        }

        @Override
        public int[] batchUpdate(String... sql) {
            return super.batchUpdate(Stream.of(sql).map(RebuildTables::rewrite).toArray(String[]::new));
        }

        @Override
        public int[] batchUpdate(String sql, BatchPreparedStatementSetter pss) {
            return super.batchUpdate(rewrite(sql), pss);
        }

        @Override
        public int[] batchUpdate(String sql, List<Object[]> batchArgs, int[] argTypes) {
            return super.batchUpdate(rewrite(sql), batchArgs, argTypes);
        }
    }
}
