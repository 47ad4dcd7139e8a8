package io.roomgate.app.security;

import io.roomgate.app.RoomgateApplication;
import io.roomgate.app.reliability.Summary;
import io.roomgate.service.query.QueryService;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secrets never have defaults: outside the embedded app's demo profile, roomgate (the embedded
 * app and the scale-out query service; the command service shares the same check) refuses to start without a signing key and names the property
 * to set, refuses a key shorter than 256 bits, and no source, resource or deployment file
 * carries a key except the demo profile's well-known ones.
 */
class NoDefaultSecretsIT {

    @Test
    void without_a_signing_key_no_service_starts_and_the_error_names_the_property() {
        List<String> refused = new ArrayList<>();
        // the embedded app, and a scale-out service (both services share the configuration that checks the key)
        for (Class<?> service : List.of(RoomgateApplication.class, QueryService.class)) {
            String message = startupFailure(service, "prod");
            assertThat(message).as(service.getSimpleName() + " without a signing key").contains("roomgate.tokens.keys");
            refused.add(service.getSimpleName());
        }
        String shortKey = startupFailure(RoomgateApplication.class, "prod",
                "--roomgate.tokens.domain-id=prod", "--roomgate.tokens.signing-key-id=k1",
                "--roomgate.tokens.keys.k1=" + java.util.Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes()));
        assertThat(shortKey).contains("shorter than 256 bits");
        Summary.line("no-default-secrets", refused.size() + 1 + " start-ups outside the demo profile without a usable signing key refused "
                + "(" + String.join(", ", refused) + " without one, the embedded app with a 128-bit one), each naming what to set; "
                + "no key or default for one in any source, resource or compose file");
    }

    @Test
    void no_main_source_resource_or_deployment_file_carries_a_key_or_a_default_for_one() throws IOException {
        Path root = repositoryRoot();
        List<String> offences = new ArrayList<>();
        // ${roomgate.tokens.keys...:default} or ${...api-keys...:default} in code or configuration
        Pattern defaulted = Pattern.compile("\\$\\{\\s*roomgate\\.(tokens\\.keys|api-keys|tokens\\.signing)[^}:]*:[^}]+}");
        // compose: a secret from the environment must be required (${X:?...}), never defaulted (${X:-...})
        Pattern composeDefault = Pattern.compile("\\$\\{(ROOMGATE_[A-Z_]*KEY[A-Z_]*|POSTGRES_PASSWORD)(:?-)[^}]*}");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(f).toString().replace('\\', '/');
                if (rel.contains("/target/") || rel.startsWith(".") || rel.contains("/src/test/") || rel.startsWith("bench/")
                        || rel.contains("/data/") || !(rel.endsWith(".java") || rel.endsWith(".yml") || rel.endsWith(".yaml")
                        || rel.endsWith(".properties") || rel.contains("Dockerfile"))) {
                    continue;
                }
                String text = Files.readString(f);
                Matcher m = defaulted.matcher(text);
                while (m.find()) {
                    offences.add(rel + ": a default for a secret: " + m.group());
                }
                Matcher c = composeDefault.matcher(text);
                while (c.find()) {
                    offences.add(rel + ": a secret with a default: " + c.group());
                }
                boolean demo = rel.equals("app/src/main/resources/application-demo.yml");
                if (!demo && (rel.endsWith(".yml") || rel.endsWith(".yaml") || rel.endsWith(".properties"))) {
                    for (String line : text.split("\n")) {
                        String t = line.trim();
                        if (t.startsWith("#")) {
                            continue;
                        }
                        if (t.matches("(-\\s*)?key\\s*[:=]\\s*[^${\\s].*") || t.matches("roomgate\\.tokens\\.keys\\.[^=:]+[=:]\\s*[^${\\s].*")
                                || t.matches("roomgate\\.api-keys\\[\\d+]\\.key\\s*[=:]\\s*[^${\\s].*")) {
                            offences.add(rel + ": a literal key: " + t.replaceAll("[:=].*", ": …"));
                        }
                    }
                }
                if (!demo && (text.contains("demo-admin-key") || text.contains("ZGVtby1vbmx5LXNpZ25pbmcta2V5"))) {
                    offences.add(rel + ": holds a demo key outside the demo profile");
                }
            }
        }
        assertThat(offences).isEmpty();
        // and the demo profile is the embedded app's only: the scale-out services' jars carry no application-demo.yml
        assertThat(root.resolve("command-side/src/main/resources/application-demo.yml")).doesNotExist();
        assertThat(root.resolve("query-side/src/main/resources/application-demo.yml")).doesNotExist();
    }

    /** Starts {@code service} with {@code profiles} (never demo, never test) and no keys; answers the failure's messages. */
    private static String startupFailure(Class<?> service, String profiles, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.datasource.url=jdbc:h2:mem:nokey-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "--spring.datasource.username=sa", "--spring.datasource.password=",
                "--roomgate.node-id=nokey"));
        args.addAll(List.of(extra));
        try (ConfigurableApplicationContext started = new SpringApplicationBuilder(service)
                .profiles(profiles.split(","))
                .run(args.toArray(String[]::new))) {
            throw new AssertionError(service.getSimpleName() + " started with profiles " + profiles + " and no usable signing key; "
                    + "its keys: " + started.getEnvironment().getProperty("roomgate.tokens.signing-key-id"));
        } catch (AssertionError e) {
            throw e;
        } catch (RuntimeException e) {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            return all.toString();
        }
    }

    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository root (with mvnw) above " + Path.of("").toAbsolutePath()).isNotNull();
        return p;
    }
}
