package io.roomgate.command.webhook;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Webhook signing secrets encrypted at rest (issue 16, row 13): AES-256-GCM, a fresh 96-bit IV
 * each time, the webhook's id as associated data (a secret moved to another row does not decrypt).
 * Stored as {@code enc1:<key id>:<base64url(iv ‖ ciphertext ‖ tag)>}, so keys can rotate: every
 * configured key decrypts, the current one encrypts.
 * <p>
 * Keys: {@code roomgate.webhooks.secret-keys.<id>} (base64, 256 bits) with
 * {@code roomgate.webhooks.secret-key-id}; without them, keys derived from the meeting-token keys
 * (HMAC-SHA256 of a fixed label under each; id {@code tok-<kid>}), so a deployment that configured
 * its token keys has its webhook secrets encrypted too. A value without the prefix (stored before
 * this) is read as it is; at every start, such values and those under a key other than the current
 * one are written again under the current key ({@link WebhookStore#encryptStoredSecrets}), so an
 * old key can be removed once the nodes have restarted with the new one.
 */
public final class WebhookSecrets {

    private static final String PREFIX = "enc1:";
    private static final byte[] LABEL = "roomgate/webhook-secrets/v1".getBytes(StandardCharsets.UTF_8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, SecretKeySpec> keys;
    private final String current;

    public WebhookSecrets(Map<String, byte[]> keys, String current) {
        if (keys.isEmpty() || !keys.containsKey(current)) {
            throw new IllegalStateException("no webhook secret key " + current + ": set roomgate.webhooks.secret-keys.<id> "
                    + "(base64, 256 bits) and roomgate.webhooks.secret-key-id, or the meeting-token keys");
        }
        Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
        keys.forEach((id, bytes) -> {
            if (bytes.length != 32 || id.contains(":")) {
                throw new IllegalStateException("roomgate.webhooks.secret-keys." + id + " must be 256 bits (32 bytes, base64) "
                        + "and its id free of ':'");
            }
            specs.put(id, new SecretKeySpec(bytes, "AES"));
        });
        this.keys = specs;
        this.current = current;
    }

    /** Keys derived from the meeting-token keys (id {@code tok-<kid>}), the signing key's current. */
    public static WebhookSecrets derivedFrom(Map<String, byte[]> tokenKeys, String signingKeyId) {
        Map<String, byte[]> derived = new LinkedHashMap<>();
        tokenKeys.forEach((kid, key) -> derived.put("tok-" + kid.replace(':', '_'), hmac(key)));
        return new WebhookSecrets(derived, "tok-" + signingKeyId.replace(':', '_'));
    }

    public String encrypt(String secret, String webhookId) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(128, iv));
            cipher.updateAAD(webhookId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
            return PREFIX + current + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JVM", e);
        }
    }

    public String decrypt(String stored, String webhookId) {
        if (!isEncrypted(stored)) {
            return stored; // stored before secrets were encrypted
        }
        String[] parts = stored.split(":", 3);
        SecretKeySpec key = parts.length == 3 ? keys.get(parts[1]) : null;
        if (key == null) {
            throw new IllegalStateException("webhook " + webhookId + "'s secret is encrypted under a key that is not configured");
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(parts[2]);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            cipher.updateAAD(webhookId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("webhook " + webhookId + "'s stored secret does not decrypt", e);
        }
    }

    /** Whether a stored value should be written again: plaintext, or encrypted under a key other than the current one. */
    public boolean isStale(String stored) {
        return !isEncrypted(stored) || !stored.startsWith(PREFIX + current + ":");
    }

    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    private static byte[] hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(LABEL);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }
}
