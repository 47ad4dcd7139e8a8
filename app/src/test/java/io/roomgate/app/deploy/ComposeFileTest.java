package io.roomgate.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * These machines have no Docker daemon, so the compose file is checked against the code instead:
 * every service it names exists with a Dockerfile that builds the right module, and every
 * environment variable it sets is a configuration property the application really reads (as
 * listed in the configuration metadata on the classpath: Spring Boot's and roomgate's own).
 */
class ComposeFileTest {

    private static final Path DOCKER = Path.of("..", "docker");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(100);
        return (Map<String, Object>) new Yaml(options).load(Files.readString(DOCKER.resolve("compose.yaml")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void compose_runs_postgres_two_command_nodes_two_query_nodes_and_a_gateway() throws IOException {
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        assertThat(services).containsOnlyKeys("postgres", "command-1", "command-2", "query-1", "query-2", "gateway",
                "prometheus", "grafana");
        // monitoring (issue 19): Prometheus scrapes every node with the audit key, Grafana shows the dashboard
        String prometheus = Files.readString(DOCKER.resolve("prometheus/prometheus.yml"));
        assertThat(prometheus).contains("/actuator/prometheus", "credentials_file: /run/secrets/roomgate_audit_key",
                "command-1:8080", "command-2:8080", "query-1:8080", "query-2:8080");
        com.fasterxml.jackson.databind.JsonNode dashboard = new ObjectMapper().readTree(DOCKER.resolve("grafana/dashboards/roomgate.json").toFile());
        java.util.List<String> expressions = new java.util.ArrayList<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> expressions.add(t.get("expr").asText())));
        for (String meter : List.of("roomgate_join_checks_seconds_count", "roomgate_join_checks_seconds_sum", "roomgate_view_lag_events",
                "roomgate_commands_seconds_count", "roomgate_webhook_deliveries_seconds_count", "roomgate_view_quarantined",
                "roomgate_view_lag_seconds", "roomgate_knocks_total", "roomgate_knocks_time_to_decision_seconds_bucket",
                "roomgate_view_rebuild_percent")) {
            assertThat(expressions).as("a panel on %s", meter).anyMatch(e -> e.contains(meter));
        }
        for (String name : List.of("command-1", "command-2", "query-1", "query-2")) {
            Map<String, Object> build = (Map<String, Object>) ((Map<String, Object>) services.get(name)).get("build");
            String dockerfile = (String) build.get("dockerfile");
            assertThat(Path.of("..").resolve(dockerfile)).exists();
            String module = name.startsWith("command") ? "command-side" : "query-side";
            assertThat(Files.readString(Path.of("..").resolve(dockerfile)))
                    .contains("-pl " + module)
                    .contains(module + "/target/" + module + "-")
                    .contains("USER 10001")
                    .contains("HEALTHCHECK");
        }
        String nginx = Files.readString(DOCKER.resolve("nginx.conf"));
        assertThat(nginx).contains("server command-1:8080", "server command-2:8080", "server query-1:8080", "server query-2:8080");
    }

    @Test
    @SuppressWarnings("unchecked")
    void every_environment_variable_is_a_property_roomgate_reads() throws IOException {
        Set<String> known = knownProperties();
        Map<String, Object> services = (Map<String, Object>) compose().get("services");
        Set<String> checked = new HashSet<>();
        for (String name : List.of("command-1", "command-2", "query-1", "query-2")) {
            Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get(name)).get("environment");
            for (String variable : env.keySet()) {
                String property = propertyOf(variable);
                assertThat(known).as("%s (%s) in service %s", variable, property, name)
                        .anyMatch(k -> property.equals(k) || property.startsWith(k + "."));
                checked.add(variable);
            }
        }
        assertThat(checked).contains("SPRING_DATASOURCE_URL", "ROOMGATE_TOKENS_KEYS_K1", "ROOMGATE_API_KEYS_0_KEY",
                "ROOMGATE_NODE_ID", "ROOMGATE_VIEW_SEGMENTS");
    }

    /** Spring's relaxed binding from an environment variable, without list indexes and map keys. */
    private static String propertyOf(String variable) {
        String p = variable.toLowerCase(Locale.ROOT).replace('_', '.');
        p = p.replaceAll("\\.\\d+(\\.|$)", "$1");           // list indexes: api.keys.0.id -> api.keys.id
        return p;
    }

    private static Set<String> knownProperties() throws IOException {
        Set<String> names = new HashSet<>();
        ObjectMapper json = new ObjectMapper();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (String pattern : List.of("classpath*:META-INF/spring-configuration-metadata.json",
                "classpath*:META-INF/additional-spring-configuration-metadata.json")) {
            for (Resource r : resolver.getResources(pattern)) {
                try (InputStream in = r.getInputStream()) {
                    JsonNode properties = json.readTree(in).path("properties");
                    properties.forEach(p -> names.add(relaxed(p.path("name").asText())));
                }
            }
        }
        return names;
    }

    /** The same relaxed form: dashes gone, as an environment variable cannot hold them. */
    private static String relaxed(String property) {
        return property.replace("-", ".");
    }
}
