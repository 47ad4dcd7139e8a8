package io.roomgate.app.security;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.app.reliability.Http;
import io.roomgate.app.reliability.Summary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Value;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forged, altered and misused meeting tokens against every place a token opens a door: the
 * join check ({@code POST /v1/join-checks}) in a public room (an invalid credential is never
 * ignored, access rules §2 row 5) and in a private room where the same request also names an active
 * member, the command side's authoritative join ({@code POST /v1/rooms/{name}/participants}:
 * 403, nothing appended), and validation ({@code GET /v1/meeting-tokens/{token}}: 400). Not one
 * attack may be admitted anywhere, and each is refused for its own reason.
 */
@RoomgateTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenAttackIT extends WithEmbeddedApp {

    @Value("${roomgate.tokens.keys.test-1}")
    String signingKeyBase64;
    @Value("${roomgate.tokens.domain-id}")
    String domain;

    Http http;
    byte[] key;
    String room;
    String privateRoom;
    String otherRoom;
    String member;

    record Attack(String name, String token, String reason) {
    }

    @BeforeAll
    void rooms() {
        http = new Http(port);
        key = Base64.getDecoder().decode(signingKeyBase64);
        room = Api.uniqueName("attack");
        privateRoom = Api.uniqueName("attack-private");
        otherRoom = Api.uniqueName("attack-other");
        member = Api.uniqueName("attack-member");
        ok(api.createRoom("{\"name\":\"" + room + "\"}"));
        ok(api.createRoom("{\"name\":\"" + otherRoom + "\"}"));
        ok(api.createRoom("{\"name\":\"" + privateRoom + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}"));
        Api.Answer m = ok(api.put("/v1/members/" + member, Api.ADMIN));
        api.joinCheck("{\"room_name\":\"" + privateRoom + "\"}", m.consistencyToken());
    }

    List<Attack> attacks() throws Exception {
        long now = Instant.now().getEpochSecond();
        List<Attack> a = new ArrayList<>();
        String claims = claims(room, "\"o\":true");
        String valid = api.token("{\"room_name\":\"" + room + "\"}");
        String[] v = valid.split("\\.");

        // alg none, in every spelling, with and without a signature
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            a.add(new Attack("alg " + alg + ", empty signature", b64(header(alg)) + "." + b64(claims) + ".", "token-invalid"));
            a.add(new Attack("alg " + alg + ", a real token's signature", b64(header(alg)) + "." + b64(claims) + "." + v[2], "token-invalid"));
        }
        a.add(new Attack("alg none, no signature part", b64(header("none")) + "." + b64(claims), "token-invalid"));
        // HS/RS confusion and embedded keys
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").genKeyPair();
        RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
        String jwk = "{\"kty\":\"RSA\",\"n\":\"" + b64(pub.getModulus().toByteArray()) + "\",\"e\":\"" + b64(pub.getPublicExponent().toByteArray()) + "\"}";
        a.add(new Attack("RS256 signed by the attacker's RSA key", rs256("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims, rsa), "token-invalid"));
        a.add(new Attack("RS256 with the attacker's key embedded as jwk", rs256("{\"alg\":\"RS256\",\"jwk\":" + jwk + "}", claims, rsa), "token-invalid"));
        a.add(new Attack("HS256 keyed with the attacker's public key (HS/RS confusion)",
                hmac("HmacSHA256", header("HS256"), claims, pub.getEncoded()), "token-invalid"));
        a.add(new Attack("HS256 keyed with the attacker's public key in PEM", hmac("HmacSHA256", header("HS256"), claims,
                ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(pub.getEncoded()) + "\n-----END PUBLIC KEY-----\n")
                        .getBytes(StandardCharsets.US_ASCII)), "token-invalid"));
        a.add(new Attack("alg RS256 in the header over a valid HMAC with the real key",
                hmac("HmacSHA256", "{\"alg\":\"RS256\",\"kid\":\"test-1\"}", claims, key), "token-invalid"));
        a.add(new Attack("HS256 with an embedded oct jwk of the attacker's key", hmac("HmacSHA256",
                "{\"alg\":\"HS256\",\"jwk\":{\"kty\":\"oct\",\"k\":\"" + b64("attacker-attacker-attacker-attack".getBytes(StandardCharsets.US_ASCII)) + "\"}}",
                claims, "attacker-attacker-attacker-attack".getBytes(StandardCharsets.US_ASCII)), "token-invalid"));
        // other HMAC algorithms with the real key: only HS256 is accepted
        a.add(new Attack("HS384 with the real key", hmac("HmacSHA384", header("HS384"), claims, key), "token-invalid"));
        a.add(new Attack("HS512 with the real key", hmac("HmacSHA512", header("HS512"), claims, key), "token-invalid"));
        a.add(new Attack("alg hs256 in lower case", hmac("HmacSHA256", "{\"alg\":\"hs256\",\"kid\":\"test-1\"}", claims, key), "token-invalid"));
        // wrong keys and key ids
        byte[] other = "another-256-bit-key-another-256-bit-key!".getBytes(StandardCharsets.US_ASCII);
        a.add(new Attack("signed with another key, real kid", hmac("HmacSHA256", header("HS256"), claims, other), "token-invalid"));
        a.add(new Attack("signed with another key, no kid", hmac("HmacSHA256", "{\"alg\":\"HS256\"}", claims, other), "token-invalid"));
        a.add(new Attack("signed with an empty-ish key", hmac("HmacSHA256", "{\"alg\":\"HS256\"}", claims, new byte[]{0}), "token-invalid"));
        a.add(new Attack("unknown kid, signed with the real key", hmac("HmacSHA256", "{\"alg\":\"HS256\",\"kid\":\"test-2\"}", claims, key), "token-invalid"));
        a.add(new Attack("kid path traversal", hmac("HmacSHA256", "{\"alg\":\"HS256\",\"kid\":\"../../../../dev/null\"}", claims, other), "token-invalid"));
        a.add(new Attack("kid SQL injection", hmac("HmacSHA256", "{\"alg\":\"HS256\",\"kid\":\"x' or '1'='1\"}", claims, other), "token-invalid"));
        a.add(new Attack("the signing key's id as the key", hmac("HmacSHA256", header("HS256"), claims, "test-1".getBytes(StandardCharsets.US_ASCII)), "token-invalid"));
        a.add(new Attack("critical header the verifier does not know", hmac("HmacSHA256",
                "{\"alg\":\"HS256\",\"kid\":\"test-1\",\"crit\":[\"rg-x\"],\"rg-x\":1}", claims, key), "token-invalid"));
        a.add(new Attack("unencoded payload (b64:false)", hmac("HmacSHA256",
                "{\"alg\":\"HS256\",\"kid\":\"test-1\",\"b64\":false,\"crit\":[\"b64\"]}", claims, key), "token-invalid"));
        // tampering with a real token
        String payload = new String(Base64.getUrlDecoder().decode(v[1]), StandardCharsets.UTF_8);
        a.add(new Attack("claims made owner, signature kept", v[0] + "." + b64(payload.replace("{", "{\"o\":true,")) + "." + v[2], "token-invalid"));
        a.add(new Attack("claims moved to another room, signature kept", v[0] + "." + b64(payload.replace(room, otherRoom)) + "." + v[2], "token-invalid"));
        a.add(new Attack("header swapped to alg none, signature kept", b64(header("none")) + "." + v[1] + "." + v[2], "token-invalid"));
        a.add(new Attack("one signature bit flipped", v[0] + "." + v[1] + "." + flipFirst(v[2]), "token-invalid"));
        a.add(new Attack("signature truncated", v[0] + "." + v[1] + "." + v[2].substring(0, 20), "token-invalid"));
        a.add(new Attack("signature stripped", v[0] + "." + v[1] + ".", "token-invalid"));
        String second = api.token("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        a.add(new Attack("owner token's claims with a guest token's signature", v[0] + "." + second.split("\\.")[1] + "." + v[2], "token-invalid"));
        a.add(new Attack("a real token re-spelled (non-canonical base64)", v[0] + "." + v[1] + "." + respell(v[2]), "token-invalid"));
        a.add(new Attack("a real token with a trailing newline", valid + "\n", "token-invalid"));
        a.add(new Attack("a real token with padding", valid + "=", "token-invalid"));
        a.add(new Attack("a real token with a fourth part", valid + "." + v[2], "token-invalid"));
        // time
        a.add(new Attack("expired (self-signed with the real key)", hmac("HmacSHA256", header("HS256"),
                claims(room, "\"exp\":" + (now - 60)), key), "token-expired"));
        a.add(new Attack("expired long ago (exp 1)", hmac("HmacSHA256", header("HS256"), claims(room, "\"exp\":1"), key), "token-expired"));
        a.add(new Attack("not yet valid (issued with nbf in an hour)",
                api.token("{\"room_name\":\"" + room + "\",\"nbf\":" + (now + 3600) + "}"), "token-not-yet-valid"));
        a.add(new Attack("claims of the wrong type (exp as text)", hmac("HmacSHA256", header("HS256"),
                claims(room, "\"exp\":\"tomorrow\""), key), "token-invalid"));
        a.add(new Attack("claims of the wrong type (room as a list)", hmac("HmacSHA256", header("HS256"),
                "{\"r\":[\"" + room + "\"],\"d\":\"" + domain + "\",\"jti\":\"" + UUID.randomUUID() + "\"}", key), "token-invalid"));
        // domain and room
        a.add(new Attack("another domain, real key", hmac("HmacSHA256", header("HS256"),
                "{\"r\":\"" + room + "\",\"d\":\"other-domain\",\"o\":true}", key), "token-invalid"));
        a.add(new Attack("no domain claim, real key", hmac("HmacSHA256", header("HS256"), "{\"r\":\"" + room + "\",\"o\":true}", key), "token-invalid"));
        a.add(new Attack("a token for another room", api.token("{\"room_name\":\"" + otherRoom + "\",\"is_owner\":true}"), "token-wrong-room"));
        // revocation: by jti, and by token text for one without jti
        String revoked = api.token("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        ok(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + revoked + "\"}"));
        a.add(new Attack("revoked by jti", revoked, "token-revoked"));
        String selfSigned = hmac("HmacSHA256", header("HS256"), "{\"r\":\"" + room + "\",\"d\":\"" + domain + "\",\"o\":true}", key);
        Api.Answer r = ok(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + selfSigned + "\"}"));
        a.add(new Attack("revoked self-signed token without jti", selfSigned, "token-revoked"));
        api.joinCheck("{\"room_name\":\"" + room + "\"}", r.consistencyToken());
        // size and garbage
        a.add(new Attack("oversized (a valid signature over 9 KB of claims)", hmac("HmacSHA256", header("HS256"),
                claims(room, "\"pad\":\"" + "x".repeat(9000) + "\""), key), "token-invalid"));
        a.add(new Attack("oversized garbage (60 KB)", "eyJ" + "A".repeat(60_000), "token-invalid"));
        for (String garbage : List.of("", " ", "null", "undefined", "a.b.c", "..", "...", "eyJ", "eyJ.eyJ.eyJ",
                "Bearer " + valid, "%00", "\u0000", "\u202e" + valid, "😀.😀.😀", "e30.e30.e30", "W10.W10.W10",
                b64("not json") + "." + b64("not json") + "." + v[2], "YQ==.YQ==.YQ==")) {
            a.add(new Attack("garbage " + printable(garbage), garbage, "token-invalid"));
        }
        if (valid.contains("-") || valid.contains("_")) {
            a.add(new Attack("a real token in the standard base64 alphabet", valid.replace('-', '+').replace('_', '/'), "token-invalid"));
        }
        return a;
    }

    @Test
    void no_attack_is_admitted_anywhere() throws Exception {
        List<Attack> attacks = attacks();
        List<String> failures = new ArrayList<>();
        int checks = 0;
        for (Attack attack : attacks) {
            String t = Http.quoted(attack.token());
            // 1. the join check in a public room: denied for the attack's own reason
            Api.Answer publicCheck = api.joinCheck("{\"room_name\":\"" + room + "\",\"token\":" + t + "}", null);
            checks++;
            expectDecision(failures, attack, "join check, public room", publicCheck, "deny", attack.reason());
            // 2. a private room, and the same request names an active member: the bad token is not ignored
            Api.Answer memberCheck = api.joinCheck("{\"room_name\":\"" + privateRoom + "\",\"member_id\":\"" + member + "\",\"token\":" + t + "}", null);
            checks++;
            // the revoked tokens name the public room: in the private one the room is judged first (row 7 before 8)
            String expected = attack.reason().equals("token-revoked") ? "token-wrong-room" : attack.reason();
            expectDecision(failures, attack, "join check, private room with a member id", memberCheck, "deny", expected);
            // 3. the authoritative join: a 403, nothing appended
            long before = api.eventCount();
            Api.Answer join = api.post("/v1/rooms/" + room + "/participants", Api.JOIN,
                    "{\"participant_id\":\"" + Api.uniqueName("intruder") + "\",\"token\":" + t + "}");
            checks++;
            if (join.status() != 403 || !"forbidden-error".equals(join.text("error"))) {
                failures.add(attack.name() + " / authoritative join: expected 403 forbidden-error, got " + join.status() + " " + join.raw());
            } else if (!join.text("info").contains(attack.reason())) {
                failures.add(attack.name() + " / authoritative join: refused, but not for " + attack.reason() + ": " + join.raw());
            }
            if (api.eventCount() != before) {
                failures.add(attack.name() + " / authoritative join appended events");
            }
            // 4. validation: a 400 for a token that admits nobody (SPEC; a token too long for a URL is left out)
            if (attack.token().length() < 6000 && !attack.token().isBlank() && attack.token().chars().allMatch(c -> c > 0x20 && c < 0x7f)
                    && !attack.token().contains("%") && !attack.token().contains("/") && !attack.token().contains("..")) {
                Http.Answer validation = http.send("GET", "/v1/meeting-tokens/" + attack.token(), Api.ADMIN, null);
                checks++;
                if (attack.reason().equals("token-wrong-room")) {
                    // a sound token for another room: validation tells which room it opens, and that one only
                    if (validation.status() != 200 || !otherRoom.equals(validation.text("room_name"))) {
                        failures.add(attack.name() + " / validation: expected 200 naming " + otherRoom + ", got " + validation.status() + " " + validation.raw());
                    }
                } else if (validation.status() != 400 || validation.notDailyError() != null) {
                    failures.add(attack.name() + " / validation: expected a 400 in Daily's shape, got " + validation.status() + " " + validation.raw());
                }
            }
        }
        Summary.line("token-attacks", attacks.size() + " attacks, " + checks + " checks (join check public/private+member, "
                + "authoritative join, validation), " + failures.size() + " admitted or misjudged");
        assertThat(failures).isEmpty();
    }

    @Test
    void a_body_over_the_limit_carrying_a_token_is_refused_before_it_is_read() {
        long before = api.eventCount();
        Api.Answer a = api.post("/v1/rooms/" + room + "/participants", Api.JOIN,
                "{\"participant_id\":\"p-big\",\"token\":\"" + "A".repeat(70_000) + "\"}");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.text("error")).isEqualTo("invalid-request-error");
        assertThat(api.eventCount()).isEqualTo(before);
    }

    @Test
    void the_genuine_token_is_admitted_so_the_refusals_above_mean_something() {
        String valid = api.token("{\"room_name\":\"" + privateRoom + "\"}");
        Api.Answer a = api.joinCheck("{\"room_name\":\"" + privateRoom + "\",\"token\":\"" + valid + "\"}", null);
        assertThat(a.text("decision") + " " + a.text("reason")).isEqualTo("allow valid-token");
        String selfSigned = hmac("HmacSHA256", header("HS256"), claims(privateRoom, "\"exp\":" + (Instant.now().getEpochSecond() + 600)), key);
        Api.Answer b = api.joinCheck("{\"room_name\":\"" + privateRoom + "\",\"token\":\"" + selfSigned + "\"}", null);
        assertThat(b.text("decision") + " " + b.text("reason")).isEqualTo("allow valid-token");
    }

    private void expectDecision(List<String> failures, Attack attack, String surface, Api.Answer a, String decision, String reason) {
        if (a.status() != 200) {
            failures.add(attack.name() + " / " + surface + ": " + a.status() + " " + a.raw());
        } else if (!(decision + " " + reason).equals(a.text("decision") + " " + a.text("reason"))) {
            failures.add(attack.name() + " / " + surface + ": expected " + decision + " " + reason + ", got " + a.text("decision") + " " + a.text("reason"));
        }
        if ("allow".equals(a.text("decision"))) {
            failures.add(attack.name() + " / " + surface + ": ADMITTED");
        }
    }

    // ---- hand-made JWTs

    private String claims(String roomName, String extra) {
        return "{\"r\":\"" + roomName + "\",\"d\":\"" + domain + "\",\"jti\":\"" + UUID.randomUUID() + "\""
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    private static String header(String alg) {
        return "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"test-1\"}";
    }

    static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hmac(String macAlgorithm, String headerJson, String payloadJson, byte[] key) {
        String input = b64(headerJson) + "." + b64(payloadJson);
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(String headerJson, String payloadJson, KeyPair rsa) throws GeneralSecurityException {
        String input = b64(headerJson) + "." + b64(payloadJson);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(rsa.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64(s.sign());
    }

    private static String flipFirst(String part) {
        return (part.charAt(0) == 'A' ? "B" : "A") + part.substring(1);
    }

    /** The same bytes, spelled differently: the unused low bits of the last base64url character set. */
    static String respell(String part) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int unusedBits = (part.length() * 6) % 8;
        if (unusedBits == 0) {
            throw new IllegalArgumentException("no spare bits in a part of " + part.length() + " characters");
        }
        char last = part.charAt(part.length() - 1);
        int index = alphabet.indexOf(last) ^ 1;
        return part.substring(0, part.length() - 1) + alphabet.charAt(index);
    }

    private static String printable(String s) {
        String shown = s.length() > 24 ? s.substring(0, 24) + "…" : s;
        StringBuilder b = new StringBuilder("'");
        shown.codePoints().forEach(c -> b.append(c < 0x20 || c == 0x202e ? String.format("\\u%04x", c) : new String(Character.toChars(c))));
        return b.append("'").toString();
    }

    private static Api.Answer ok(Api.Answer a) {
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        return a;
    }
}
