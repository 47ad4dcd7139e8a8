package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.security.Keys;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.events.StreamIds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.roomgate.app.admin.AdminApiSupport.consistency;
import static io.roomgate.app.admin.AdminApiSupport.inOneHour;
import static io.roomgate.app.admin.AdminApiSupport.oversized;
import static io.roomgate.app.admin.AdminApiSupport.quoted;
import static io.roomgate.app.admin.AdminApiSupport.refused;
import static io.roomgate.app.admin.AdminApiSupport.written;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meeting tokens over HTTP: issuing (Daily's short claims, {@code kid}, {@code jti}, domain),
 * validating (long names, or a 400 for anything that would not admit), revoking by {@code jti}
 * or by token, and what the join check makes of each kind of bad token.
 */
@RoomgateTest
class MeetingTokenApiIT extends WithEmbeddedApp {

    private static final String BAD = "invalid-request-error";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Value("${roomgate.tokens.keys.test-1}")
    String signingKeyBase64;
    @Value("${roomgate.tokens.domain-id}")
    String domainId;

    byte[] key;

    @BeforeEach
    void setUp() {
        key = Base64.getDecoder().decode(signingKeyBase64);
    }

    private Api.Answer room(String name) {
        return written(api.createRoom("{\"name\":" + quoted(name) + "}"));
    }

    private Api.Answer issue(String properties) {
        return written(api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":" + properties + "}"));
    }

    private Api.Answer validate(String token) {
        return api.get("/v1/meeting-tokens/" + token, Api.ADMIN);
    }

    private Api.Answer joinCheck(String room, String token, Api.Answer after) {
        Api.Answer a = api.joinCheck("{\"room_name\":" + quoted(room) + ",\"token\":" + quoted(token) + "}",
                after == null ? null : after.consistencyToken());
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        return a;
    }

    private static JsonNode claims(String token) throws Exception {
        return JSON.readTree(RawJwt.decode(RawJwt.parts(token)[1]));
    }

    // ---- issue and validate

    @Test
    void an_issued_token_is_hs256_with_kid_jti_domain_and_dailys_short_claims() throws Exception {
        String name = Api.uniqueName("tok");
        room(name);
        long exp = inOneHour();
        long nbf = Instant.now().getEpochSecond() - 60;
        Api.Answer issued = issue("{\"room_name\":" + quoted(name) + ",\"is_owner\":true,\"user_name\":\"Ada\","
                + "\"user_id\":\"ada-1\",\"exp\":" + exp + ",\"nbf\":" + nbf + ",\"eject_at_token_exp\":true,"
                + "\"eject_after_elapsed\":600,\"knocking\":false,\"start_video_off\":true,\"lang\":\"fr\","
                + "\"permissions\":{\"canAdmin\":[\"participants\"],\"canSend\":true}}");
        assertThat(issued.body().size()).as("Daily answers only the token").isEqualTo(1);
        String token = issued.text("token");
        String[] parts = RawJwt.parts(token);
        JsonNode header = JSON.readTree(RawJwt.decode(parts[0]));
        assertThat(header.get("alg").asText()).isEqualTo("HS256");
        assertThat(header.get("kid").asText()).isEqualTo("test-1");
        JsonNode c = claims(token);
        assertThat(c.get("r").asText()).isEqualTo(name);
        assertThat(c.get("o").asBoolean()).isTrue();
        assertThat(c.get("u").asText()).isEqualTo("Ada");
        assertThat(c.get("ud").asText()).isEqualTo("ada-1");
        assertThat(c.get("ejt").asBoolean()).isTrue();
        assertThat(c.get("eje").asLong()).isEqualTo(600);
        assertThat(c.get("d").asText()).isEqualTo(domainId);
        assertThat(c.get("exp").asLong()).isEqualTo(exp);
        assertThat(c.get("nbf").asLong()).isEqualTo(nbf);
        assertThat(c.get("jti").asText()).isNotBlank();
        assertThat(c.get("iat").asLong()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
        assertThat(c.has("room_name")).isFalse();
        assertThat(c.has("is_owner")).isFalse();
        // the signature is HMAC-SHA256 over header.payload with the configured key
        assertThat(parts[2]).isEqualTo(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(RawJwt.mac("HmacSHA256", key, parts[0] + "." + parts[1])));

        Api.Answer valid = api.call("GET", "/v1/meeting-tokens/" + token, Api.ADMIN, null, consistency(issued));
        assertThat(valid.status()).as(valid.raw()).isEqualTo(200);
        JsonNode p = valid.body();
        assertThat(p.get("room_name").asText()).isEqualTo(name);
        assertThat(p.get("is_owner").asBoolean()).isTrue();
        assertThat(p.get("user_name").asText()).isEqualTo("Ada");
        assertThat(p.get("user_id").asText()).isEqualTo("ada-1");
        assertThat(p.get("exp").asLong()).isEqualTo(exp);
        assertThat(p.get("nbf").asLong()).isEqualTo(nbf);
        assertThat(p.get("eject_at_token_exp").asBoolean()).isTrue();
        assertThat(p.get("eject_after_elapsed").asLong()).isEqualTo(600);
        assertThat(p.get("start_video_off").asBoolean()).isTrue();
        assertThat(p.get("lang").asText()).isEqualTo("fr");
        assertThat(p.at("/permissions/canAdmin/0").asText()).isEqualTo("participants");
        assertThat(p.has("r")).isFalse();
        assertThat(p.has("d")).isFalse();

        Api.Answer check = joinCheck(name, token, issued);
        assertThat(check.text("decision")).isEqualTo("allow");
        assertThat(check.text("reason")).isEqualTo("valid-token");
        assertThat(check.body().get("is_owner").asBoolean()).isTrue();
    }

    @Test
    void token_issued_holds_the_claims_and_jti_but_never_the_token_string() throws Exception {
        String name = Api.uniqueName("stored");
        Api.Answer issued = issue("{\"room_name\":" + quoted(name) + ",\"user_name\":\"Grace\"}");
        String token = issued.text("token");
        String jti = claims(token).get("jti").asText();
        Map<String, Object> row = jdbc.queryForMap("select payload, payload_type, meta_data from domain_event_entry "
                + "where aggregate_identifier = ?", StreamIds.meetingToken(jti));
        assertThat(row.get("PAYLOAD_TYPE")).isEqualTo("io.roomgate.events.TokenIssued");
        String payload = new String((byte[]) row.get("PAYLOAD"), StandardCharsets.UTF_8);
        assertThat(payload).contains(jti).contains(name).contains("Grace");
        String signature = RawJwt.parts(token)[2];
        for (String secret : List.of(token, signature, RawJwt.parts(token)[1], signingKeyBase64)) {
            assertThat(payload).doesNotContain(secret);
            assertThat(new String((byte[]) row.get("META_DATA"), StandardCharsets.UTF_8)).doesNotContain(secret);
        }
        // and no event anywhere in the store holds it
        List<byte[]> all = jdbc.queryForList("select payload from domain_event_entry", byte[].class);
        assertThat(all).noneMatch(b -> new String(b, StandardCharsets.UTF_8).contains(signature));
        assertThat(new String((byte[]) row.get("META_DATA"), StandardCharsets.UTF_8)).contains("test-admin");
    }

    @Test
    void a_token_for_every_room_needs_allow_all_rooms() throws Exception {
        Api.Answer a = refused(api, 400, BAD, () -> api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"is_owner\":true}}"));
        assertThat(a.text("info")).contains("allow_all_rooms");
        Api.Answer allRooms = written(api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{},\"allow_all_rooms\":true}"));
        String jti = claims(allRooms.text("token")).get("jti").asText();
        String payload = new String(jdbc.queryForObject("select payload from domain_event_entry where aggregate_identifier = ?",
                byte[].class, StreamIds.meetingToken(jti)), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"allow_all_rooms\":true");
        String name = Api.uniqueName("anyroom");
        Api.Answer r = room(name);
        assertThat(joinCheck(name, allRooms.text("token"), r).text("reason")).isEqualTo("valid-token");
    }

    @Test
    void issuing_accepts_every_property_of_dailys_document_with_its_default() {
        issue("{\"room_name\":\"defaults-room\",\"eject_at_token_exp\":false,\"is_owner\":false,"
                + "\"enable_screenshare\":true,\"start_video_off\":false,\"start_audio_off\":false,\"enable_terse_logging\":false,"
                + "\"knocking\":false,\"start_cloud_recording\":false,\"auto_start_transcription\":false,"
                + "\"close_tab_on_exit\":false,\"lang\":\"en\",\"enable_recording\":\"cloud\",\"enable_prejoin_ui\":true,"
                + "\"enable_live_captions_ui\":false,\"enable_recording_ui\":true,\"redirect_on_meeting_exit\":\"https://x.test/\","
                + "\"start_cloud_recording_opts\":{},\"permissions\":{\"hasPresence\":true,\"canSend\":[\"video\",\"audio\"],"
                + "\"canReceive\":{\"base\":true},\"canAdmin\":false}}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"properties\":{\"room_name\":5}}", "{\"properties\":{\"is_owner\":\"yes\"}}",
            "{\"properties\":{\"is_owner\":1,\"room_name\":\"a\"}}", "{\"properties\":{\"room_name\":\"a\",\"exp\":\"later\"}}",
            "{\"properties\":{\"room_name\":\"a\",\"exp\":1.7e9}}", "{\"properties\":{\"room_name\":\"a\",\"nbf\":false}}",
            "{\"properties\":{\"room_name\":\"a\",\"user_id\":[\"x\"]}}", "{\"properties\":{\"room_name\":\"a\",\"permissions\":true}}",
            "{\"properties\":{\"room_name\":\"a\",\"eject_after_elapsed\":\"10\"}}",
            "{\"properties\":{\"room_name\":\"a\",\"eject_after_elapsed\":0}}",
            "{\"properties\":{\"room_name\":\"a\",\"knocking\":\"no\"}}", "{\"properties\":[]}", "{\"properties\":\"x\"}",
            "{\"properties\":{\"room_name\":\"a\"},\"allow_all_rooms\":\"yes\"}", "{}", "{\"properties\":null}", "[]",
            "{\"properties\":{\"room_name\":\"a\",\"user_id\":\"0123456789012345678901234567890123456\"}}",
            "{\"properties\":{\"room_name\":\"a\",\"user_id\":\"\"}}",
            "{\"properties\":{\"room_name\":\"bad name\"}}", "{\"properties\":{\"room_name\":\"\"}}",
            "{\"properties\":{\"room_name\":\"a\"},\"extra\":1}", "{\"properties\":{\"room_name\":\"a\",\"r\":\"b\"}}",
            "{\"properties\":{\"room_name\":\"a\",\"is_admin\":true}}", "{\"properties\":{\"room_name\":\"a\",\"d\":\"other\"}}",
            "{\"properties\":{\"room_name\":\"a\",\"exp\":1}}"})
    void bad_token_requests_are_refused(String body) {
        refused(api, 400, BAD, () -> api.post("/v1/meeting-tokens", Api.ADMIN, body));
    }

    @Test
    void malformed_oversized_and_millisecond_token_requests_are_refused() {
        refused(api, 400, "json-parsing-error", () -> api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{"));
        refused(api, 400, "json-parsing-error", () -> api.post("/v1/meeting-tokens", Api.ADMIN, null));
        refused(api, 400, BAD, () -> api.post("/v1/meeting-tokens", Api.ADMIN, oversized("properties")));
        long ms = Instant.now().toEpochMilli() + 3_600_000;
        for (String field : List.of("exp", "nbf")) {
            Api.Answer a = refused(api, 400, BAD, () -> api.post("/v1/meeting-tokens", Api.ADMIN,
                    "{\"properties\":{\"room_name\":\"a\",\"" + field + "\":" + ms + "}}"));
            assertThat(a.text("info")).contains("milliseconds");
        }
        Api.Answer past = refused(api, 400, BAD, () -> api.post("/v1/meeting-tokens", Api.ADMIN,
                "{\"properties\":{\"room_name\":\"a\",\"exp\":" + (Instant.now().getEpochSecond() - 5) + "}}"));
        assertThat(past.text("info")).contains("past");
    }

    // ---- bad tokens, over HTTP

    @Test
    void a_tampered_token_is_refused_and_never_admits() throws Exception {
        String name = Api.uniqueName("tamper");
        Api.Answer r = room(name);
        String token = issue("{\"room_name\":" + quoted(name) + "}").text("token");
        String[] p = RawJwt.parts(token);
        // promote the holder to owner without re-signing
        JsonNode claims = claims(token);
        ((com.fasterxml.jackson.databind.node.ObjectNode) claims).put("o", true);
        String promoted = RawJwt.b64(JSON.writeValueAsString(claims));
        String tamperedPayload = p[0] + "." + promoted + "." + p[2];
        char last = p[2].charAt(0);
        String tamperedSignature = p[0] + "." + p[1] + "." + (last == 'A' ? 'B' : 'A') + p[2].substring(1);
        String truncated = p[0] + "." + p[1] + "." + p[2].substring(0, p[2].length() - 2);
        for (String bad : List.of(tamperedPayload, tamperedSignature, truncated, p[0] + "." + p[1], token + ".x",
                "not-a-token", "a.b.c")) {
            Api.Answer v = refused(api, 400, BAD, () -> validate(bad));
            assertThat(v.raw()).doesNotContain(p[2]);
            assertThat(joinCheck(name, bad, r).text("reason")).isEqualTo("token-invalid");
        }
    }

    @Test
    void alg_none_and_other_algorithms_are_refused() throws Exception {
        String name = Api.uniqueName("algs");
        Api.Answer r = room(name);
        String token = issue("{\"room_name\":" + quoted(name) + ",\"is_owner\":true}").text("token");
        String[] p = RawJwt.parts(token);
        String payload = RawJwt.decode(p[1]);
        String none = RawJwt.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + p[1] + ".";
        String noneWithSig = RawJwt.b64("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"test-1\"}") + "." + p[1] + "." + p[2];
        String noneAsNone = RawJwt.b64("{\"alg\":\"None\"}") + "." + p[1] + "." + p[2];
        String hs512 = RawJwt.hmac("{\"alg\":\"HS512\",\"typ\":\"JWT\",\"kid\":\"test-1\"}", payload, "HmacSHA512", key);
        String hs384 = RawJwt.hmac("{\"alg\":\"HS384\",\"kid\":\"test-1\"}", payload, "HmacSHA384", key);
        String lowercase = RawJwt.hmac("{\"alg\":\"hs256\",\"kid\":\"test-1\"}", payload, "HmacSHA256", key);
        for (String bad : List.of(none, noneWithSig, noneAsNone, hs512, hs384, lowercase)) {
            refused(api, 400, BAD, () -> validate(bad));
            assertThat(joinCheck(name, bad, r).text("reason")).as(RawJwt.decode(RawJwt.parts(bad)[0])).isEqualTo("token-invalid");
        }
        // the control: the same payload, HS256 with the right key, is fine
        String control = RawJwt.hmac("{\"alg\":\"HS256\",\"kid\":\"test-1\"}", payload, "HmacSHA256", key);
        assertThat(validate(control).status()).isEqualTo(200);
    }

    @Test
    void a_token_signed_with_another_key_or_for_another_domain_is_refused() {
        String name = Api.uniqueName("wrongkey");
        Api.Answer r = room(name);
        byte[] otherKey = "another-key-of-at-least-256-bits-0000000000".getBytes(StandardCharsets.US_ASCII);
        String claims = "{\"r\":" + quoted(name) + ",\"d\":" + quoted(domainId) + ",\"iat\":" + Instant.now().getEpochSecond() + "}";
        String withKid = RawJwt.hmac("{\"alg\":\"HS256\",\"kid\":\"test-1\"}", claims, "HmacSHA256", otherKey);
        String withoutKid = RawJwt.hmac("{\"alg\":\"HS256\"}", claims, "HmacSHA256", otherKey);
        String unknownKid = RawJwt.hmac("{\"alg\":\"HS256\",\"kid\":\"test-9\"}", claims, "HmacSHA256", key);
        String otherDomain = RawJwt.hmac("{\"alg\":\"HS256\",\"kid\":\"test-1\"}",
                "{\"r\":" + quoted(name) + ",\"d\":\"another-domain\"}", "HmacSHA256", key);
        String noDomain = RawJwt.hmac("{\"alg\":\"HS256\",\"kid\":\"test-1\"}", "{\"r\":" + quoted(name) + "}", "HmacSHA256", key);
        for (String bad : List.of(withKid, withoutKid, unknownKid, otherDomain, noDomain)) {
            refused(api, 400, BAD, () -> validate(bad));
            assertThat(joinCheck(name, bad, r).text("reason")).isEqualTo("token-invalid");
        }
    }

    @Test
    void a_token_made_by_an_independent_jwt_library_with_dailys_claim_names_validates() throws Exception {
        String name = Api.uniqueName("jjwt");
        Api.Answer r = room(name);
        SecretKey secret = Keys.hmacShaKeyFor(key);
        long exp = inOneHour();
        String token = io.jsonwebtoken.Jwts.builder()
                .header().keyId("test-1").and()
                .claim("r", name)
                .claim("o", true)
                .claim("u", "Self Signed")
                .claim("ud", "self-1")
                .claim("d", domainId)
                .claim("p", Map.of("canAdmin", List.of("participants")))
                .issuedAt(new Date())
                .expiration(new Date(exp * 1000))
                .signWith(secret, io.jsonwebtoken.Jwts.SIG.HS256)
                .compact();
        // no kid either: Daily's own self-signing code sends none
        String noKid = io.jsonwebtoken.Jwts.builder()
                .claim("r", name).claim("d", domainId).claim("u", "No Kid")
                .signWith(secret, io.jsonwebtoken.Jwts.SIG.HS256).compact();

        Api.Answer v = validate(token);
        assertThat(v.status()).as(v.raw()).isEqualTo(200);
        assertThat(v.body().get("room_name").asText()).isEqualTo(name);
        assertThat(v.body().get("is_owner").asBoolean()).isTrue();
        assertThat(v.body().get("user_name").asText()).isEqualTo("Self Signed");
        assertThat(v.body().get("user_id").asText()).isEqualTo("self-1");
        assertThat(v.body().get("exp").asLong()).isEqualTo(exp);
        assertThat(v.body().at("/permissions/canAdmin/0").asText()).isEqualTo("participants");
        assertThat(validate(noKid).status()).isEqualTo(200);

        Api.Answer check = joinCheck(name, token, r);
        assertThat(check.text("reason")).isEqualTo("valid-token");
        assertThat(check.body().get("is_owner").asBoolean()).isTrue();

        // it has no jti: revoking it by its text works all the same
        Api.Answer revoked = written(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":" + quoted(token) + "}"));
        assertThat(revoked.text("jti")).matches("[0-9a-f]{64}");
        refused(api, 400, BAD, () -> api.call("GET", "/v1/meeting-tokens/" + token, Api.ADMIN, null, consistency(revoked)));
        assertThat(joinCheck(name, token, revoked).text("reason")).isEqualTo("token-revoked");
        assertThat(joinCheck(name, noKid, revoked).text("reason")).isEqualTo("valid-token");
    }

    @Test
    void a_token_whose_jti_could_not_be_revoked_is_invalid_and_revoking_it_is_a_400_not_a_500() {
        String name = Api.uniqueName("longjti");
        Api.Answer r = room(name);
        for (int length : List.of(129, 300)) {
            String token = io.jsonwebtoken.Jwts.builder().header().keyId("test-1").and()
                    .claim("r", name).claim("d", domainId).id("j".repeat(length))
                    .signWith(Keys.hmacShaKeyFor(key), io.jsonwebtoken.Jwts.SIG.HS256).compact();
            Api.Answer a = refused(api, 400, BAD, () -> api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":" + quoted(token) + "}"));
            assertThat(a.text("info")).contains("not a valid meeting token");
            assertThat(joinCheck(name, token, r).text("reason")).isEqualTo("token-invalid");
        }
    }

    @Test
    void an_expired_token_is_refused() {
        String name = Api.uniqueName("expired");
        Api.Answer r = room(name);
        long past = Instant.now().getEpochSecond() - 60;
        String token = io.jsonwebtoken.Jwts.builder().header().keyId("test-1").and()
                .claim("r", name).claim("d", domainId).id("expired-" + name)
                .expiration(new Date(past * 1000))
                .signWith(Keys.hmacShaKeyFor(key), io.jsonwebtoken.Jwts.SIG.HS256).compact();
        Api.Answer v = refused(api, 400, BAD, () -> validate(token));
        assertThat(v.text("info")).contains("expired");
        assertThat(joinCheck(name, token, r).text("reason")).isEqualTo("token-expired");
    }

    @Test
    void a_token_not_yet_valid_is_refused_until_its_nbf() {
        String name = Api.uniqueName("nbf");
        Api.Answer r = room(name);
        long nbf = inOneHour();
        Api.Answer issued = issue("{\"room_name\":" + quoted(name) + ",\"nbf\":" + nbf + "}");
        String token = issued.text("token");
        Api.Answer v = refused(api, 400, BAD, () -> validate(token));
        assertThat(v.text("info")).contains("not valid yet");
        assertThat(joinCheck(name, token, r).text("reason")).isEqualTo("token-not-yet-valid");
        // Daily's ignoreNbf
        Api.Answer ignoring = api.get("/v1/meeting-tokens/" + token + "?ignoreNbf=true", Api.ADMIN);
        assertThat(ignoring.status()).as(ignoring.raw()).isEqualTo(200);
        assertThat(ignoring.body().get("nbf").asLong()).isEqualTo(nbf);
        refused(api, 400, BAD, () -> api.get("/v1/meeting-tokens/" + token + "?ignoreNbf=false", Api.ADMIN));
        refused(api, 400, BAD, () -> api.get("/v1/meeting-tokens/" + token + "?ignoreNbf=perhaps", Api.ADMIN));
    }

    @Test
    void a_token_for_another_room_does_not_admit() {
        String a = Api.uniqueName("room-a");
        String b = Api.uniqueName("room-b");
        Api.Answer ra = room(a);
        Api.Answer rb = written(api.createRoom("{\"name\":" + quoted(b) + ",\"privacy\":\"private\"}"));
        String token = issue("{\"room_name\":" + quoted(a) + ",\"is_owner\":true}").text("token");
        Api.Answer check = joinCheck(b, token, rb);
        assertThat(check.text("decision")).isEqualTo("deny");
        assertThat(check.text("reason")).isEqualTo("token-wrong-room");
        assertThat(check.body().get("is_owner").asBoolean()).isFalse();
        assertThat(joinCheck(a, token, ra).text("reason")).isEqualTo("valid-token");
    }

    // ---- revocation

    @Test
    void revoking_by_jti_refuses_the_token_from_then_on() throws Exception {
        String name = Api.uniqueName("revoke-jti");
        Api.Answer r = room(name);
        String token = issue("{\"room_name\":" + quoted(name) + "}").text("token");
        assertThat(joinCheck(name, token, r).text("reason")).isEqualTo("valid-token");
        String jti = claims(token).get("jti").asText();
        long before = api.eventCount();
        Api.Answer revoked = written(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"jti\":" + quoted(jti) + "}"));
        assertThat(revoked.body().get("revoked").asBoolean()).isTrue();
        assertThat(revoked.text("jti")).isEqualTo(jti);
        assertThat(api.eventCount()).isEqualTo(before + 1);
        Api.Answer v = api.call("GET", "/v1/meeting-tokens/" + token, Api.ADMIN, null, consistency(revoked));
        AdminApiSupport.assertDailyError(v, 400, BAD);
        assertThat(v.text("info")).contains("revoked");
        Api.Answer check = joinCheck(name, token, revoked);
        assertThat(check.text("decision")).isEqualTo("deny");
        assertThat(check.text("reason")).isEqualTo("token-revoked");

        // revoking again is fine and changes nothing
        written(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"jti\":" + quoted(jti) + "}"));
        assertThat(api.eventCount()).isEqualTo(before + 1);
    }

    @Test
    void revoking_by_token_refuses_it_from_then_on() throws Exception {
        String name = Api.uniqueName("revoke-token");
        Api.Answer r = room(name);
        String token = issue("{\"room_name\":" + quoted(name) + "}").text("token");
        assertThat(joinCheck(name, token, r).text("reason")).isEqualTo("valid-token");
        Api.Answer revoked = written(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":" + quoted(token) + "}"));
        assertThat(revoked.text("jti")).isEqualTo(claims(token).get("jti").asText());
        assertThat(revoked.raw()).doesNotContain(RawJwt.parts(token)[2]);
        AdminApiSupport.assertDailyError(api.call("GET", "/v1/meeting-tokens/" + token, Api.ADMIN, null, consistency(revoked)), 400, BAD);
        assertThat(joinCheck(name, token, revoked).text("reason")).isEqualTo("token-revoked");
    }

    @Test
    void bad_revocations_are_refused() {
        String token = issue("{\"room_name\":\"revoke-bad\"}").text("token");
        String forged = RawJwt.hmac("{\"alg\":\"HS256\"}", "{\"r\":\"x\",\"d\":\"test-domain\",\"jti\":\"forged\"}", "HmacSHA256",
                "forged-key-forged-key-forged-key-forged".getBytes(StandardCharsets.US_ASCII));
        String path = "/v1/meeting-tokens/revoke";
        refused(api, 400, "json-parsing-error", () -> api.post(path, Api.ADMIN, "{\"jti\":"));
        refused(api, 400, "json-parsing-error", () -> api.post(path, Api.ADMIN, null));
        for (String body : List.of("{}", "{\"jti\":\"a\",\"token\":" + quoted(token) + "}", "{\"jti\":5}", "{\"token\":true}",
                "{\"jti\":\"\"}", "{\"jti\":\"has space\"}", "{\"jti\":\"ctl\\u0001\"}", "{\"jti\":" + quoted("j".repeat(129)) + "}",
                "{\"token\":\"garbage\"}", "{\"token\":" + quoted(forged) + "}", "{\"jti\":\"a\",\"reason\":\"x\"}", "[]",
                "{\"jti\":null,\"token\":null}", "{\"token\":" + quoted("a.b." + "c".repeat(9000)) + "}")) {
            Api.Answer a = refused(api, 400, BAD, () -> api.post(path, Api.ADMIN, body));
            assertThat(a.raw()).doesNotContain(RawJwt.parts(token)[2]);
        }
        refused(api, 400, BAD, () -> api.post(path, Api.ADMIN, oversized("jti")));
    }

    @Test
    void validating_bad_token_text_is_a_400_never_a_500() {
        for (String bad : List.of("x", "....", "a.b", "%2e%2e", "eyJhbGciOiJIUzI1NiJ9.e30", "=.=.=", "x".repeat(5000),
                "eyJhbGciOiJIUzI1NiJ9.e30.x%0a")) {
            Api.Answer a = api.get("/v1/meeting-tokens/" + bad, Api.ADMIN);
            assertThat(a.status()).as(bad + " -> " + a.raw()).isIn(400, 404);
            assertThat(a.text("error")).as(bad + " -> " + a.raw()).isIn("invalid-request-error", "not-found");
        }
        // an encoded NUL and a path beyond the request-line limit are refused by the web server
        // itself (Tomcat's own 400 page), before roomgate sees the request: still a 400
        assertThat(api.get("/v1/meeting-tokens/%00", Api.ADMIN).status()).isEqualTo(400);
        assertThat(api.get("/v1/meeting-tokens/" + "x".repeat(20_000), Api.ADMIN).status()).isEqualTo(400);
    }
}
