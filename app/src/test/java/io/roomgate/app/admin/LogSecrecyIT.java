package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.roomgate.app.admin.AdminApiSupport.quoted;
import static io.roomgate.app.admin.AdminApiSupport.written;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a full admin scenario (good and bad tokens, good and bad keys, errors of every kind)
 * while capturing every log event of every logger and thread, with roomgate's own loggers at
 * TRACE, plus everything written to stdout/stderr; then looks for any token, signature,
 * signing key or API key in it.
 */
@RoomgateTest
@ExtendWith(OutputCaptureExtension.class)
class LogSecrecyIT extends WithEmbeddedApp {

    private static final String CANARY_KEY = "sk-canary-unknown-api-key-7f3a9c";

    @Value("${roomgate.tokens.keys.test-1}")
    String signingKeyBase64;
    @Value("${roomgate.tokens.domain-id}")
    String domainId;

    @Test
    void a_full_scenario_logs_no_token_and_no_key(CapturedOutput output) {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger roomgate = (Logger) LoggerFactory.getLogger("io.roomgate");
        Level roomgateLevel = roomgate.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        root.addAppender(appender);
        roomgate.setLevel(Level.TRACE);
        List<String> secrets = new ArrayList<>();
        try {
            secrets.addAll(scenario());
        } finally {
            root.detachAppender(appender);
            roomgate.setLevel(roomgateLevel);
        }
        byte[] key = Base64.getDecoder().decode(signingKeyBase64);
        secrets.addAll(List.of(signingKeyBase64, new String(key, StandardCharsets.ISO_8859_1),
                Base64.getUrlEncoder().withoutPadding().encodeToString(key), Api.ADMIN, Api.JOIN, Api.AUDIT, CANARY_KEY));

        String logged = render(appender.list);
        assertThat(appender.list).as("the scenario logged something at all").isNotNull();
        for (String secret : secrets) {
            assertThat(logged).as("log events hold a secret").doesNotContain(secret);
            assertThat(output.getAll()).as("stdout/stderr hold a secret").doesNotContain(secret);
        }
    }

    /** Runs the scenario; answers every token and signature it saw. */
    private List<String> scenario() {
        List<String> secrets = new ArrayList<>();
        String name = Api.uniqueName("secrecy");
        Api.Answer room = written(api.createRoom("{\"name\":" + quoted(name) + ",\"privacy\":\"private\","
                + "\"properties\":{\"enable_knocking\":true}}"));
        String owner = api.token("{\"room_name\":" + quoted(name) + ",\"is_owner\":true,\"user_id\":\"owner-1\"}");
        String guest = api.token("{\"room_name\":" + quoted(name) + ",\"user_id\":\"guest-1\",\"exp\":"
                + (Instant.now().getEpochSecond() + 600) + "}");
        String later = api.token("{\"room_name\":" + quoted(name) + ",\"nbf\":" + (Instant.now().getEpochSecond() + 600) + "}");
        String forged = RawJwt.hmac("{\"alg\":\"HS256\",\"kid\":\"test-1\"}", "{\"r\":" + quoted(name) + ",\"d\":" + quoted(domainId)
                + ",\"o\":true}", "HmacSHA256", "forged-key-forged-key-forged-key-forged!".getBytes(StandardCharsets.US_ASCII));
        String[] p = RawJwt.parts(owner);
        String none = RawJwt.b64("{\"alg\":\"none\"}") + "." + p[1] + ".";
        String tampered = p[0] + "." + p[1] + "." + (p[2].charAt(0) == 'A' ? "B" : "A") + p[2].substring(1);
        String foreign = RawJwt.hmac("{\"alg\":\"HS256\"}", "{\"r\":" + quoted(name) + ",\"d\":\"other\"}", "HmacSHA256",
                Base64.getDecoder().decode(signingKeyBase64));
        for (String t : List.of(owner, guest, later, forged, none, tampered, foreign)) {
            secrets.add(t);
            secrets.add(RawJwt.parts(t).length > 2 ? RawJwt.parts(t)[2] : t);
        }

        // validation of good and bad tokens
        for (String t : List.of(owner, guest, later, forged, none, tampered, foreign)) {
            api.get("/v1/meeting-tokens/" + t, Api.ADMIN);
            api.joinCheck("{\"room_name\":" + quoted(name) + ",\"token\":" + quoted(t) + "}", room.consistencyToken());
        }
        // joins with tokens, good and bad
        written(api.post("/v1/rooms/" + name + "/participants", Api.JOIN,
                "{\"participant_id\":\"p-owner\",\"token\":" + quoted(owner) + "}"));
        written(api.post("/v1/rooms/" + name + "/participants", Api.JOIN,
                "{\"participant_id\":\"p-guest\",\"token\":" + quoted(guest) + "}"));
        api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-forged\",\"token\":" + quoted(forged) + "}");
        api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":\"p-later\",\"token\":" + quoted(later) + "}");
        // malformed bodies that carry a token
        api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":" + quoted(owner) + ",");
        api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":" + quoted(owner) + ",\"why\":1}");
        api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":" + quoted(forged) + "}");
        api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":" + quoted(owner) + ",\"jti\":\"x\"}");
        api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"room_name\":" + quoted(name) + ",\"user_name\":" + quoted(guest) + "}}");
        api.post("/v1/join-checks", Api.JOIN, "{\"room_name\":" + quoted(name) + ",\"token\":" + quoted(guest) + ",\"at\":\"yesterday\"}");
        api.post("/v1/join-checks", Api.JOIN, "{\"room_name\":" + quoted(name) + ",\"token\":" + quoted(guest) + ",\"zzz\":1}");
        api.post("/v1/rooms/" + name + "/participants", Api.JOIN, "{\"participant_id\":5,\"token\":" + quoted(guest) + "}");
        // bad credentials
        api.get("/v1/rooms", CANARY_KEY);
        api.get("/v1/meeting-tokens/" + owner, CANARY_KEY);
        api.call("GET", "/v1/rooms", null, null, Map.of("Authorization", "Basic " + CANARY_KEY));
        api.call("GET", "/v1/rooms", null, null, Map.of("Authorization", CANARY_KEY));
        api.get("/v1/meeting-tokens/" + owner, Api.JOIN);
        api.post("/v1/meeting-tokens", Api.AUDIT, "{\"properties\":{\"room_name\":\"x\"}}");
        api.get("/v1/audit/events?room_name=" + name, Api.AUDIT);
        // revoke, eject, delete
        Api.Answer revoked = written(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":" + quoted(guest) + "}"));
        api.call("GET", "/v1/meeting-tokens/" + guest, Api.ADMIN, null, AdminApiSupport.consistency(revoked));
        api.joinCheck("{\"room_name\":" + quoted(name) + ",\"token\":" + quoted(guest) + "}", revoked.consistencyToken());
        written(api.post("/v1/rooms/" + name + "/eject", Api.ADMIN, "{\"ids\":[\"p-guest\"],\"ban\":true}"));
        written(api.delete("/v1/rooms/" + name, Api.ADMIN));
        api.get("/v1/meeting-tokens/" + owner, Api.ADMIN);
        return secrets;
    }

    private static String render(List<ILoggingEvent> events) {
        StringBuilder all = new StringBuilder();
        for (ILoggingEvent e : new ArrayList<>(events)) {
            all.append(e.getLoggerName()).append(' ').append(e.getFormattedMessage()).append('\n');
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    all.append(String.valueOf(a)).append('\n');
                }
            }
            e.getMDCPropertyMap().forEach((k, v) -> all.append(k).append('=').append(v).append('\n'));
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                all.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                    all.append(s.getSTEAsString()).append('\n');
                }
                for (IThrowableProxy suppressed : t.getSuppressed()) {
                    all.append(suppressed.getClassName()).append(": ").append(suppressed.getMessage()).append('\n');
                }
            }
        }
        return all.toString();
    }
}
