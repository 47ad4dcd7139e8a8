package io.roomgate.app.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19: {@code docker/nginx.conf} is valid to nginx itself ({@code nginx -t}, Debian's
 * nginx), with the compose upstreams stubbed by servers on loopback; and, run for real, it sends
 * reads to the query nodes and writes to the command nodes, overwrites a client's
 * {@code X-Forwarded-For}, and refuses a key past its room-delete budget with Daily's
 * {@code rate-limit-error} and {@code Retry-After}.
 *
 * <p>nginx is taken from the PATH or {@code /usr/sbin/nginx}; where it is absent, the test
 * fetches Debian's package with {@code apt-get download} (no root needed) and unpacks it under
 * {@code target/nginx}; where that is impossible too, it is skipped with a message saying so.
 */
class NginxConfigTest {

    private static final Path DOCKER = Path.of("..", "docker");
    private static final Path WORK = Path.of("target", "nginx");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "Bearer nginx-test-key";

    private static final List<HttpServer> upstreams = new ArrayList<>();
    private static Process nginx;
    private static int port;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void stubTheNodesAndStartNginx() throws Exception {
        Path binary = nginxBinary();
        Path prefix = WORK.resolve("prefix").toAbsolutePath();
        Files.createDirectories(prefix.resolve("tmp"));
        Map<String, Integer> nodes = new TreeMap<>();
        for (String node : List.of("command-1", "command-2", "query-1", "query-2")) {
            nodes.put(node, stub(node));
        }
        port = freePort();
        String config = Files.readString(DOCKER.resolve("nginx.conf"));
        for (Map.Entry<String, Integer> node : nodes.entrySet()) {
            String upstream = "server " + node.getKey() + ":8080;";
            assertThat(config).as("nginx.conf names %s", node.getKey()).contains(upstream);
            config = config.replace(upstream, "server 127.0.0.1:" + node.getValue() + ";");
        }
        assertThat(config).contains("listen 8080;");
        config = config.replace("listen 8080;", "listen 127.0.0.1:" + port + ";");
        String temp = prefix.resolve("tmp").toString();
        config = config.replaceFirst("(?m)^http \\{", "http {\n    client_body_temp_path " + temp + "/body; proxy_temp_path " + temp
                + "/proxy; fastcgi_temp_path " + temp + "/fastcgi; uwsgi_temp_path " + temp + "/uwsgi; scgi_temp_path " + temp + "/scgi;");
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config);
        String globals = "error_log stderr; pid " + prefix.resolve("nginx.pid") + ";";

        Process test = new ProcessBuilder(binary.toString(), "-t", "-p", prefix.toString(), "-c", conf.toString(), "-g", globals)
                .redirectErrorStream(true).start();
        String said = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(test.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(test.exitValue()).as("nginx -t said: %s", said).isZero();
        assertThat(said).contains("syntax is ok", "test is successful");

        nginx = new ProcessBuilder(binary.toString(), "-p", prefix.toString(), "-c", conf.toString(), "-g", "daemon off; " + globals)
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
                break;
            } catch (IOException notYet) {
                assertThat(nginx.isAlive()).as("nginx exited: %s", Files.readString(prefix.resolve("nginx.out"))).isTrue();
                assertThat(System.nanoTime()).as("nginx listening within 20 s").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        upstreams.forEach(s -> s.stop(0));
    }

    @Test
    void reads_go_to_the_query_nodes_and_writes_to_the_command_nodes() throws Exception {
        assertThat(side("GET", "/v1/rooms")).startsWith("query-");
        assertThat(side("GET", "/v1/rooms/some-room")).startsWith("query-");
        assertThat(side("GET", "/v1/meeting-tokens/abc")).startsWith("query-");
        assertThat(side("POST", "/v1/join-checks")).startsWith("query-");
        assertThat(side("POST", "/v1/admin/projections/join-eligibility/rebuild")).startsWith("query-");
        assertThat(side("POST", "/v1/rooms")).startsWith("command-");
        assertThat(side("POST", "/v1/meeting-tokens")).startsWith("command-");
        assertThat(side("DELETE", "/v1/rooms/some-room")).startsWith("command-");
        assertThat(side("POST", "/v1/rooms/some-room/knocks")).startsWith("command-");
        assertThat(side("GET", "/v1/webhooks")).as("webhooks live on the command nodes").startsWith("command-");
    }

    @Test
    void the_client_address_replaces_whatever_the_client_claimed() throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v1/rooms")).header("Authorization", KEY)
                .header("X-Forwarded-For", "203.0.113.9").GET());
        JsonNode seen = JSON.readTree(answer.body());
        assertThat(seen.get("forwarded_for").asText()).isEqualTo("127.0.0.1");
        assertThat(seen.get("request_id").asText()).as("nginx sets a request id").isNotBlank();
    }

    @Test
    void a_key_past_its_room_delete_budget_is_refused_in_dailys_shape() throws Exception {
        String key = "Bearer nginx-delete-budget-" + System.nanoTime();
        int refused = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 80 && refused == 0; i++) {
            last = send(HttpRequest.newBuilder(uri("/v1/rooms/room-" + i)).header("Authorization", key).DELETE());
            if (last.statusCode() == 429) {
                refused++;
            } else {
                assertThat(last.statusCode()).isEqualTo(200);
            }
        }
        assertThat(refused).as("a refusal within 80 deletes (burst 50, 2 a second)").isPositive();
        assertThat(last.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(last.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode error = JSON.readTree(last.body());
        assertThat(error.get("error").asText()).isEqualTo("rate-limit-error");
        assertThat(error.get("info").asText()).isNotBlank();
        // another key is not affected
        assertThat(send(HttpRequest.newBuilder(uri("/v1/rooms/other")).header("Authorization", KEY + "-other").DELETE()).statusCode())
                .isEqualTo(200);
    }

    private static String side(String method, String path) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(path)).header("Authorization", KEY)
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(answer.statusCode()).as("%s %s: %s", method, path, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).get("node").asText();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A node that answers every request with its own name and what the proxy told it. */
    private static int stub(String node) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String forwarded = String.valueOf(exchange.getRequestHeaders().getFirst("X-Forwarded-For"));
            String requestId = String.valueOf(exchange.getRequestHeaders().getFirst("X-Request-Id"));
            byte[] body = JSON.writeValueAsBytes(Map.of("node", node, "forwarded_for", forwarded, "request_id", requestId));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        upstreams.add(server);
        return server.getAddress().getPort();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** nginx from the PATH or /usr/sbin; else Debian's package, downloaded and unpacked here; else skipped. */
    private static Path nginxBinary() throws Exception {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "nginx");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Path unpacked = WORK.resolve("root/usr/sbin/nginx").toAbsolutePath();
        if (Files.isExecutable(unpacked)) {
            return unpacked;
        }
        Files.createDirectories(WORK);
        String why = run(WORK, "apt-get", "download", "nginx");
        Path deb;
        try (var files = Files.list(WORK)) {
            deb = files.filter(f -> f.getFileName().toString().matches("nginx_.*\\.deb")).findFirst().orElse(null);
        }
        Assumptions.assumeTrue(deb != null, "nginx is not installed and Debian's package could not be downloaded "
                + "(apt-get download nginx: " + why + "); install nginx to run this test");
        String unpack = run(WORK, "dpkg-deb", "-x", deb.getFileName().toString(), "root");
        Assumptions.assumeTrue(Files.isExecutable(unpacked), "Debian's nginx package could not be unpacked: " + unpack);
        return unpacked;
    }

    private static String run(Path dir, String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "timed out";
            }
            return "exit " + p.exitValue() + ": " + out.strip();
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
