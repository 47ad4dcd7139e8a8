package io.roomgate.query.replay;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCallback;
import org.springframework.jdbc.core.PreparedStatementSetter;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.RowMapper;

import javax.sql.DataSource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
     * key is then missing from the view is inserted. A rebuild mostly confirms the view, and
     * deleting and copying every row made the switch as long as the rebuild itself (issue 18).
     * Where it is cheaper, the difference is found in memory ({@link #differenceInMemory}).
     */
    void copyTwinsToView() {
        boolean h2 = isH2();
        for (String table : VIEW) {
            List<String> columns = List.copyOf(columns(table).keySet());
            List<String> key = primaryKey(table);
            if (h2 && count(twin(table)) <= maxRowsInMemory) {
                differenceInMemory(table, columns, key);
            } else {
                differenceInSql(table, columns, key);
            }
        }
    }

    /** Twin rows a switch holds in memory per table at most (a digest and the key of each). */
    private int maxRowsInMemory = 500_000;

    RebuildTables maxRowsInMemory(int rows) {
        this.maxRowsInMemory = rows;
        return this;
    }

    /**
     * The difference by two anti-joins on the primary key. PostgreSQL runs them as hash joins; H2
     * probes the other table's index once per row, which is what H2 does past the in-memory bound.
     */
    private void differenceInSql(String table, List<String> columns, List<String> key) {
        String same = columns.stream().map(c -> key.contains(c) ? "r." + c + " = v." + c : "r." + c + " is not distinct from v." + c)
                .collect(Collectors.joining(" and "));
        String sameKey = key.stream().map(c -> "r." + c + " = v." + c).collect(Collectors.joining(" and "));
        jdbc.update("delete from " + table + " v where not exists (select 1 from " + twin(table) + " r where " + same + ")");
        jdbc.update("insert into " + table + " (" + String.join(", ", columns) + ") select "
                + columns.stream().map(c -> "r." + c).collect(Collectors.joining(", ")) + " from " + twin(table)
                + " r where not exists (select 1 from " + table + " v where " + sameKey + ")");
    }

    /**
     * The difference by reading each table once, in whatever order it is stored: the twin's rows
     * as key → digest of every column, then the view's rows compared against them. On H2 a plain
     * scan costs a fifth of an index probe per row. Only the rows that differ are then written.
     */
    private void differenceInMemory(String table, List<String> columns, List<String> key) {
        String select = "select " + String.join(", ", columns) + " from ";
        int[] keyAt = key.stream().mapToInt(k -> columns.indexOf(k) + 1).toArray();
        Map<Object, byte[]> twins = new HashMap<>();
        MessageDigest sha = sha256();
        jdbc.query(select + twin(table), (RowCallbackHandler) rs -> twins.put(key(rs, keyAt), digest(sha, rs, columns.size())));
        List<Object> delete = new ArrayList<>();
        List<Object> insert = new ArrayList<>();
        jdbc.query(select + table, (RowCallbackHandler) rs -> {
            Object k = key(rs, keyAt);
            byte[] twin = twins.remove(k);
            if (twin == null || !Arrays.equals(twin, digest(sha, rs, columns.size()))) {
                delete.add(k);
                if (twin != null) {
                    insert.add(k);
                }
            }
        });
        insert.addAll(twins.keySet());
        String byKey = key.stream().map(c -> c + " = ?").collect(Collectors.joining(" and "));
        if (!delete.isEmpty()) {
            jdbc.batchUpdate("delete from " + table + " where " + byKey, keyArgs(delete));
        }
        if (!insert.isEmpty()) {
            jdbc.batchUpdate("insert into " + table + " (" + String.join(", ", columns) + ") select " + String.join(", ", columns)
                    + " from " + twin(table) + " where " + byKey, keyArgs(insert));
        }
    }

    /** A one-column key as its value, a longer one as the list of its values. */
    private static Object key(ResultSet rs, int[] keyAt) throws SQLException {
        if (keyAt.length == 1) {
            return rs.getObject(keyAt[0]);
        }
        List<Object> values = new ArrayList<>(keyAt.length);
        for (int at : keyAt) {
            values.add(rs.getObject(at));
        }
        return values;
    }

    private static List<Object[]> keyArgs(List<Object> keys) {
        return keys.stream().map(k -> k instanceof List<?> values ? values.toArray() : new Object[]{k}).toList();
    }

    /** SHA-256 of every column's value (length-prefixed text, null apart), cut to 16 bytes. */
    private static byte[] digest(MessageDigest sha, ResultSet rs, int count) throws SQLException {
        for (int i = 1; i <= count; i++) {
            Object value = rs.getObject(i);
            if (value == null) {
                sha.update((byte) 0);
            } else {
                byte[] text = String.valueOf(value).getBytes(StandardCharsets.UTF_8);
                sha.update((byte) 1);
                sha.update(ByteBuffer.allocate(4).putInt(text.length).array());
                sha.update(text);
            }
        }
        return Arrays.copyOf(sha.digest(), 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String table) {
        Long n = jdbc.queryForObject("select count(*) from " + table, Long.class);
        return n == null ? 0 : n;
    }

    private boolean isH2() {
        return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) con ->
                con.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("h2")));
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
