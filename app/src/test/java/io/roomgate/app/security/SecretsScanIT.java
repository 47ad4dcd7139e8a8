package io.roomgate.app.security;

import io.roomgate.app.WithEmbeddedApp;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.app.reliability.Summary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a full scenario (tokens good, bad, self-signed and revoked; joins, knocks, ejections,
 * bans, deletions; webhooks; refused keys, malformed bodies), no token, token signature, API key
 * or signing key is anywhere it must not be: in any log event of any logger or in stdout/stderr
 * while it ran, in any table of the database (the event store's payload and meta_data included;
 * the shared test database holds every earlier test class's data too), in any answer but the one
 * that hands a token out (error bodies, validation, presence, lists), in the audit API (JSON
 * pages and the NDJSON export of the whole store), or in the captured output of the test classes
 * that ran before this one in this JVM.
 */
@RoomgateTest
@ExtendWith(OutputCaptureExtension.class)
class SecretsScanIT extends WithEmbeddedApp {

    @Autowired
    Environment env;
    @Value("${roomgate.tokens.keys.test-1}")
    String signingKeyBase64;
    @Value("${roomgate.tokens.domain-id}")
    String domain;

    final Set<String> tokens = new LinkedHashSet<>();
    final List<String> answers = new ArrayList<>();
    final List<String> webhookSecrets = new ArrayList<>();

    @Test
    void no_token_and_no_key_outside_the_answer_that_issues_it(CapturedOutput output) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger roomgate = (Logger) LoggerFactory.getLogger("io.roomgate");
        Level level = roomgate.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        roomgate.setLevel(Level.TRACE);
        try {
            scenario();
        } finally {
            root.detachAppender(appender);
            roomgate.setLevel(level);
        }
        Set<String> secrets = new LinkedHashSet<>(SecretScan.configuredSecrets(env));
        secrets.add("rg-canary-unknown-key-9c1e");
        Set<String> tokenSecrets = new LinkedHashSet<>();
        for (String t : tokens) {
            tokenSecrets.add(t);
            String[] parts = t.split("\\.");
            if (parts.length == 3 && parts[2].length() >= 20) {
                tokenSecrets.add(parts[2]);
            }
        }
        Set<String> all = new LinkedHashSet<>(secrets);
        all.addAll(tokenSecrets);

        List<String> leaks = new ArrayList<>();
        // 1. logs and output of this scenario: no secret and nothing shaped like a token
        String logs = render(appender.list);
        leaks.addAll(SecretScan.found("log events", logs, all));
        leaks.addAll(SecretScan.found("stdout/stderr", output.getAll(), all));
        leaks.addAll(SecretScan.found("webhook secret in logs", logs + output.getAll(), webhookSecrets));
        SecretScan.jwts(logs).forEach(j -> leaks.add("log events hold a JWT-shaped string"));
        SecretScan.jwts(output.getAll()).forEach(j -> leaks.add("stdout/stderr hold a JWT-shaped string"));
        // 2. every answer but the issuing ones
        for (String a : answers) {
            leaks.addAll(SecretScan.found("an answer", a, all));
            leaks.addAll(SecretScan.found("an answer (webhook secret after its creation)", a, webhookSecrets));
        }
        // 3. every table of the database
        AtomicLong cells = new AtomicLong();
        // the schema of the database's own tables: PUBLIC on H2, public on PostgreSQL (the scenarios-on-postgresql run)
        List<String> tables = jdbc.queryForList("select table_name from information_schema.tables where upper(table_schema) = 'PUBLIC' "
                + "and table_type in ('BASE TABLE', 'TABLE')", String.class);
        assertThat(tables).anySatisfy(t -> assertThat(t).isEqualToIgnoringCase("domain_event_entry"));
        for (String table : tables) {
            jdbc.query("select * from \"" + table + "\"", (ResultSet rs) -> {
                ResultSetMetaData md = rs.getMetaData();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    if (value == null) {
                        continue;
                    }
                    cells.incrementAndGet();
                    String text = value instanceof byte[] b ? new String(b, StandardCharsets.ISO_8859_1) : String.valueOf(value);
                    for (String hit : SecretScan.found(table + "." + md.getColumnName(i), text, all)) {
                        leaks.add(hit);
                    }
                }
            });
        }
        // 4. the audit API: this scenario's pages, and the NDJSON export of the whole store
        long auditBytes = 0;
        for (String room : rooms) {
            Long after = null;
            do {
                Api.Answer page = api.get("/v1/audit/events?room_name=" + room + "&limit=50" + (after == null ? "" : "&after=" + after), Api.AUDIT);
                assertThat(page.status()).isEqualTo(200);
                auditBytes += page.raw().length();
                leaks.addAll(SecretScan.found("audit page", page.raw(), all));
                after = page.body().get("next") == null || page.body().get("next").isNull() ? null : page.body().get("next").asLong();
            } while (after != null);
        }
        Api.Answer export = api.call("GET", "/v1/audit/events", Api.AUDIT, null, Map.of("Accept", "application/x-ndjson"));
        assertThat(export.status()).isEqualTo(200);
        auditBytes += export.raw().length();
        leaks.addAll(SecretScan.found("audit export", export.raw(), all));
        // 5. what the test classes before this one in this JVM printed (the app's logs among it)
        int files = 0;
        Path reports = Path.of(System.getProperty("basedir", ".")).resolve("target/surefire-reports");
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        if (Files.isDirectory(reports)) {
            try (Stream<Path> list = Files.list(reports)) {
                for (Path f : list.filter(p -> p.getFileName().toString().endsWith("-output.txt")).toList()) {
                    if (Files.getLastModifiedTime(f).toMillis() < jvmStart) {
                        continue; // an earlier run's
                    }
                    files++;
                    String text = readQuietly(f);
                    leaks.addAll(SecretScan.found(f.getFileName().toString(), text, secrets));
                    SecretScan.jwts(text).forEach(j -> leaks.add(f.getFileName() + " holds a JWT-shaped string"));
                }
            }
        }

        Summary.line("secrets", tokens.size() + " tokens and " + secrets.size() + " key spellings sought in " + appender.list.size()
                + " log events, " + answers.size() + " answers, " + cells.get() + " database cells of " + tables.size() + " tables, "
                + auditBytes + " bytes of audit API, " + files + " earlier test-output files: " + leaks.size() + " found");
        assertThat(leaks).isEmpty();
    }

    final List<String> rooms = new ArrayList<>();

    private void scenario() throws Exception {
        String name = Api.uniqueName("secrets");
        rooms.add(name);
        long now = Instant.now().getEpochSecond();
        keep(api.createRoom("{\"name\":\"" + name + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true,\"enforce_unique_user_ids\":true}}"));
        String owner = issue("{\"room_name\":\"" + name + "\",\"is_owner\":true,\"user_id\":\"owner-1\",\"user_name\":\"Olga\"}");
        String guest = issue("{\"room_name\":\"" + name + "\",\"user_id\":\"guest-1\",\"exp\":" + (now + 600) + ",\"eject_at_token_exp\":true}");
        String later = issue("{\"room_name\":\"" + name + "\",\"nbf\":" + (now + 600) + "}");
        String anyRoom = issueRaw("{\"properties\":{\"user_id\":\"roamer\"},\"allow_all_rooms\":true}");
        String admins = issue("{\"room_name\":\"" + name + "\",\"permissions\":{\"canAdmin\":[\"participants\"]}}");
        byte[] key = Base64.getDecoder().decode(signingKeyBase64);
        String selfSigned = hmac("{\"alg\":\"HS256\"}", "{\"r\":\"" + name + "\",\"d\":\"" + domain + "\"}", key);
        String forged = hmac("{\"alg\":\"HS256\",\"kid\":\"test-1\"}", "{\"r\":\"" + name + "\",\"d\":\"" + domain + "\",\"o\":true}",
                "forged-forged-forged-forged-forged-forged".getBytes(StandardCharsets.US_ASCII));
        String[] p = owner.split("\\.");
        String none = b64("{\"alg\":\"none\"}") + "." + p[1] + ".";
        String tampered = p[0] + "." + b64(new String(Base64.getUrlDecoder().decode(p[1]), StandardCharsets.UTF_8).replace("{", "{\"x\":1,")) + "." + p[2];
        tokens.addAll(List.of(owner, guest, later, anyRoom, admins, selfSigned, forged, tampered));
        tokens.add(none);

        for (String t : List.of(owner, guest, later, anyRoom, admins, selfSigned, forged, none, tampered)) {
            keep(api.get("/v1/meeting-tokens/" + t, Api.ADMIN));
            keep(api.joinCheck("{\"room_name\":\"" + name + "\",\"token\":\"" + t + "\"}", null));
            keep(api.joinCheck("{\"room_name\":\"" + name + "\",\"token\":\"" + t + "\",\"at\":\"" + Instant.now() + "\"}", null));
        }
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-owner\",\"token\":\"" + owner + "\"}"));
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-guest\",\"token\":\"" + guest + "\"}"));
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-self\",\"token\":\"" + selfSigned + "\"}"));
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-roam\",\"token\":\"" + anyRoom + "\"}"));
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-forged\",\"token\":\"" + forged + "\"}"));
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-later\",\"token\":\"" + later + "\"}"));
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-none\",\"token\":\"" + none + "\"}"));
        // a second session of the guest: the shared-token guard ejects the first
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-guest-2\",\"token\":\"" + guest + "\"}"));
        Api.Answer knock = keep(api.post("/v1/rooms/" + name + "/knocks", Api.JOIN, "{\"user_name\":\"Kim\"}"));
        keep(api.post("/v1/knocks/" + knock.text("id") + "/approve", Api.JOIN, "{\"by_participant_id\":\"p-owner\"}"));
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-kim\",\"knock_id\":\"" + knock.text("id") + "\"}"));
        keep(api.get("/v1/rooms/" + name + "/presence", Api.JOIN));
        keep(api.get("/v1/rooms/" + name, Api.ADMIN));
        keep(api.get("/v1/rooms?limit=5", Api.ADMIN));
        // malformed bodies that carry a token, wrong types, unknown fields
        keep(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + owner + "\","));
        keep(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + owner + "\",\"why\":1}"));
        keep(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + owner + "\",\"token\":\"" + guest + "\"}"));
        keep(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":[\"" + owner + "\"]}"));
        keep(api.post("/v1/join-checks", Api.JOIN, "{\"room_name\":\"" + name + "\",\"token\":\"" + guest + "\",\"at\":\"" + guest + "\"}"));
        // a token where a name belongs: the answer may echo what the caller sent (not kept), the logs may not
        api.post("/v1/join-checks", Api.JOIN, "{\"room_name\":\"" + guest + "\",\"token\":\"" + guest + "\"}");
        api.post("/v1/join-checks", Api.JOIN, "{\"room_name\":\"" + name + "\",\"" + guest + "\":1}");
        keep(api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"" + guest + "\",\"token\":\"" + guest + "\"}"));
        keep(api.post("/v1/rooms", Api.ADMIN, "{\"name\":\"" + guest + "\"}"));
        keep(api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"room_name\":\"" + name + "\",\"user_id\":\"" + guest + "\"}}"));
        keep(api.get("/v1/rooms/" + guest, Api.ADMIN));
        keep(api.get("/v1/knocks/" + guest, Api.JOIN));
        keep(api.get("/v1/audit/events?room_name=" + guest, Api.AUDIT));
        keep(api.get("/v1/audit/events?after=" + guest, Api.AUDIT));
        // bad credentials, including a token as the API key
        keep(api.get("/v1/rooms", "rg-canary-unknown-key-9c1e"));
        keep(api.get("/v1/rooms", owner));
        keep(api.get("/v1/meeting-tokens/" + owner, Api.JOIN));
        keep(api.call("GET", "/v1/rooms", null, null, Map.of("Authorization", "Basic " + owner)));
        keep(api.call("GET", "/v1/rooms", null, null, Map.of("Authorization", Api.ADMIN)));
        keep(api.post("/v1/meeting-tokens", Api.AUDIT, "{\"properties\":{\"room_name\":\"x\"}}"));
        // webhooks: the secret is shown once
        Api.Answer hook = api.post("/v1/webhooks", Api.ADMIN, "{\"url\":\"http://127.0.0.1:9/secrets\",\"event_types\":[\"participant.joined\"]}");
        assertThat(hook.status()).as(hook.raw()).isEqualTo(200);
        webhookSecrets.add(hook.text("secret"));
        keep(api.get("/v1/webhooks/" + hook.text("id"), Api.ADMIN));
        keep(api.get("/v1/webhooks", Api.ADMIN));
        keep(api.get("/v1/webhooks/" + hook.text("id") + "/deliveries", Api.ADMIN));
        keep(api.delete("/v1/webhooks/" + hook.text("id"), Api.ADMIN));
        // revoke (by token, by jti, a self-signed one), eject and ban, delete
        Api.Answer revoked = keep(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + guest + "\"}"));
        keep(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + selfSigned + "\"}"));
        keep(api.call("GET", "/v1/meeting-tokens/" + guest, Api.ADMIN, null, Map.of("X-Consistency-Token", revoked.consistencyToken())));
        keep(api.joinCheck("{\"room_name\":\"" + name + "\",\"token\":\"" + guest + "\"}", revoked.consistencyToken()));
        keep(api.post("/v1/rooms/" + name + "/eject", Api.ADMIN, "{\"ids\":[\"p-guest-2\"],\"ban\":true}"));
        keep(api.delete("/v1/rooms/" + name + "/bans/guest-1", Api.ADMIN));
        keep(api.delete("/v1/rooms/" + name, Api.ADMIN));
        keep(api.get("/v1/meeting-tokens/" + owner, Api.ADMIN));
        keep(api.joinCheck("{\"room_name\":\"" + name + "\",\"token\":\"" + owner + "\"}", null));
    }

    private String issue(String properties) {
        return issueRaw("{\"properties\":" + properties + "}");
    }

    private String issueRaw(String body) {
        Api.Answer a = api.post("/v1/meeting-tokens", Api.ADMIN, body);
        assertThat(a.status()).as("issue").isEqualTo(200);
        return a.text("token"); // the one answer that may hold it: not kept
    }

    private Api.Answer keep(Api.Answer a) {
        answers.add(a.raw());
        return a;
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String hmac(String header, String payload, byte[] key) throws Exception {
        String input = b64(header) + "." + b64(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String readQuietly(Path f) {
        try {
            return new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static String render(List<ILoggingEvent> events) {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : new ArrayList<>(events)) {
            all.append(e.getLoggerName()).append(' ').append(e.getFormattedMessage()).append('\n');
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    all.append(a).append('\n');
                }
            }
            e.getMDCPropertyMap().forEach((k, v) -> all.append(k).append('=').append(v).append('\n'));
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                all.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                    all.append(s.getSTEAsString()).append('\n');
                }
            }
        }
        return all.toString();
    }
}
