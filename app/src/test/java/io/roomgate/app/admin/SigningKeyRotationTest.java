package io.roomgate.app.admin;

import com.nimbusds.jose.JWSObject;
import io.roomgate.access.PresentedToken;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.token.MeetingTokens;
import io.roomgate.token.SigningKeys;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Key rotation, at the level of the token codec: add the new key, make it the signing one,
 * keep the old one verifying until its tokens have expired, then drop it.
 */
class SigningKeyRotationTest {

    private static final byte[] OLD = "old-key-old-key-old-key-old-key-0001".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEW = "new-key-new-key-new-key-new-key-0002".getBytes(StandardCharsets.US_ASCII);
    private static final MeetingTokenClaims CLAIMS = new MeetingTokenClaims("standup", null, null, true, "Ada", "ada-1",
            false, null, false, Map.of(), Map.of());

    private static MeetingTokens tokens(String signing, Object... kidAndKey) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (int i = 0; i < kidAndKey.length; i += 2) {
            keys.put((String) kidAndKey[i], (byte[]) kidAndKey[i + 1]);
        }
        return new MeetingTokens(new SigningKeys(keys, signing), "dom");
    }

    private static String kid(String token) throws Exception {
        return JWSObject.parse(token).getHeader().getKeyID();
    }

    @Test
    void the_old_key_keeps_verifying_while_the_new_key_signs() throws Exception {
        MeetingTokens before = tokens("k1", "k1", OLD);
        MeetingTokens during = tokens("k2", "k1", OLD, "k2", NEW);
        MeetingTokens after = tokens("k2", "k2", NEW);

        String oldToken = before.issue(CLAIMS, "jti-old", Instant.now());
        assertThat(kid(oldToken)).isEqualTo("k1");
        String newToken = during.issue(CLAIMS, "jti-new", Instant.now());
        assertThat(kid(newToken)).isEqualTo("k2");
        assertThat(during.signingKeyId()).isEqualTo("k2");

        // during the rotation both verify
        assertThat(during.verify(oldToken)).isInstanceOfSatisfying(PresentedToken.Verified.class, v -> {
            assertThat(v.tokenId()).isEqualTo("jti-old");
            assertThat(v.claims().roomName()).isEqualTo("standup");
            assertThat(v.claims().owner()).isTrue();
        });
        assertThat(during.verify(newToken)).isInstanceOf(PresentedToken.Verified.class);
        // a node that has not heard of the new key refuses its tokens
        assertThat(before.verify(newToken)).isInstanceOf(PresentedToken.Invalid.class);
        // once the old key is dropped, its tokens are refused
        assertThat(after.verify(oldToken)).isInstanceOf(PresentedToken.Invalid.class);
        assertThat(after.verify(newToken)).isInstanceOf(PresentedToken.Verified.class);
    }

    @Test
    void a_kid_names_the_one_key_that_may_verify_it() {
        MeetingTokens during = tokens("k2", "k1", OLD, "k2", NEW);
        // signed with the old key but claiming to be k2: refused, even though k1 would verify it
        String mislabelled = RawJwt.hmac("{\"alg\":\"HS256\",\"kid\":\"k2\"}", "{\"r\":\"standup\",\"d\":\"dom\"}", "HmacSHA256", OLD);
        assertThat(during.verify(mislabelled)).isInstanceOf(PresentedToken.Invalid.class);
        // without a kid (Daily's self-signing code sends none), any configured key may verify it
        String noKid = RawJwt.hmac("{\"alg\":\"HS256\"}", "{\"r\":\"standup\",\"d\":\"dom\"}", "HmacSHA256", OLD);
        assertThat(during.verify(noKid)).isInstanceOf(PresentedToken.Verified.class);
    }

    @Test
    void keys_shorter_than_256_bits_or_an_unknown_signing_id_are_refused_at_start() {
        assertThatThrownBy(() -> tokens("k1", "k1", "too-short".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("too-short");
        assertThatThrownBy(() -> tokens("k9", "k1", OLD)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SigningKeys(Map.of(), "k1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SigningKeys(Map.of("k1", OLD), "k1").toString()).doesNotContain(new String(OLD, StandardCharsets.US_ASCII));
    }
}
