package io.roomgate.token;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.roomgate.access.PresentedToken;
import io.roomgate.events.MeetingTokenClaims;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** Meeting tokens (access rules §1): HS256 JWTs with Daily's short claim names, several keys for rotation. */
class MeetingTokensTest {

    static final String DOMAIN = "8a6f2c1e-4b7d-4e39-9c05-1d3e7a2b6f48";
    static final String OLD_KID = "k-2026-10";
    static final String NEW_KID = "k-2026-11";
    static final byte[] OLD_KEY = "roomgate test key of October 2026, 256 bits at least".getBytes(StandardCharsets.UTF_8);
    static final byte[] NEW_KEY = "roomgate test key of November 2026, rotated in, >=32B".getBytes(StandardCharsets.UTF_8);
    static final byte[] FOREIGN_KEY = "somebody else's key, long enough for HMAC-SHA-256 use".getBytes(StandardCharsets.UTF_8);

    static final Instant ISSUED_AT = Instant.parse("2026-11-27T14:00:00Z");
    static final long EXP = 1795802400L;   // 2026-11-27T18:00:00Z
    static final long NBF = 1795784400L;   // 2026-11-27T13:00:00Z
    static final String JTI = "0b9c6f3e-2a41-4d8e-b5f7-91c3e0a2d6b4";

    static final ObjectMapper JSON = new ObjectMapper();

    static SigningKeys oldKeysOnly() {
        return new SigningKeys(Map.of(OLD_KID, OLD_KEY), OLD_KID);
    }

    static SigningKeys rotatedKeys() {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(OLD_KID, OLD_KEY);
        keys.put(NEW_KID, NEW_KEY);
        return new SigningKeys(keys, NEW_KID);
    }

    static MeetingTokens tokens() {
        return new MeetingTokens(oldKeysOnly(), DOMAIN);
    }

    static MeetingTokenClaims fullClaims() {
        return new MeetingTokenClaims("standup", EXP, NBF, true, "Ada Lovelace", "user-ada-42", true, 3600L, true,
                Map.of("canAdmin", List.of("participants"), "hasPresence", true),
                Map.of("lang", "en", "start_video_off", true));
    }

    static MeetingTokenClaims minimalClaims() {
        return new MeetingTokenClaims("standup", EXP, null, false, null, null, false, null, false, null, null);
    }

    static String issued() {
        return tokens().issue(fullClaims(), JTI, ISSUED_AT);
    }

    // ---- hand-made JWTs, independent of the code under test ------------------------------

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String json) {
        return b64(json.getBytes(StandardCharsets.UTF_8));
    }

    static String hmac(String macAlgorithm, byte[] key, String signingInput) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            return b64(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A JWT assembled by hand: {@code headerJson.payloadJson} signed with {@code macAlgorithm}. */
    static String handMade(String headerJson, String payloadJson, byte[] key, String macAlgorithm) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        return signingInput + "." + hmac(macAlgorithm, key, signingInput);
    }

    static String hs256(String headerJson, String payloadJson, byte[] key) {
        return handMade(headerJson, payloadJson, key, "HmacSHA256");
    }

    static String dailyPayload(String domain) {
        return "{\"r\":\"standup\",\"d\":\"" + domain + "\",\"o\":true,\"u\":\"Ada Lovelace\",\"ud\":\"user-ada-42\","
                + "\"exp\":" + EXP + ",\"iat\":" + ISSUED_AT.getEpochSecond() + "}";
    }

    static Map<String, Object> decodeSegment(String segment) throws Exception {
        return JSON.readValue(Base64.getUrlDecoder().decode(segment), new TypeReference<>() {
        });
    }

    static String sha256Hex(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static void assertInvalid(PresentedToken result, String token) {
        assertThat(result).isInstanceOf(PresentedToken.Invalid.class);
        String why = ((PresentedToken.Invalid) result).why();
        assertThat(why).isNotBlank();
        if (!token.isEmpty()) {
            assertThat(why).doesNotContain(token);
            for (String segment : token.split("\\.")) {
                if (segment.length() >= 8) {
                    assertThat(why).as("reason echoes part of the token").doesNotContain(segment);
                }
            }
        }
    }

    static PresentedToken.Verified assertVerified(PresentedToken result) {
        assertThat(result).isInstanceOf(PresentedToken.Verified.class);
        return (PresentedToken.Verified) result;
    }

    // ---- issuing and verifying ------------------------------------------------------------

    @Nested
    class Issuing {

        @Test
        void issue_then_verify_gives_the_same_claims_and_the_jti_as_token_id() {
            PresentedToken.Verified verified = assertVerified(tokens().verify(issued()));

            assertThat(verified.tokenId()).isEqualTo(JTI);
            assertThat(verified.claims()).isEqualTo(fullClaims());
        }

        @Test
        void issue_then_verify_gives_the_same_claims_for_a_minimal_token() {
            String token = tokens().issue(minimalClaims(), JTI, ISSUED_AT);

            assertThat(assertVerified(tokens().verify(token)).claims()).isEqualTo(minimalClaims());
        }

        @Test
        void a_token_for_all_rooms_carries_no_r_claim_and_verifies_as_granting_all_rooms() throws Exception {
            MeetingTokenClaims allRooms = new MeetingTokenClaims(null, EXP, null, false, "Ada", null, false, null, false, null, null);
            String token = tokens().issue(allRooms, JTI, ISSUED_AT);

            assertThat(decodeSegment(token.split("\\.")[1])).doesNotContainKey("r");
            assertThat(assertVerified(tokens().verify(token)).claims().grantsAllRooms()).isTrue();
        }

        @Test
        void the_payload_uses_daily_short_claim_names() throws Exception {
            Map<String, Object> payload = decodeSegment(issued().split("\\.")[1]);

            assertThat(payload).containsOnlyKeys("r", "o", "u", "ud", "k", "ejt", "eje", "p", "d",
                    "exp", "nbf", "iat", "jti", "lang", "start_video_off");
            assertThat(payload)
                    .containsEntry("r", "standup")
                    .containsEntry("o", true)
                    .containsEntry("u", "Ada Lovelace")
                    .containsEntry("ud", "user-ada-42")
                    .containsEntry("k", true)
                    .containsEntry("ejt", true)
                    .containsEntry("eje", 3600)
                    .containsEntry("p", Map.of("canAdmin", List.of("participants"), "hasPresence", true))
                    .containsEntry("d", DOMAIN)
                    .containsEntry("exp", (int) EXP)
                    .containsEntry("nbf", (int) NBF)
                    .containsEntry("iat", (int) ISSUED_AT.getEpochSecond())
                    .containsEntry("jti", JTI);
            assertThat(payload).doesNotContainKeys("room_name", "is_owner", "user_name", "user_id", "knocking",
                    "eject_at_token_exp", "eject_after_elapsed", "permissions");
        }

        @Test
        void the_header_has_the_signing_kid_and_alg_hs256() throws Exception {
            Map<String, Object> header = decodeSegment(issued().split("\\.")[0]);

            assertThat(header).containsEntry("alg", "HS256").containsEntry("kid", OLD_KID);
        }

        @Test
        void the_signature_is_hmac_sha256_of_the_signing_input_with_the_signing_key() {
            String[] parts = issued().split("\\.");

            assertThat(parts[2]).isEqualTo(hmac("HmacSHA256", OLD_KEY, parts[0] + "." + parts[1]));
        }

        @Test
        void a_token_with_jti_is_identified_by_its_jti() {
            assertThat(MeetingTokens.tokenIdOf(issued())).isEqualTo(JTI);
        }

        /*
         * MeetingTokenClaims.other holds Daily properties roomgate does not interpret; issue() writes
         * them into the payload before (d, jti) or instead of (o, k, ejt when false) the claims it
         * controls, so a stray or hostile property decides them.
         */
        static MeetingTokenClaims withOther(Map<String, Object> other) {
            return new MeetingTokenClaims("standup", EXP, null, false, null, null, false, null, false, null, other);
        }

        @Test
        void other_properties_cannot_override_the_domain() {
            String token = tokens().issue(withOther(Map.of("d", "another-domain")), JTI, ISSUED_AT);

            assertVerified(tokens().verify(token));
        }

        @Test
        void other_properties_cannot_override_the_token_id() {
            String token = tokens().issue(withOther(Map.of("jti", "forged-jti")), JTI, ISSUED_AT);

            assertThat(MeetingTokens.tokenIdOf(token)).isEqualTo(JTI);
            assertThat(assertVerified(tokens().verify(token)).tokenId()).isEqualTo(JTI);
        }

        @Test
        void other_properties_cannot_make_a_token_an_owner_token() {
            String token = tokens().issue(withOther(Map.of("o", true)), JTI, ISSUED_AT);

            assertThat(assertVerified(tokens().verify(token)).claims().owner()).isFalse();
        }

        @Test
        void an_other_property_named_r_does_not_change_the_room() {
            String token = tokens().issue(withOther(Map.of("r", "boardroom")), JTI, ISSUED_AT);

            assertThat(assertVerified(tokens().verify(token)).claims().roomName()).isEqualTo("standup");
        }

        @Test
        void a_domain_id_is_required() {
            assertThatIllegalArgumentException().isThrownBy(() -> new MeetingTokens(oldKeysOnly(), " "));
            assertThatIllegalArgumentException().isThrownBy(() -> new MeetingTokens(oldKeysOnly(), null));
        }
    }

    // ---- what is refused ----------------------------------------------------------------------

    @Nested
    class Refusing {

        @Test
        void no_token_is_none_not_invalid() {
            assertThat(tokens().verify(null)).isEqualTo(PresentedToken.NONE);
        }

        @Test
        void tampered_payload_is_invalid() {
            String[] parts = issued().split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("\"standup\"", "\"boardroom\"");
            String tampered = parts[0] + "." + b64(payload) + "." + parts[2];

            assertInvalid(tokens().verify(tampered), tampered);
        }

        @Test
        void a_payload_that_makes_itself_owner_is_invalid() {
            String token = tokens().issue(minimalClaims(), JTI, ISSUED_AT);
            String[] parts = token.split("\\.");
            String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace("{", "{\"o\":true,");
            String tampered = parts[0] + "." + b64(payload) + "." + parts[2];

            assertInvalid(tokens().verify(tampered), tampered);
        }

        @Test
        void tampered_signature_is_invalid() {
            String token = issued();
            int signatureStart = token.lastIndexOf('.') + 1;
            char first = token.charAt(signatureStart);
            String tampered = token.substring(0, signatureStart) + (first == 'A' ? 'B' : 'A') + token.substring(signatureStart + 1);

            assertInvalid(tokens().verify(tampered), tampered);
        }

        @Test
        void a_token_without_signature_is_invalid() {
            String token = issued();
            String unsigned = token.substring(0, token.lastIndexOf('.') + 1);

            assertInvalid(tokens().verify(unsigned), unsigned);
        }

        @Test
        void alg_none_unsecured_token_is_invalid() {
            String unsecured = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(dailyPayload(DOMAIN)) + ".";

            assertInvalid(tokens().verify(unsecured), unsecured);
        }

        @Test
        void alg_none_with_a_kid_and_a_borrowed_signature_is_invalid() {
            String[] parts = issued().split("\\.");
            String forged = b64("{\"alg\":\"none\",\"kid\":\"" + OLD_KID + "\"}") + "." + parts[1] + "." + parts[2];

            assertInvalid(tokens().verify(forged), forged);
        }

        @Test
        void hs512_signed_with_the_right_key_is_invalid() {
            String hs512 = handMade("{\"alg\":\"HS512\",\"typ\":\"JWT\",\"kid\":\"" + OLD_KID + "\"}",
                    dailyPayload(DOMAIN), OLD_KEY, "HmacSHA512");
            String hs512NoKid = handMade("{\"alg\":\"HS512\"}", dailyPayload(DOMAIN), OLD_KEY, "HmacSHA512");

            assertInvalid(tokens().verify(hs512), hs512);
            assertInvalid(tokens().verify(hs512NoKid), hs512NoKid);
        }

        @Test
        void hs384_signed_with_the_right_key_is_invalid() {
            String hs384 = handMade("{\"alg\":\"HS384\",\"kid\":\"" + OLD_KID + "\"}", dailyPayload(DOMAIN), OLD_KEY, "HmacSHA384");

            assertInvalid(tokens().verify(hs384), hs384);
        }

        @Test
        void rs256_token_is_invalid() throws Exception {
            RSAKey rsa = new RSAKeyGenerator(2048).keyID(OLD_KID).generate();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(OLD_KID).build(),
                    JWTClaimsSet.parse(dailyPayload(DOMAIN)));
            jwt.sign(new RSASSASigner(rsa));
            String rs256 = jwt.serialize();

            assertInvalid(tokens().verify(rs256), rs256);
        }

        @Test
        void wrong_key_is_invalid() {
            String withKid = hs256("{\"alg\":\"HS256\",\"kid\":\"" + OLD_KID + "\"}", dailyPayload(DOMAIN), FOREIGN_KEY);
            String withoutKid = hs256("{\"alg\":\"HS256\"}", dailyPayload(DOMAIN), FOREIGN_KEY);

            assertInvalid(tokens().verify(withKid), withKid);
            assertInvalid(tokens().verify(withoutKid), withoutKid);
        }

        @Test
        void a_token_of_another_roomgate_with_another_key_is_invalid() {
            MeetingTokens elsewhere = new MeetingTokens(new SigningKeys(Map.of(OLD_KID, FOREIGN_KEY), OLD_KID), DOMAIN);
            String token = elsewhere.issue(fullClaims(), JTI, ISSUED_AT);

            assertInvalid(tokens().verify(token), token);
        }

        @Test
        void unknown_kid_is_invalid_even_when_signed_with_a_configured_key() {
            String token = hs256("{\"alg\":\"HS256\",\"kid\":\"k-unknown\"}", dailyPayload(DOMAIN), OLD_KEY);

            assertInvalid(tokens().verify(token), token);
        }

        @Test
        void a_kid_naming_one_key_does_not_verify_with_another_configured_key() {
            MeetingTokens rotated = new MeetingTokens(rotatedKeys(), DOMAIN);
            String token = hs256("{\"alg\":\"HS256\",\"kid\":\"" + NEW_KID + "\"}", dailyPayload(DOMAIN), OLD_KEY);

            assertInvalid(rotated.verify(token), token);
        }

        @Test
        void other_domain_d_is_invalid() {
            String token = hs256("{\"alg\":\"HS256\"}", dailyPayload("another-domain"), OLD_KEY);

            assertInvalid(tokens().verify(token), token);
        }

        @Test
        void a_token_roomgate_issued_for_another_domain_is_invalid() {
            String token = new MeetingTokens(oldKeysOnly(), "another-domain").issue(fullClaims(), JTI, ISSUED_AT);

            assertInvalid(tokens().verify(token), token);
        }

        @Test
        void missing_d_is_invalid() {
            String token = hs256("{\"alg\":\"HS256\"}",
                    "{\"r\":\"standup\",\"exp\":" + EXP + ",\"iat\":" + ISSUED_AT.getEpochSecond() + "}", OLD_KEY);

            assertInvalid(tokens().verify(token), token);
        }

        @Test
        void a_claim_of_the_wrong_type_is_invalid_without_throwing() {
            String token = hs256("{\"alg\":\"HS256\"}",
                    "{\"r\":\"standup\",\"d\":\"" + DOMAIN + "\",\"o\":\"yes\",\"exp\":\"tomorrow\"}", OLD_KEY);

            assertInvalid(tokens().verify(token), token);
        }

        @ParameterizedTest(name = "garbage \"{0}\" is invalid")
        @ValueSource(strings = {
                "", " ", "not-a-token", "a.b.c", "..", "...", "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9..",
                "eyJhbGciOiJIUzI1NiJ9.eyJ9.c2ln", "null", "{\"alg\":\"HS256\"}", "Bearer abc.def.ghi", "\u00e9\u00e8.\u2603.\u0000"
        })
        void garbage_strings_are_invalid(String garbage) {
            assertInvalid(tokens().verify(garbage), garbage);
        }

        @ParameterizedTest(name = "signed payload {0} is invalid")
        @ValueSource(strings = {"[1,2]", "\"standup\"", "null", "42", "{\"r\":", "not json at all", ""})
        void a_signed_payload_that_is_not_a_json_object_is_invalid(String payload) {
            String token = hs256("{\"alg\":\"HS256\"}", payload, OLD_KEY);

            assertInvalid(tokens().verify(token), token);
        }

        @Test
        void the_claims_are_read_as_nimbus_reads_them_unicode_nested_and_unknown_claims_included() throws Exception {
            // verify decodes the payload with the JDK's decoder, not nimbus's: it must read the same claims
            String payload = "{\"r\":\"r\u00e9union-\u2603\",\"d\":\"" + DOMAIN + "\",\"u\":\"Zo\u00eb \ud83d\ude00 \\\"Q\\\"\","
                    + "\"ud\":\"u/1+2=3\",\"exp\":" + EXP + ",\"nbf\":" + NBF + ",\"eje\":90,\"k\":true,\"o\":false,"
                    + "\"p\":{\"canAdmin\":[\"participants\",\"streaming\"],\"hasPresence\":false,\"deep\":{\"x\":[1,2.5,null]}},"
                    + "\"lang\":\"de\",\"start_video_off\":true}";
            for (int pad = 0; pad < 3; pad++) { // payload lengths of every remainder mod 3
                String padded = payload.replace("\"lang\":\"de\"", "\"lang\":\"de" + "x".repeat(pad) + "\"");
                String plain = hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", padded, OLD_KEY);
                MeetingTokenClaims claims = assertVerified(tokens().verify(plain)).claims();
                JWTClaimsSet expected = SignedJWT.parse(plain).getJWTClaimsSet();
                assertThat(claims.roomName()).isEqualTo(expected.getStringClaim("r")).isEqualTo("r\u00e9union-\u2603");
                assertThat(claims.userName()).isEqualTo(expected.getStringClaim("u")).isEqualTo("Zo\u00eb \ud83d\ude00 \"Q\"");
                assertThat(claims.userId()).isEqualTo("u/1+2=3");
                assertThat(claims.exp()).isEqualTo(EXP);
                assertThat(claims.nbf()).isEqualTo(NBF);
                assertThat(claims.ejectAfterElapsed()).isEqualTo(90L);
                assertThat(claims.knocking()).isTrue();
                assertThat(claims.owner()).isFalse();
                assertThat(claims.permissions()).containsEntry("hasPresence", false)
                        .containsEntry("canAdmin", List.of("participants", "streaming"))
                        .containsKey("deep");
                assertThat(claims.other()).containsEntry("lang", expected.getStringClaim("lang")).containsEntry("start_video_off", true);
                assertThat(claims.other()).containsOnlyKeys("lang", "start_video_off");
            }
        }

        @Test
        void empty_token_is_invalid() {
            assertInvalid(tokens().verify(""), "");
        }

        @Test
        void oversized_token_is_invalid_even_when_correctly_signed() {
            MeetingTokenClaims bloated = new MeetingTokenClaims("standup", EXP, null, false, null, null, false, null, false,
                    null, Map.of("padding", "x".repeat(MeetingTokens.MAX_TOKEN_CHARS)));
            String token = tokens().issue(bloated, JTI, ISSUED_AT);
            String junk = "a".repeat(MeetingTokens.MAX_TOKEN_CHARS + 1);

            assertThat(token.length()).isGreaterThan(MeetingTokens.MAX_TOKEN_CHARS);
            assertInvalid(tokens().verify(token), token);
            assertInvalid(tokens().verify(junk), junk);
        }

        @Test
        void the_invalid_reason_never_contains_the_token_text() {
            String[] parts = issued().split("\\.");
            List<String> bad = List.of(
                    parts[0] + "." + parts[1] + "." + b64("forged signature bytes, 32 long!"),
                    hs256("{\"alg\":\"HS256\"}", dailyPayload("another-domain"), OLD_KEY),
                    hs256("{\"alg\":\"HS256\",\"kid\":\"k-unknown\"}", dailyPayload(DOMAIN), OLD_KEY),
                    handMade("{\"alg\":\"HS512\"}", dailyPayload(DOMAIN), OLD_KEY, "HmacSHA512"),
                    b64("{\"alg\":\"none\"}") + "." + parts[1] + ".",
                    parts[0] + ".not base64!." + parts[2],
                    "secret-looking-garbage-string-0123456789");
            for (String token : bad) {
                assertInvalid(tokens().verify(token), token);
            }
        }
    }

    // ---- self-signed tokens, ids, rotation -----------------------------------------------------

    @Nested
    class SelfSignedAndRotation {

        @Test
        void no_kid_but_signed_with_a_configured_key_is_verified_daily_self_signed_style() {
            String token = hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", dailyPayload(DOMAIN), OLD_KEY);

            PresentedToken.Verified verified = assertVerified(tokens().verify(token));

            assertThat(verified.claims().roomName()).isEqualTo("standup");
            assertThat(verified.claims().owner()).isTrue();
            assertThat(verified.claims().userName()).isEqualTo("Ada Lovelace");
            assertThat(verified.claims().userId()).isEqualTo("user-ada-42");
            assertThat(verified.claims().exp()).isEqualTo(EXP);
        }

        @Test
        void no_kid_verifies_with_any_configured_key_not_only_the_signing_one() {
            String token = hs256("{\"alg\":\"HS256\"}", dailyPayload(DOMAIN), OLD_KEY);

            assertVerified(new MeetingTokens(rotatedKeys(), DOMAIN).verify(token));
        }

        @Test
        void a_token_without_jti_is_identified_by_the_sha256_hex_of_its_text() throws Exception {
            String token = hs256("{\"alg\":\"HS256\"}", dailyPayload(DOMAIN), OLD_KEY);
            String expected = sha256Hex(token);

            assertThat(expected).hasSize(64).matches("[0-9a-f]+");
            assertThat(MeetingTokens.tokenIdOf(token)).isEqualTo(expected);
            assertThat(assertVerified(tokens().verify(token)).tokenId()).isEqualTo(expected);
        }

        /*
         * A self-signed token has no jti: it is revoked by the SHA-256 of its text. Nimbus decodes
         * base64url leniently (ignores whitespace and '=', accepts the '/' alphabet and non-zero
         * spare bits in the last character), so other spellings of the same signed token verify,
         * each with another hash: a revoked self-signed token comes back in by being re-spelled.
         */
        @Test
        void a_self_signed_token_cannot_dodge_its_id_by_being_spelled_differently() throws Exception {
            String token = hs256("{\"alg\":\"HS256\"}", dailyPayload(DOMAIN), OLD_KEY);
            String revokedId = MeetingTokens.tokenIdOf(token);
            String signature = token.substring(token.lastIndexOf('.') + 1);
            String signingInput = token.substring(0, token.lastIndexOf('.') + 1);
            char last = signature.charAt(signature.length() - 1);
            String sameBitsOtherSpareBits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                    .charAt(spareBitsFlipped("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".indexOf(last))) + "";
            List<String> respelled = List.of(
                    token + " ", token + "\n", " " + token, token + "=",
                    signingInput + signature.substring(0, signature.length() - 1) + sameBitsOtherSpareBits,
                    signingInput + signature.replace('_', '/').replace('-', '+'));

            for (String variant : respelled) {
                PresentedToken result = tokens().verify(variant);
                if (result instanceof PresentedToken.Verified verified) {
                    assertThat(verified.tokenId()).as("id of %s", variant).isEqualTo(revokedId);
                }
            }
        }

        /** The same four data bits, other spare bits: a 32-byte signature's last base64 char carries 4 + 2. */
        static int spareBitsFlipped(int index) {
            return (index & ~3) | ((index & 3) == 1 ? 2 : 1);
        }

        @Test
        void token_id_of_something_that_is_no_jwt_is_its_sha256_hex() throws Exception {
            assertThat(MeetingTokens.tokenIdOf("not a jwt")).isEqualTo(sha256Hex("not a jwt"));
        }

        @Test
        void rotation_old_tokens_still_verify_and_new_tokens_carry_the_new_kid() throws Exception {
            String oldToken = tokens().issue(fullClaims(), JTI, ISSUED_AT);
            MeetingTokens rotated = new MeetingTokens(rotatedKeys(), DOMAIN);

            PresentedToken.Verified old = assertVerified(rotated.verify(oldToken));
            assertThat(old.claims()).isEqualTo(fullClaims());

            String newToken = rotated.issue(fullClaims(), "1f7e3b5d-8c2a-4d96-a0e4-6b9f2c7d1a35", ISSUED_AT);
            assertThat(rotated.signingKeyId()).isEqualTo(NEW_KID);
            assertThat(decodeSegment(newToken.split("\\.")[0])).containsEntry("kid", NEW_KID);
            assertThat(newToken.split("\\.")[2]).isEqualTo(hmac("HmacSHA256", NEW_KEY,
                    newToken.substring(0, newToken.lastIndexOf('.'))));
            assertVerified(rotated.verify(newToken));
        }

        @Test
        void after_the_old_key_is_dropped_its_tokens_are_invalid() {
            String oldToken = tokens().issue(fullClaims(), JTI, ISSUED_AT);
            MeetingTokens newOnly = new MeetingTokens(new SigningKeys(Map.of(NEW_KID, NEW_KEY), NEW_KID), DOMAIN);

            assertInvalid(newOnly.verify(oldToken), oldToken);
        }
    }

    // ---- signing keys ------------------------------------------------------------------------

    @Nested
    class SigningKeysRules {

        @Test
        void signing_keys_reject_a_key_shorter_than_32_bytes() {
            byte[] short31 = new byte[31];
            java.util.Arrays.fill(short31, (byte) 7);

            assertThatIllegalArgumentException().isThrownBy(() -> new SigningKeys(Map.of("k", short31), "k"));
            assertThat(new SigningKeys(Map.of("k", new byte[32]), "k").signingKeyId()).isEqualTo("k");
        }

        @Test
        void signing_keys_reject_a_signing_kid_that_names_no_key() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new SigningKeys(Map.of(OLD_KID, OLD_KEY), NEW_KID))
                    .withMessageContaining(NEW_KID);
        }

        @Test
        void signing_keys_reject_no_keys_and_a_blank_kid() {
            assertThatIllegalArgumentException().isThrownBy(() -> new SigningKeys(Map.of(), "k"));
            assertThatIllegalArgumentException().isThrownBy(() -> new SigningKeys(null, "k"));
            assertThatIllegalArgumentException().isThrownBy(() -> new SigningKeys(Map.of(" ", OLD_KEY), " "));
        }

        @Test
        void the_error_for_a_short_key_does_not_show_the_key() {
            byte[] shortKey = "short-secret-123".getBytes(StandardCharsets.UTF_8);

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new SigningKeys(Map.of("k", shortKey), "k"))
                    .withMessageNotContaining("short-secret-123");
        }

        @Test
        void signing_keys_to_string_does_not_contain_key_bytes() {
            String text = rotatedKeys().toString();

            for (byte[] key : List.of(OLD_KEY, NEW_KEY)) {
                assertThat(text)
                        .doesNotContain(new String(key, StandardCharsets.UTF_8).substring(0, 16))
                        .doesNotContain(HexFormat.of().formatHex(key).substring(0, 16))
                        .doesNotContain(Base64.getEncoder().encodeToString(key).substring(0, 16))
                        .doesNotContain(b64(key).substring(0, 16))
                        .doesNotContain(java.util.Arrays.toString(key).substring(0, 16));
            }
            assertThat(text).contains(OLD_KID, NEW_KID);
        }

        @Test
        void changing_the_array_given_does_not_change_the_key() {
            byte[] key = OLD_KEY.clone();
            SigningKeys keys = new SigningKeys(Map.of(OLD_KID, key), OLD_KID);
            String before = new MeetingTokens(keys, DOMAIN).issue(fullClaims(), JTI, ISSUED_AT);

            java.util.Arrays.fill(key, (byte) 0);

            assertThat(new MeetingTokens(keys, DOMAIN).issue(fullClaims(), JTI, ISSUED_AT)).isEqualTo(before);
        }
    }

    // ---- an independent JWT library -------------------------------------------------------------

    @Nested
    class IndependentLibrary {

        final SecretKey oldKey = Keys.hmacShaKeyFor(OLD_KEY);

        @Test
        void a_token_made_by_jjwt_with_daily_claim_names_and_roomgates_key_verifies() {
            String token = Jwts.builder()
                    .claim("r", "standup")
                    .claim("d", DOMAIN)
                    .claim("o", true)
                    .claim("u", "Ada Lovelace")
                    .claim("ud", "user-ada-42")
                    .expiration(Date.from(Instant.ofEpochSecond(EXP)))
                    .issuedAt(Date.from(ISSUED_AT))
                    .signWith(oldKey, Jwts.SIG.HS256)
                    .compact();

            PresentedToken.Verified verified = assertVerified(tokens().verify(token));

            assertThat(verified.tokenId()).isEqualTo(MeetingTokens.tokenIdOf(token));
            assertThat(verified.claims()).isEqualTo(new MeetingTokenClaims("standup", EXP, null, true,
                    "Ada Lovelace", "user-ada-42", false, null, false, null, null));
        }

        @Test
        void a_token_made_by_jjwt_with_kid_jti_and_permissions_verifies() {
            String token = Jwts.builder()
                    .header().keyId(OLD_KID).and()
                    .id("jjwt-made-1")
                    .claim("r", "standup")
                    .claim("d", DOMAIN)
                    .claim("k", true)
                    .claim("ejt", true)
                    .claim("eje", 900)
                    .claim("p", Map.of("canAdmin", List.of("participants")))
                    .expiration(Date.from(Instant.ofEpochSecond(EXP)))
                    .notBefore(Date.from(Instant.ofEpochSecond(NBF)))
                    .issuedAt(Date.from(ISSUED_AT))
                    .signWith(oldKey, Jwts.SIG.HS256)
                    .compact();

            PresentedToken.Verified verified = assertVerified(tokens().verify(token));

            assertThat(verified.tokenId()).isEqualTo("jjwt-made-1");
            assertThat(verified.claims().knocking()).isTrue();
            assertThat(verified.claims().ejectAtTokenExp()).isTrue();
            assertThat(verified.claims().ejectAfterElapsed()).isEqualTo(900L);
            assertThat(verified.claims().nbf()).isEqualTo(NBF);
            assertThat(verified.claims().canAdminParticipants()).isTrue();
            assertThat(verified.claims().mayAdmitKnockers()).isTrue();
        }

        @Test
        void a_token_made_by_jjwt_with_hs512_and_roomgates_key_is_invalid() {
            SecretKey longKey = Keys.hmacShaKeyFor((new String(OLD_KEY, StandardCharsets.UTF_8) + " padded to 512 bits")
                    .getBytes(StandardCharsets.UTF_8));
            MeetingTokens withLongKey = new MeetingTokens(new SigningKeys(Map.of(OLD_KID, longKey.getEncoded()), OLD_KID), DOMAIN);
            String token = Jwts.builder().claim("r", "standup").claim("d", DOMAIN)
                    .signWith(longKey, Jwts.SIG.HS512).compact();

            assertInvalid(withLongKey.verify(token), token);
        }

        @Test
        void a_token_roomgate_issues_verifies_with_jjwt_and_reads_as_dailys_claims() {
            Claims claims = Jwts.parser()
                    .verifyWith(oldKey)
                    .clock(() -> Date.from(ISSUED_AT))
                    .build()
                    .parseSignedClaims(issued())
                    .getPayload();

            assertThat(claims.getId()).isEqualTo(JTI);
            assertThat(claims.get("d", String.class)).isEqualTo(DOMAIN);
            assertThat(claims.get("r", String.class)).isEqualTo("standup");
            assertThat(claims.get("o", Boolean.class)).isTrue();
            assertThat(claims.get("ud", String.class)).isEqualTo("user-ada-42");
            assertThat(claims.getExpiration()).isEqualTo(Date.from(Instant.ofEpochSecond(EXP)));
        }
    }
}
