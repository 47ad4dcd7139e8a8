package io.roomgate.bench.tools;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/** The embedded app's H2 file database, opened while the app is NOT running (H2 locks the file). */
final class Db {
    private Db() {
    }

    /** {@code dir} is the app's working directory; the app's URL is jdbc:h2:file:./data/roomgate. */
    static String url(String dir) {
        return "jdbc:h2:file:" + java.nio.file.Path.of(dir).toAbsolutePath().normalize() + "/data/roomgate";
    }

    static HikariDataSource open(String url, int pool) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setUsername(url.startsWith("jdbc:postgresql") ? "postgres" : "sa");
        hc.setPassword(url.startsWith("jdbc:postgresql") ? "postgres" : "");
        hc.setMaximumPoolSize(pool);
        return new HikariDataSource(hc);
    }

    /** The project's own migrations, configured as the app configures Flyway. */
    static void migrate(HikariDataSource ds, String vendor) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/" + vendor)
                .outOfOrder(true).ignoreMigrationPatterns("*:missing").load().migrate();
    }
}
