package io.roomgate.bench.tools;

import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw JDBC floors on the app's own database: its H2 file (the app must be stopped: H2 locks the
 * file), or with {@code --url jdbc:postgresql://...} a PostgreSQL database (the services may run).
 * <pre>
 * insert --dir D --threads T --seconds S   row 3: one event-sized row per commit into a copy of
 *                                          domain_event_entry's DDL (same keys), then dropped
 * scan   --dir D                           row 4: select every column of domain_event_entry in
 *                                          global_index order, reading every value
 * </pre>
 */
public final class Floors {

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 1);
        String url = a.str("url", Db.url(a.str("dir", ".")));
        switch (argv[0]) {
            case "insert" -> insert(url, a.integer("threads", 8), a.integer("seconds", 30));
            case "scan" -> scan(url);
            default -> throw new IllegalArgumentException("insert | scan");
        }
    }

    private static void insert(String url, int threads, int seconds) throws Exception {
        try (HikariDataSource ds = Db.open(url, threads + 1)) {
            int payload;
            int meta;
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select coalesce(avg(octet_length(payload)), 300), coalesce(avg(octet_length(meta_data)), 150) "
                        + "from (select payload, meta_data from domain_event_entry order by global_index desc limit 10000) recent")) {
                    rs.next();
                    payload = rs.getInt(1);
                    meta = rs.getInt(2);
                }
                s.execute("drop table if exists bench_floor_event");
                String bytes = url.startsWith("jdbc:postgresql") ? "bytea" : "varbinary"; // as each vendor's V1 migration
                s.execute("create table bench_floor_event (global_index bigint not null primary key, sequence_number bigint not null, "
                        + "meta_data " + bytes + ", payload " + bytes + " not null, aggregate_identifier varchar(255) not null, "
                        + "event_identifier varchar(255) not null unique, payload_revision varchar(255), payload_type varchar(255) not null, "
                        + "time_stamp varchar(255) not null, type varchar(255), unique (aggregate_identifier, sequence_number))");
            }
            byte[] p = new byte[payload];
            byte[] m = new byte[meta];
            java.util.Arrays.fill(p, (byte) 'x');
            java.util.Arrays.fill(m, (byte) 'y');
            AtomicLong index = new AtomicLong();
            AtomicLong rows = new AtomicLong();
            long warm = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            long end = warm + TimeUnit.SECONDS.toNanos(seconds);
            Seed.run(threads, () -> {
                try (Connection c = ds.getConnection()) {
                    c.setAutoCommit(true);
                    try (PreparedStatement ps = c.prepareStatement("insert into bench_floor_event (global_index, sequence_number, meta_data, "
                            + "payload, aggregate_identifier, event_identifier, payload_revision, payload_type, time_stamp, type) "
                            + "values (?, 0, ?, ?, ?, ?, '1', 'io.roomgate.events.ParticipantJoined', '2026-11-27T12:00:00.000Z', 'Room')")) {
                        long now;
                        while ((now = System.nanoTime()) < end) {
                            ps.setLong(1, index.incrementAndGet());
                            ps.setBytes(2, m);
                            ps.setBytes(3, p);
                            ps.setString(4, UUID.randomUUID().toString());
                            ps.setString(5, UUID.randomUUID().toString());
                            ps.executeUpdate(); // autocommit: one row per commit
                            if (now >= warm) rows.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop table bench_floor_event");
            }
            System.out.printf("RESULT floor_insert_rows_per_s=%.1f threads=%d seconds=%d payload_bytes=%d meta_bytes=%d%n",
                    rows.get() / (double) seconds, threads, seconds, payload, meta);
        }
    }

    private static void scan(String url) throws Exception {
        try (HikariDataSource ds = Db.open(url, 1); Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int round = 0; round < 2; round++) { // the first round also warms the page cache
                long t0 = System.nanoTime();
                long rows = 0;
                long bytes = 0;
                try (Statement s = c.createStatement()) {
                    s.setFetchSize(1000);
                    try (ResultSet rs = s.executeQuery("select global_index, sequence_number, meta_data, payload, aggregate_identifier, "
                            + "event_identifier, payload_revision, payload_type, time_stamp, type from domain_event_entry order by global_index")) {
                        while (rs.next()) {
                            rs.getLong(1);
                            rs.getLong(2);
                            byte[] m = rs.getBytes(3);
                            byte[] p = rs.getBytes(4);
                            bytes += (m == null ? 0 : m.length) + p.length + rs.getString(5).length() + rs.getString(6).length()
                                    + rs.getString(8).length() + rs.getString(9).length();
                            rs.getString(7);
                            rs.getString(10);
                            rows++;
                        }
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%sRESULT floor_scan_rows_per_s=%.1f rows=%d seconds=%.2f bytes=%d round=%d%n",
                        round == 0 ? "(cold) " : "", rows / s, rows, s, bytes, round);
            }
        }
    }
}
