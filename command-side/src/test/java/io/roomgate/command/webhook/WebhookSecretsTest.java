package io.roomgate.command.webhook;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 16, row 13: webhook secrets are stored encrypted, bound to their webhook, under rotatable keys. */
class WebhookSecretsTest {

    private static final byte[] K1 = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] K2 = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII);

    @Test
    void a_secret_round_trips_and_its_stored_form_does_not_contain_it() {
        WebhookSecrets secrets = new WebhookSecrets(Map.of("k1", K1), "k1");
        String stored = secrets.encrypt("whsec-plain-text-secret", "hook-1");
        assertThat(stored).startsWith("enc1:k1:").doesNotContain("whsec-plain-text-secret");
        assertThat(secrets.encrypt("whsec-plain-text-secret", "hook-1")).as("a fresh IV each time").isNotEqualTo(stored);
        assertThat(secrets.decrypt(stored, "hook-1")).isEqualTo("whsec-plain-text-secret");
    }

    @Test
    void a_secret_moved_to_another_webhook_does_not_decrypt() {
        WebhookSecrets secrets = new WebhookSecrets(Map.of("k1", K1), "k1");
        String stored = secrets.encrypt("s", "hook-1");
        assertThatThrownBy(() -> secrets.decrypt(stored, "hook-2")).isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("s\"");
    }

    @Test
    void keys_rotate_every_configured_key_decrypts_the_current_one_encrypts() {
        String underOld = new WebhookSecrets(Map.of("k1", K1), "k1").encrypt("old", "h");
        WebhookSecrets rotated = new WebhookSecrets(Map.of("k1", K1, "k2", K2), "k2");
        assertThat(rotated.decrypt(underOld, "h")).isEqualTo("old");
        assertThat(rotated.encrypt("new", "h")).startsWith("enc1:k2:");
        assertThatThrownBy(() -> new WebhookSecrets(Map.of("k2", K2), "k2").decrypt(underOld, "h"))
                .hasMessageContaining("not configured");
        assertThat(rotated.isStale(underOld)).as("written again under k2 at the next start").isTrue();
        assertThat(rotated.isStale(rotated.encrypt("new", "h"))).isFalse();
        assertThat(rotated.isStale("legacy-plain")).isTrue();
    }

    @Test
    void a_secret_stored_before_encryption_reads_as_it_is() {
        assertThat(new WebhookSecrets(Map.of("k1", K1), "k1").decrypt("legacy-plain", "h")).isEqualTo("legacy-plain");
    }

    @Test
    void keys_derived_from_the_token_keys_differ_from_them_and_follow_the_signing_key() {
        WebhookSecrets derived = WebhookSecrets.derivedFrom(Map.of("t1", K1, "t2", K2), "t2");
        String stored = derived.encrypt("x", "h");
        assertThat(stored).startsWith("enc1:tok-t2:");
        assertThat(WebhookSecrets.derivedFrom(Map.of("t2", K2), "t2").decrypt(stored, "h")).isEqualTo("x");
        // the token key itself is not the encryption key
        assertThatThrownBy(() -> new WebhookSecrets(Map.of("tok-t2", K2), "tok-t2").decrypt(stored, "h"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_key_must_be_256_bits() {
        assertThatThrownBy(() -> new WebhookSecrets(Map.of("short", new byte[16]), "short")).hasMessageContaining("256 bits");
    }
}
